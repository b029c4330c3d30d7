/**
 * Number and text formatting shared by the card and the panel.
 */

/** A metric value for display: 4 decimals, or an em dash when undefined. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '—';
  }
  return value.toFixed(4);
}

/** A signed change, e.g. "+0.0123" or "−0.0456"; empty when either side is undefined. */
export function formatDelta(current: number | null | undefined, reference: number | null | undefined): string {
  if (current === null || current === undefined || reference === null || reference === undefined) {
    return '';
  }
  const delta = current - reference;
  if (!Number.isFinite(delta)) {
    return '';
  }
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  return `${sign}${Math.abs(delta).toFixed(4)}`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** Build an element with text content only: trace strings never become HTML. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** Metrics where lower is better, so a rise is a degradation. */
const LOWER_IS_BETTER = new Set(['mae', 'rmse', 'mape', 'log_loss', 'brier', 'ece', 'latency_p50', 'latency_p95', 'latency_p99']);

/**
 * The card's metric table: one row per name that `current` has (metric, reference, current, change, the change
 * marked worse or better), each value cell carrying its period and exact value.
 */
export function metricsTable(
  names: readonly string[],
  reference: Readonly<Record<string, number | null>>,
  current: Readonly<Record<string, number | null>>
): HTMLTableElement {
  const table = element('table', 'jp-ModelTrace-Card-metrics');
  const head = table.createTHead().insertRow();
  for (const title of ['metric', 'reference', 'current', 'change']) {
    head.appendChild(element('th', undefined, title));
  }
  const body = table.createTBody();
  for (const metric of names) {
    if (!(metric in current)) {
      continue;
    }
    const row = body.insertRow();
    row.dataset.metric = metric;
    row.append(element('th', undefined, metric), valueCell(reference[metric], 'reference'), valueCell(current[metric], 'current'));
    const change = element('td', 'jp-ModelTrace-Card-delta', formatDelta(current[metric], reference[metric]));
    const delta = (current[metric] ?? NaN) - (reference[metric] ?? NaN);
    if (Number.isFinite(delta) && delta !== 0) {
      const worse = LOWER_IS_BETTER.has(metric) ? delta > 0 : delta < 0;
      change.classList.add(worse ? 'jp-mod-worse' : 'jp-mod-better');
    }
    row.appendChild(change);
  }
  return table;
}

function valueCell(value: number | null | undefined, period: string): HTMLTableCellElement {
  const cell = element('td', undefined, formatMetric(value));
  cell.dataset.period = period;
  if (value !== null && value !== undefined) {
    cell.dataset.value = String(value);
  }
  return cell;
}
