/**
 * The x axis that per-chunk charts share (metric, drift and latency timelines): the reference chunks in index
 * order, then the current ones, at positions 0, 1, 2, …; a dashed rule marks where the current period starts.
 * Clicking a chunk selects it in the point selection named `CHUNK_SELECTION` over the fields `period` and `index`,
 * which other views can listen to (vega-embed: `view.signal(CHUNK_SELECTION)`) to filter themselves.
 */
import type { ChunkResult, Period } from '../engine/types.js';
import type { Layer } from './chart-base.js';
import type { ChartTheme } from './theme.js';

export const CHUNK_SELECTION = 'chunk';
export const CHUNK_SELECTION_FIELDS = ['period', 'index'];

export interface ChunkRow {
  position: number;
  period: Period;
  index: number;
  start: string | null;
  end: string | null;
  rows: number;
}

/** The chunks in axis order, each with its position. */
export function chunkRows(chunks: ChunkResult[]): { chunk: ChunkResult; row: ChunkRow }[] {
  const ordered = [...chunks].sort(
    (a, b) => Number(a.period === 'current') - Number(b.period === 'current') || a.index - b.index
  );
  return ordered.map((chunk, position) => ({
    chunk,
    row: { position, period: chunk.period, index: chunk.index, start: chunk.start, end: chunk.end, rows: chunk.rows }
  }));
}

export const chunkPositionAxis = {
  field: 'position',
  type: 'quantitative' as const,
  title: 'chunk (reference, then current)',
  axis: { tickMinStep: 1, format: 'd' },
  scale: { nice: false, zero: false }
};

export const chunkTooltip = [
  { field: 'period', type: 'nominal' as const, title: 'period' },
  { field: 'index', type: 'quantitative' as const, title: 'chunk' },
  { field: 'start', type: 'nominal' as const, title: 'first timestamp' },
  { field: 'end', type: 'nominal' as const, title: 'last timestamp' },
  { field: 'rows', type: 'quantitative' as const, title: 'rows', format: ',' }
];

/** The chunk a view shows selected (the explorer selects the same chunk in every timeline). */
export interface ChunkRef {
  period: Period;
  index: number;
}

/** The click selection of a chunk, starting on `selected` when given. */
export function chunkSelectionParam(selected: ChunkRef | null = null) {
  return {
    name: CHUNK_SELECTION,
    select: { type: 'point' as const, fields: CHUNK_SELECTION_FIELDS, on: 'click', clear: 'dblclick' },
    ...(selected ? { value: [{ period: selected.period, index: selected.index }] } : {})
  };
}

/** A dashed vertical rule before the first current chunk; none when a period is missing. */
export function periodBoundary(rows: ChunkRow[], theme: ChartTheme): Layer[] {
  const firstCurrent = rows.find(row => row.period === 'current');
  if (!firstCurrent || firstCurrent.position === 0) {
    return [];
  }
  return [
    {
      mark: { type: 'rule', strokeDash: [4, 4], color: theme.palette.guide },
      encoding: { x: { datum: firstCurrent.position - 0.5, type: 'quantitative' } }
    }
  ];
}
