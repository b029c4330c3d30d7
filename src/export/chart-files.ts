/**
 * A drawn chart as a file: PNG at twice its size, SVG, or its Vega-Lite spec (the data are inline, so the JSON
 * re-renders anywhere). Also what saving and downloading them share: file names and the base64/text content the
 * Jupyter contents API takes.
 */
import type { TopLevelSpec } from 'vega-lite';

export type ChartFormat = 'png' | 'svg' | 'vega-lite';

export const CHART_FORMATS: Record<ChartFormat, { extension: string; mimeType: string; label: string }> = {
  png: { extension: 'png', mimeType: 'image/png', label: 'PNG (2×)' },
  svg: { extension: 'svg', mimeType: 'image/svg+xml', label: 'SVG' },
  'vega-lite': { extension: 'vl.json', mimeType: 'application/json', label: 'Vega-Lite JSON' }
};

/** PNGs are drawn at this multiple of the chart's size. */
export const PNG_SCALE = 2;

export interface ExportFile {
  name: string;
  mimeType: string;
  /** base64 for binary files, the text itself otherwise (what the contents API's `format` says). */
  format: 'base64' | 'text';
  content: string;
}

/** The part of a Vega View the exports use. */
export interface ExportableView {
  toCanvas(scaleFactor?: number): Promise<HTMLCanvasElement>;
  toSVG(scaleFactor?: number): Promise<string>;
}

export async function chartFile(view: ExportableView, spec: TopLevelSpec, format: ChartFormat, baseName: string): Promise<ExportFile> {
  const { extension, mimeType } = CHART_FORMATS[format];
  const name = `${safeFileName(baseName)}.${extension}`;
  switch (format) {
    case 'png': {
      const canvas = await view.toCanvas(PNG_SCALE);
      return { name, mimeType, format: 'base64', content: canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '') };
    }
    case 'svg':
      return { name, mimeType, format: 'text', content: await view.toSVG() };
    case 'vega-lite':
      return { name, mimeType, format: 'text', content: `${JSON.stringify(spec, null, 2)}\n` };
  }
}

/** A file name from free text (a trace or chart name): letters, digits, dot, dash and underscore only. */
export function safeFileName(text: string): string {
  const cleaned = text
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return cleaned || 'chart';
}

/** Bytes of an export file, for a download. */
export function fileBlob(file: ExportFile): Blob {
  if (file.format === 'text') {
    return new Blob([file.content], { type: file.mimeType });
  }
  const binary = atob(file.content);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return new Blob([bytes], { type: file.mimeType });
}

/** Hands the file to the browser's download (an object URL, never a network request). */
export function downloadFile(file: ExportFile): void {
  const url = URL.createObjectURL(fileBlob(file));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Where exports go: set once by the extension (files into the workspace through the contents API, static outputs
 * into the notebook); null outside JupyterLab, where only downloads work.
 */
export interface ChartExporter {
  /** Saves next to the current notebook; resolves to the path written. */
  save(file: ExportFile): Promise<string>;
  /** Inserts a static output (the PNG and a text description) into the current notebook. */
  insert(file: ExportFile, description: string): Promise<void>;
}

let exporter: ChartExporter | null = null;

export function setChartExporter(value: ChartExporter | null): void {
  exporter = value;
}

export function chartExporter(): ChartExporter | null {
  return exporter;
}
