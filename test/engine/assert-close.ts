/** Comparison of engine numbers with reference values: 1e-9 relative (1e-12 absolute near zero), null = null. */
import assert from 'node:assert/strict';

export const RELATIVE_TOLERANCE = 1e-9;

export function assertClose(actual: number | null | undefined, expected: number | null, label: string): void {
  if (expected === null) {
    assert.equal(actual, null, `${label}: expected null, got ${actual}`);
    return;
  }
  assert.equal(typeof actual, 'number', `${label}: expected ${expected}, got ${actual}`);
  const difference = Math.abs((actual as number) - expected);
  const allowed = Math.max(RELATIVE_TOLERANCE * Math.abs(expected), 1e-12);
  assert.ok(difference <= allowed, `${label}: ${actual} differs from ${expected} by ${difference}`);
}

export function assertMetricsClose(
  actual: Record<string, number | null>,
  expected: Record<string, number | null>,
  label: string
): void {
  for (const [name, value] of Object.entries(expected)) {
    assert.ok(name in actual, `${label}: metric ${name} missing (got ${Object.keys(actual).join(', ')})`);
    assertClose(actual[name], value, `${label} ${name}`);
  }
}
