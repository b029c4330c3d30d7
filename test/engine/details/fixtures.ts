/**
 * The details fixtures that scripts/fixtures/details.py writes with scikit-learn, numpy, scipy and statsmodels, and
 * the comparison the tests make against them: 1e-9 relative (1e-15 absolute where the expected value is 0).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURE_DIRECTORY = fileURLToPath(new URL('../../../../test/fixtures/generated/details/', import.meta.url));

export const RELATIVE_TOLERANCE = 1e-9;
const ZERO_TOLERANCE = 1e-15;

export function readFixture<T>(name: string): T {
  const path = FIXTURE_DIRECTORY + name;
  if (!existsSync(path)) {
    throw new Error(`details fixture ${path} is missing: run .venv/bin/python scripts/fixtures/details.py first`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function assertClose(actual: number | null | undefined, expected: number | null, label: string): void {
  if (expected === null) {
    assert.ok(actual === null || actual === undefined, `${label}: expected no value, got ${actual}`);
    return;
  }
  assert.ok(typeof actual === 'number' && Number.isFinite(actual), `${label}: expected ${expected}, got ${actual}`);
  const tolerance = Math.max(RELATIVE_TOLERANCE * Math.abs(expected), ZERO_TOLERANCE);
  const error = Math.abs(actual - expected);
  assert.ok(error <= tolerance, `${label}: expected ${expected}, got ${actual} (error ${error}, allowed ${tolerance})`);
}

export function assertAllClose(
  actual: ArrayLike<number | null>,
  expected: ArrayLike<number | null>,
  label: string
): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    assertClose(actual[i], expected[i], `${label}[${i}]`);
  }
}

/** Numbers from the fixtures, where NaN and ±Infinity are written as the strings "nan", "inf", "-inf". */
export function decodeFloats(values: (number | string)[]): Float64Array {
  return Float64Array.from(values, value =>
    typeof value === 'number' ? value : value === 'nan' ? NaN : value === 'inf' ? Infinity : -Infinity
  );
}
