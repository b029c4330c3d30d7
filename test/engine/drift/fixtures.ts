/**
 * Loading of the drift fixtures that scripts/fixtures/drift.py writes with numpy/scipy, and the comparisons the
 * tests make against them: statistics to 1e-9 relative, p-values to 1e-6 relative (or 1e-12 absolute when tiny).
 */

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURE_DIRECTORY = fileURLToPath(new URL('../../../../test/fixtures/generated/drift/', import.meta.url));

export const STATISTIC_TOLERANCE = 1e-9;
export const P_VALUE_TOLERANCE = 1e-6;
export const TINY_P_VALUE = 1e-12;
/** Absolute slack for statistics whose expected value is exactly 0. */
const ZERO_TOLERANCE = 1e-15;

export function readFixture<T>(name: string): T {
  const path = FIXTURE_DIRECTORY + name;
  if (!existsSync(path)) {
    throw new Error(`drift fixture ${path} is missing: run .venv/bin/python scripts/fixtures/drift.py first`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The float64 samples stored next to a fixture file. */
export function readSamples(name: string): Float64Array {
  const bytes = readFileSync(FIXTURE_DIRECTORY + name);
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export function assertStatistic(actual: number | null | undefined, expected: number | null, label: string): void {
  assertWithin(actual, expected, Math.max(STATISTIC_TOLERANCE * Math.abs(expected ?? 0), ZERO_TOLERANCE), label);
}

export function assertPValue(actual: number | null | undefined, expected: number | null, label: string): void {
  assertWithin(actual, expected, Math.max(P_VALUE_TOLERANCE * Math.abs(expected ?? 0), TINY_P_VALUE), label);
}

function assertWithin(
  actual: number | null | undefined,
  expected: number | null,
  tolerance: number,
  label: string
): void {
  if (expected === null) {
    assert.ok(actual === null || actual === undefined, `${label}: expected no value, got ${actual}`);
    return;
  }
  assert.ok(typeof actual === 'number' && Number.isFinite(actual), `${label}: expected ${expected}, got ${actual}`);
  const error = Math.abs(actual - expected);
  assert.ok(error <= tolerance, `${label}: expected ${expected}, got ${actual} (error ${error}, allowed ${tolerance})`);
}
