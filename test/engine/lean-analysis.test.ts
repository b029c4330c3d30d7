/**
 * `analyze()` lets a feature's copied values go once the feature is done (the tab's memory budget); its result must
 * be the one of the analysis that keeps everything (`analyzeWithDetails`), on Arrow data whose integers and strings
 * are copies and whose floats are read in place, for every planted fault of the root-cause scenarios.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { float64, int64, tableFromArrays, tableToIPC, timestamp, utf8, TimeUnit } from '@uwdata/flechette';
import type { ColumnTable } from 'arquero';
import { analyze, analyzeWithDetails } from '../../src/engine/analyze.js';
import { TableColumns } from '../../src/engine/columns.js';
import { utf8Ids } from '../../src/engine/load/utf8-ids.js';
import { decodeTraceData } from '../../src/engine/trace-format.js';
import { OPTIONS, scenario, type Fault } from './root-causes/scenarios.js';

/** The scenario's period as the worker gets it from a kernel: an Arrow stream, decoded. */
function asArrow(period: ColumnTable, name: string): ColumnTable {
  const column = (column: string): unknown[] => period.array(column) as unknown[];
  const x2 = column('x2') as Array<number | null>;
  const stream = tableToIPC(
    tableFromArrays(
      {
        ts: column('ts'),
        // integers (a copy: converted to doubles), with missing values
        x2: x2.map(value => (value === null ? null : BigInt(Math.round(value * 1000)))),
        x1: Float64Array.from(column('x1') as number[]),
        color: column('color'),
        region: column('region'),
        channel: column('channel'),
        model_version: column('model_version'),
        y: (column('y') as number[]).map(BigInt),
        y_hat: (column('y_hat') as number[]).map(BigInt)
      },
      {
        types: {
          ts: timestamp(TimeUnit.MILLISECOND),
          x2: int64(),
          x1: float64(),
          color: utf8(),
          region: utf8(),
          channel: utf8(),
          model_version: utf8(),
          y: int64(),
          y_hat: int64()
        }
      }
    ),
    { format: 'stream' }
  ) as Uint8Array;
  return decodeTraceData({ format: 'kernel-comm', target: 'modeltrace', trace: name, rows: period.numRows() }, name, stream);
}

describe('analyze() keeps only what it needs, with the same result', () => {
  const faults: Fault[] = ['none', 'slice', 'two_column_slice', 'feature_drift', 'missing_values', 'label_shift', 'model_version'];
  for (const fault of faults) {
    it(`${fault}: the same analysis as the one that keeps every column`, () => {
      const { reference, current } = scenario(fault, 6000);
      const arrow = { reference: asArrow(reference, 'reference'), current: asArrow(current, 'current') };
      const lean = analyze(arrow.current, arrow.reference, OPTIONS);
      const kept = analyzeWithDetails(arrow.current, arrow.reference, OPTIONS).result;
      assert.deepEqual(lean, kept);
      if (fault !== 'none') {
        assert.ok(lean.root_causes.length > 0, `${fault}: a root cause is found`);
      }
    });
  }

  it('leaves no category ids kept on the tables once done', () => {
    const { reference, current } = scenario('slice', 3000);
    const arrow = { reference: asArrow(reference, 'reference'), current: asArrow(current, 'current') };
    const result = analyze(arrow.current, arrow.reference, OPTIONS);
    assert.equal(result.root_causes[0]?.slice?.region, 'west');
    // ids read without keeping them are new arrays each time unless the analysis kept some (4 bytes per row)
    for (const table of [arrow.reference, arrow.current]) {
      for (const name of ['color', 'region', 'channel', 'model_version']) {
        const once = utf8Ids(table.column(name), false);
        assert.ok(once !== null);
        assert.notEqual(utf8Ids(table.column(name), false), once, `${name}: no ids kept`);
      }
    }
    // while a kept column's ids are shared
    const kept = utf8Ids(arrow.current.column('color'));
    assert.equal(utf8Ids(arrow.current.column('color'), false), kept);
  });

  it('TableColumns.forget reads a column again, with the same values', () => {
    const table = asArrow(scenario('none', 500).current, 'current');
    const columns = new TableColumns(table);
    const before = columns.values('x2');
    const codes = columns.categoryCodes('color');
    columns.forget('x2');
    columns.forget('color');
    const after = columns.values('x2');
    assert.notEqual(after, before);
    assert.deepEqual(after, before);
    assert.deepEqual(columns.categoryCodes('color'), codes);
    assert.notEqual(columns.categoryCodes('color').codes, codes.codes);
  });
});
