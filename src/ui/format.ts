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
