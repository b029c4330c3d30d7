/**
 * Small traces with one injected fault each, for the root-cause tests: a reference period and a current period of
 * `rows` rows, binary labels, a model that errs on 12 % of rows, and the fault applied to the current period.
 */
import { table, type ColumnTable } from 'arquero';
import type { AnalyzeOptions } from '../../../src/engine/types.js';

export type Fault =
  | 'none'
  | 'benign_drift'
  | 'slice'
  | 'two_column_slice'
  | 'feature_drift'
  | 'missing_values'
  | 'label_shift'
  | 'model_version';

export const OPTIONS: AnalyzeOptions = {
  roles: {
    label: 'y',
    prediction: 'y_hat',
    timestamp: 'ts',
    features: ['x1', 'x2', 'color'],
    slices: ['region', 'channel'],
    model_version: 'model_version'
  }
};

/** Mulberry32: a small seeded generator, so every test sees the same rows. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function scenario(fault: Fault, rows = 20000, seed = 7): { reference: ColumnTable; current: ColumnTable } {
  return { reference: period(null, rows, seed, 0), current: period(fault, rows, seed + 1, 1) };
}

function period(fault: Fault | null, rows: number, seed: number, offset: number): ColumnTable {
  const next = random(seed);
  const pick = <T>(values: T[]): T => values[Math.floor(next() * values.length)];
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const columns = {
    ts: [] as Date[],
    x1: [] as number[],
    x2: [] as Array<number | null>,
    color: [] as string[],
    region: [] as string[],
    channel: [] as string[],
    model_version: [] as string[],
    y: [] as number[],
    y_hat: [] as number[]
  };
  const start = Date.UTC(2024, 0, 1) + offset * rows * 60000;
  for (let i = 0; i < rows; i++) {
    let x1 = next();
    let x2: number | null = normal();
    const region = pick(['north', 'south', 'east', 'west']);
    const channel = pick(['web', 'partner']);
    let version = 'v1';
    let positive = fault === 'label_shift' ? 0.75 : 0.4;
    const y = next() < positive ? 1 : 0;
    // the model errs more on positives (label shift then raises the error), 12 % overall in the reference
    let errorRate = y === 1 ? 0.2 : 0.0667;
    switch (fault) {
      case 'slice':
        errorRate = region === 'west' ? 0.45 : errorRate;
        break;
      case 'two_column_slice':
        errorRate = region === 'south' && channel === 'partner' ? 0.5 : errorRate;
        break;
      case 'feature_drift':
      case 'benign_drift':
        if (next() < 0.4) {
          x1 = 1 + next() * 0.8;
          errorRate = fault === 'feature_drift' ? 0.45 : errorRate;
        }
        break;
      case 'missing_values':
        if (next() < 0.15) {
          x2 = null;
          errorRate = 0.5;
        }
        break;
      case 'model_version':
        if (next() < 0.3) {
          version = 'v2';
          errorRate = 0.4;
        }
        break;
    }
    positive = y;
    columns.ts.push(new Date(start + i * 60000));
    columns.x1.push(x1);
    columns.x2.push(x2);
    columns.color.push(pick(['red', 'green', 'blue']));
    columns.region.push(region);
    columns.channel.push(channel);
    columns.model_version.push(version);
    columns.y.push(y);
    columns.y_hat.push(next() < errorRate ? 1 - y : y);
  }
  return table(columns);
}
