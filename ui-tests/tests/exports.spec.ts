/**
 * Exports from the explorer: each chart as PNG (2×), SVG and Vega-Lite JSON saved next to the notebook through the
 * contents API; "Insert into notebook" as a static output that nbconvert shows without ModelTrace; the HTML report
 * from the explorer's toolbar.
 */
import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const GENERATED = path.resolve(__dirname, '..', 'notebooks', 'generated');
const ROOT = path.resolve(__dirname, '..', '..');

interface ContentsModel {
  name: string;
  path: string;
  content: unknown;
  format: string;
}

async function contents(page: IJupyterLabPageFixture, filePath: string): Promise<ContentsModel> {
  return page.evaluate(async p => {
    const response = await fetch(`/api/contents/${p}?content=1`);
    return response.json();
  }, filePath);
}

async function openExplorer(page: IJupyterLabPageFixture, tmpPath: string) {
  await page.contents.uploadFile(path.join(GENERATED, 'saved-trace.ipynb'), `${tmpPath}/saved-trace.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/saved-trace.ipynb`);
  await page.locator('[data-modeltrace="card"][data-state="ready"] [data-modeltrace="open-explorer"]').click();
  const explorer = page.locator('[data-modeltrace="explorer"]');
  await expect(explorer.locator('[data-modeltrace-chart="metric-timeline"] svg')).toBeVisible();
  return explorer;
}

async function exportChart(page: IJupyterLabPageFixture, chart: string, hook: string): Promise<string> {
  const view = page.locator(`[data-modeltrace-chart="${chart}"]`).first();
  const menu = view.locator('[data-modeltrace="chart-export"]');
  if ((await menu.getAttribute('open')) === null) {
    await menu.locator('summary').click();
  }
  await menu.locator(`[data-modeltrace-export="${hook}"]`).click();
  const status = menu.locator('[data-modeltrace="export-status"]');
  await expect(status).toHaveText(/^(Saved|Inserted|Export failed)/);
  return (await status.textContent()) ?? '';
}

test('a chart saves as PNG at 2x, SVG and Vega-Lite JSON next to the notebook', async ({ page, tmpPath }) => {
  await openExplorer(page, tmpPath);
  const svg = page.locator('[data-modeltrace-chart="metric-timeline"] .jp-ModelTrace-Chart-host svg').first();
  const width = Number(await svg.getAttribute('width'));
  const height = Number(await svg.getAttribute('height'));

  const png = await exportChart(page, 'metric-timeline', 'png');
  expect(png).toMatch(new RegExp(`^Saved ${tmpPath}/.*\\.png$`));
  const pngModel = await contents(page, png.replace(/^Saved /, ''));
  const bytes = Buffer.from(pngModel.content as string, 'base64');
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  // IHDR: width and height, big-endian, at bytes 16 and 20
  expect(bytes.readUInt32BE(16)).toBe(2 * width);
  expect(bytes.readUInt32BE(20)).toBe(2 * height);

  const svgPath = (await exportChart(page, 'metric-timeline', 'svg')).replace(/^Saved /, '');
  const svgText = (await contents(page, svgPath)).content as string;
  const parsed = await page.evaluate(text => {
    const document = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { root: document.documentElement.nodeName, errors: document.getElementsByTagName('parsererror').length };
  }, svgText);
  expect(parsed).toEqual({ root: 'svg', errors: 0 });

  const jsonPath = (await exportChart(page, 'metric-timeline', 'vega-lite')).replace(/^Saved /, '');
  // how the open menu looks, in both themes (kept with the test's results)
  const chart = page.locator('[data-modeltrace-chart="metric-timeline"]').first();
  await chart.screenshot({ path: test.info().outputPath('export-menu-light.png') });
  await page.theme.setDarkTheme();
  await chart.screenshot({ path: test.info().outputPath('export-menu-dark.png') });
  await page.theme.setLightTheme();
  const spec = JSON.parse((await contents(page, jsonPath)).content as string);
  // valid against the Vega-Lite schema, and it draws again outside ModelTrace (Vega, headless)
  const { default: Ajv } = await import(path.join(ROOT, 'node_modules', 'ajv', 'dist', 'ajv.js'));
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'vega-lite', 'build', 'vega-lite-schema.json'), 'utf8'));
  const validate = new Ajv({ strict: false, allErrors: false }).compile(schema);
  expect(validate(spec), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  const redrawn = execFileSync(process.execPath, ['--input-type=module', '-e', `
    import { compile } from 'vega-lite';
    import { parse, View } from 'vega';
    import { readFileSync } from 'node:fs';
    const spec = JSON.parse(readFileSync(0, 'utf8'));
    const view = new View(parse(compile(spec).spec), { renderer: 'none' });
    process.stdout.write(await view.toSVG());
  `], { cwd: ROOT, input: JSON.stringify(spec) }).toString();
  expect(redrawn).toMatch(/^<svg/);
  expect((redrawn.match(/<path/g) ?? []).length).toBeGreaterThan(10);
});

test('a chart inserted into the notebook is a static output that nbconvert shows', async ({ page, tmpPath }) => {
  await openExplorer(page, tmpPath);
  expect(await exportChart(page, 'drift-ranking', 'insert')).toBe('Inserted into the notebook');
  await page.notebook.activate('saved-trace.ipynb');
  await page.notebook.save();
  const notebook = (await contents(page, `${tmpPath}/saved-trace.ipynb`)).content as {
    cells: Array<{ cell_type: string; outputs?: Array<{ data?: Record<string, string> }> }>;
  };
  const inserted = notebook.cells.find(cell => cell.outputs?.some(output => output.data?.['image/png']));
  expect(inserted, 'a cell with an image/png output').toBeTruthy();
  const image = inserted?.outputs?.find(output => output.data?.['image/png'])?.data as Record<string, string>;
  expect(image['text/plain']).toBeTruthy();

  const directory = mkdtempSync(path.join(tmpdir(), 'modeltrace-nbconvert-'));
  const file = path.join(directory, 'inserted.ipynb');
  writeFileSync(file, JSON.stringify(notebook));
  execFileSync('jupyter', ['nbconvert', '--to', 'html', file], { cwd: directory, stdio: 'pipe' });
  const html = readFileSync(path.join(directory, 'inserted.html'), 'utf8');
  expect(html).toContain(`data:image/png;base64,${image['image/png'].replace(/\n/g, '').slice(0, 64)}`);
});

test('the explorer toolbar saves the offline HTML report next to the notebook', async ({ page, tmpPath }) => {
  const problems: string[] = [];
  page.on('console', message => {
    if (message.type() === 'error') {
      problems.push(message.text());
    }
  });
  await openExplorer(page, tmpPath);
  await page.locator('[data-modeltrace="export-report"]').click();
  await expect
    .poll(async () => {
      const listing = (await contents(page, tmpPath)).content as ContentsModel[];
      return listing.map(entry => entry.name).find(name => name.endsWith('-report.html')) ?? problems.join('; ');
    })
    .toMatch(/-report\.html$/);
  const listing = (await contents(page, tmpPath)).content as ContentsModel[];
  const report = listing.find(entry => entry.name.endsWith('-report.html')) as ContentsModel;
  const html = (await contents(page, report.path)).content as string;
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(html).toContain("default-src 'none'");
  expect(html).toContain('globalThis.vegaInterpreter');
  expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);

  // opened from disk, with the libraries the extension ships: every chart drawn, no request but the file
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'modeltrace-report-')), 'report.html');
  writeFileSync(file, html);
  const reportPage = await page.context().newPage();
  const requests: string[] = [];
  reportPage.on('request', request => requests.push(request.url()));
  await reportPage.goto(`file://${file}`);
  await expect(reportPage.locator('body')).toHaveAttribute('data-modeltrace-charts', 'drawn');
  expect(await reportPage.locator('[data-modeltrace-chart] svg').count()).toBeGreaterThanOrEqual(3);
  expect(requests).toEqual([`file://${file}`]);
  await reportPage.close();
});

test('the explorer saves its tables as CSV, Markdown and LaTeX, and inserts the metrics as Markdown', async ({ page, tmpPath }) => {
  await openExplorer(page, tmpPath);
  await page.locator('[data-modeltrace="export-tables"]').click();
  const folder = async () =>
    ((await contents(page, tmpPath)).content as ContentsModel[]).find(entry => entry.name.endsWith('-tables'))?.path ?? '';
  await expect.poll(folder).not.toBe('');
  await expect
    .poll(async () => ((await contents(page, await folder())).content as ContentsModel[]).map(entry => entry.name).sort())
    .toEqual(expect.arrayContaining(['metrics.csv', 'metrics.md', 'metrics.tex', 'drift.csv', 'drift.md', 'drift.tex']));
  const csv = (await contents(page, `${await folder()}/metrics.csv`)).content as string;
  expect(csv.split('\r\n')[0]).toBe('metric,reference,current,change');
  expect(csv).toMatch(/\r\naccuracy,0\.\d+,0\.\d+,-?\d/);
  const tex = (await contents(page, `${await folder()}/drift.tex`)).content as string;
  expect(tex).toContain('\\toprule');

  await page.locator('[data-modeltrace="insert-metrics"]').click();
  await page.notebook.activate('saved-trace.ipynb');
  await page.notebook.save();
  const notebook = (await contents(page, `${tmpPath}/saved-trace.ipynb`)).content as {
    cells: Array<{ outputs?: Array<{ data?: Record<string, string> }> }>;
  };
  const markdown = notebook.cells.flatMap(cell => cell.outputs ?? []).find(output => output.data?.['text/markdown'])?.data;
  expect(markdown?.['text/markdown']).toMatch(/^\| metric \| reference \| current \| change \|/);
  const directory = mkdtempSync(path.join(tmpdir(), 'modeltrace-nbconvert-'));
  writeFileSync(path.join(directory, 'tables.ipynb'), JSON.stringify(notebook));
  execFileSync('jupyter', ['nbconvert', '--to', 'html', 'tables.ipynb'], { cwd: directory, stdio: 'pipe' });
  const html = readFileSync(path.join(directory, 'tables.html'), 'utf8');
  expect(html).toMatch(/<td[^>]*>accuracy<\/td>/);
});
