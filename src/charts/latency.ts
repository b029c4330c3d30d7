/**
 * Latency percentiles per chunk (metrics/latency.ts: p50, p95, p99 with numpy's linear interpolation), one line
 * per percentile over the shared chunk axis, the current period after the dashed rule. Clicking a chunk selects it
 * (`CHUNK_SELECTION`).
 */
import type { TopLevelSpec } from 'vega-lite';
import { LATENCY_PERCENTILES } from '../engine/metrics/latency.js';
import type { ChunkResult } from '../engine/types.js';
import { layeredChart, type ChartOptions } from './chart-base.js';
import {
  chunkPositionAxis,
  chunkRows,
  chunkSelectionParam,
  type ChunkRef,
  chunkTooltip,
  CHUNK_SELECTION,
  periodBoundary
} from './chunk-axis.js';
import { DEFAULT_THEME } from './theme.js';

export interface LatencyInput {
  chunks: ChunkResult[];
  /** Unit of the latency column, for the axis title (e.g. "ms"). */
  unit?: string;
  /** The chunk shown selected, e.g. the one clicked in another timeline. */
  selected?: ChunkRef | null;
}

export function latencySpec(input: LatencyInput, options: ChartOptions = {}): TopLevelSpec {
  const theme = options.theme ?? DEFAULT_THEME;
  const rows = chunkRows(input.chunks);
  const percentiles = LATENCY_PERCENTILES.map(([metric, percent]) => ({ metric, name: `p${percent}` }));
  const values = rows.flatMap(({ chunk, row }) =>
    percentiles.flatMap(({ metric, name }) => {
      const value = chunk.metrics[metric];
      return value === null || value === undefined ? [] : [{ ...row, percentile: name, value }];
    })
  );
  const colour = {
    field: 'percentile',
    type: 'nominal' as const,
    title: 'percentile',
    scale: { domain: percentiles.map(({ name }) => name), range: theme.palette.series }
  };
  const latency = {
    field: 'value',
    type: 'quantitative' as const,
    title: input.unit ? `latency (${input.unit})` : 'latency'
  };
  return layeredChart(
    {
      text: 'Latency percentiles per chunk (p50, p95, p99; numpy linear interpolation)',
      subtitle: 'reference chunks, then current ones after the dashed rule'
    },
    [
      ...periodBoundary(
        rows.map(({ row }) => row),
        theme
      ),
      { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: chunkPositionAxis, y: latency, color: colour } },
      {
        params: [chunkSelectionParam(input.selected)],
        mark: { type: 'point', filled: true, size: 36, cursor: 'pointer' },
        encoding: {
          x: chunkPositionAxis,
          y: latency,
          color: colour,
          opacity: { condition: { param: CHUNK_SELECTION, empty: true, value: 1 }, value: 0.3 },
          tooltip: [
            ...chunkTooltip,
            { field: 'percentile', type: 'nominal', title: 'percentile' },
            { field: 'value', type: 'quantitative', title: 'latency', format: '.4~g' }
          ]
        }
      }
    ],
    options,
    values
  );
}
