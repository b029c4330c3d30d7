/**
 * The trace explorer, opened from the card: charts drawn by vega-embed, and a clicked chunk filtering the chunk view.
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';

const GENERATED = path.resolve(__dirname, '..', 'notebooks', 'generated');

test('the explorer opens from the card, draws its charts and follows a clicked chunk', async ({ page, tmpPath }) => {
  await page.contents.uploadFile(path.join(GENERATED, 'saved-trace.ipynb'), `${tmpPath}/saved-trace.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/saved-trace.ipynb`);
  await page.locator('[data-modeltrace="card"][data-state="ready"] [data-modeltrace="open-explorer"]').click();

  const explorer = page.locator('[data-modeltrace="explorer"]');
  await expect(explorer).toBeVisible();
  for (const chart of ['metric-timeline', 'drift-ranking', 'drift-timeline']) {
    const svg = explorer.locator(`[data-modeltrace-chart="${chart}"] svg`);
    await expect(svg).toBeVisible();
    expect(await svg.locator('path, rect, line').count()).toBeGreaterThan(10);
    const drawMs = Number(await explorer.locator(`[data-modeltrace-chart="${chart}"]`).getAttribute('data-draw-ms'));
    expect(drawMs).toBeLessThan(3000);
  }

  const detail = explorer.locator('[data-modeltrace="chunk-detail"]');
  await expect(detail).toContainText('Click a chunk');
  const lastCurrentChunk = explorer
    .locator('[data-modeltrace-chart="metric-timeline"] svg .mark-symbol path')
    .filter({ has: page.locator('xpath=self::*[contains(@aria-label, "period: current; chunk: 9;")]') })
    .first();
  await lastCurrentChunk.click({ force: true });
  await expect(detail).toHaveAttribute('data-period', 'current');
  await expect(detail).toHaveAttribute('data-index', '9');
  await expect(detail.locator('th', { hasText: /^accuracy$/ })).toBeVisible();

  // the click filters the other views: the filter line, the other timelines' selection, the drift ranking of the
  // chunk, and the details recomputed over the chunk's 200 rows (the slice table's current rows add up to them)
  const filter = explorer.locator('[data-modeltrace="chunk-filter"]');
  await expect(filter).toHaveAttribute('data-index', '9');
  await expect(filter).toContainText('Filtered to current chunk 9: 200 rows');
  await expect(explorer).toHaveAttribute('data-details-chunk', 'current:9');
  await expect(explorer.locator('[data-modeltrace-chart="drift-ranking"] svg')).toContainText('current chunk 9 against the whole reference');
  const currentRows = async () =>
    (await explorer.locator('[data-modeltrace-table="slices"] tbody tr td:nth-child(4)').allTextContents())
      .map(text => Number(text.replace(/,/g, '')))
      .reduce((sum, rows) => sum + rows, 0);
  expect(await currentRows()).toBe(200);
  const driftTimelineFaded = explorer.locator('[data-modeltrace-chart="drift-timeline"] svg .mark-symbol path[opacity="0.3"]');
  expect(await driftTimelineFaded.count()).toBeGreaterThan(0);

  // the screenshots wait for the details the worker adds (curves, slices, distributions)
  await expect(explorer.locator('[data-modeltrace-chart="distribution"] svg')).toBeVisible();
  await page.mouse.move(0, 0);
  await expect(explorer).toHaveScreenshot('explorer-light.png', { maxDiffPixelRatio: 0.03 });
  await page.theme.setDarkTheme();
  // the charts redraw with the dark theme's colours
  await expect(explorer.locator('[data-modeltrace-chart="metric-timeline"] svg text').first()).toHaveCSS('fill', /rgba?\((1[5-9]\d|2\d\d),/);
  await expect(explorer).toHaveScreenshot('explorer-dark.png', { maxDiffPixelRatio: 0.03 });
  await page.theme.setLightTheme();

  // "Show all rows" clears the filter: the details of the whole periods come back
  await filter.locator('[data-modeltrace="clear-chunk"]').click();
  await expect(explorer).toHaveAttribute('data-details-chunk', 'all');
  await expect(filter).toContainText('Showing all rows');
  expect(await currentRows()).toBe(2000);
});

test('the explorer adds the curves, confusion matrix, slices and distributions computed in the worker', async ({ page, tmpPath }) => {
  await page.contents.uploadFile(path.join(GENERATED, 'saved-trace.ipynb'), `${tmpPath}/saved-trace.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/saved-trace.ipynb`);
  await page.locator('[data-modeltrace="card"][data-state="ready"] [data-modeltrace="open-explorer"]').click();
  const explorer = page.locator('[data-modeltrace="explorer"]');
  for (const chart of ['overview', 'roc', 'pr', 'calibration', 'confusion', 'slices', 'distribution']) {
    const svg = explorer.locator(`[data-modeltrace-chart="${chart}"] svg`);
    await expect(svg, chart).toBeVisible();
    expect(await svg.locator('path, rect, line').count(), chart).toBeGreaterThan(3);
  }
  // the overview: headline metrics, current − reference, with bootstrap intervals
  await expect(explorer.locator('[data-modeltrace-chart="overview"] svg')).toContainText('bootstrap intervals');
  // any feature's distribution, from the picker or a click on its drift bar
  const picker = explorer.locator('[data-modeltrace="feature-picker"]');
  await picker.selectOption('region');
  await expect(explorer.locator('[data-modeltrace-chart="distribution"] svg')).toContainText('region');
  await picker.selectOption('income');
  await expect(explorer.locator('[data-modeltrace-chart="distribution"] svg')).toContainText('income');
  // every drift method ranks the features
  for (const method of ['ks', 'psi', 'wasserstein', 'chi2', 'jensen_shannon']) {
    await explorer.locator('[data-modeltrace="drift-method"]').selectOption(method);
    await expect(explorer.locator('[data-modeltrace-chart="drift-ranking"] svg')).toContainText(method);
  }
  await expect(explorer.locator('[data-modeltrace-table="data-quality"] tbody tr')).not.toHaveCount(0);
  await expect(explorer.locator('[data-modeltrace-table="slices"] tbody tr')).not.toHaveCount(0);
  await expect(explorer.locator('[data-modeltrace="details-status"]')).not.toContainText('not available');
  // kept with the test's results, to look at: the detail charts in the dark theme
  await page.theme.setDarkTheme();
  await expect(explorer.locator('[data-modeltrace-chart="roc"] svg text').first()).toHaveCSS('fill', /rgba?\((1[5-9]\d|2\d\d),/);
  for (const chart of ['roc', 'confusion', 'slices']) {
    await explorer.locator(`[data-modeltrace-chart="${chart}"]`).screenshot({ path: test.info().outputPath(`${chart}-dark.png`) });
  }
  await page.theme.setLightTheme();
});

test('the explorer also opens from the traces side panel and the command palette', async ({ page, tmpPath }) => {
  await page.contents.uploadFile(path.join(GENERATED, 'saved-trace.ipynb'), `${tmpPath}/saved-trace.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/saved-trace.ipynb`);
  await expect(page.locator('[data-modeltrace="card"][data-state="ready"]')).toBeVisible();
  await page.evaluate(() => window.jupyterapp.commands.execute('modeltrace:show-traces'));
  await page.locator('[data-modeltrace="explore-trace"]').first().click();
  const explorer = page.locator('[data-modeltrace="explorer"]');
  await expect(explorer.locator('[data-modeltrace-chart="metric-timeline"] svg')).toBeVisible();
  await expect(explorer.locator('h2')).toContainText('saved-run');

  // the palette command asks which trace, then opens it
  await page.evaluate(() => void window.jupyterapp.commands.execute('modeltrace:open-explorer'));
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toBeVisible();
  await dialog.locator('.jp-mod-accept').click();
  await expect(page.locator('[data-modeltrace="explorer"]')).toHaveCount(2);
});

test('two runs compare: metric deltas with intervals, McNemar on shared ids, per-slice deltas', async ({ page, tmpPath }) => {
  await page.contents.uploadFile(path.join(GENERATED, 'two-models.ipynb'), `${tmpPath}/two-models.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/two-models.ipynb`);
  await expect(page.locator('[data-modeltrace="card"][data-state="ready"]')).toHaveCount(2);
  await page.locator('[data-modeltrace="card"][data-state="ready"] [data-modeltrace="open-explorer"]').last().click();
  const explorer = page.locator('[data-modeltrace="explorer"]');
  const compare = explorer.locator('[data-modeltrace="compare"]');
  await compare.locator('[data-modeltrace="compare-picker"]').focus();
  await expect(compare.locator('[data-modeltrace="compare-picker"] option')).toHaveText([/model-a/]);
  await compare.locator('[data-modeltrace="compare-run"]').click();
  await expect(compare).toHaveAttribute('data-state', 'ready');
  await expect(compare.locator('[data-modeltrace="compare-status"]')).toContainText('model-b against model-a: paired on 2,000 shared ids');
  const deltas = compare.locator('[data-modeltrace-chart="compare"] svg');
  await expect(deltas).toContainText('model-b − model-a');
  await expect(deltas).toContainText('McNemar');
  // model-b is wrong on half of the "north" rows: that slice is the worst, the others unchanged
  const rows = compare.locator('[data-modeltrace-table="compare-slices"] tbody tr');
  await expect(rows.first().locator('td').nth(1)).toHaveText('north');
  expect(Number(await rows.first().locator('td').nth(6).textContent())).toBeLessThan(-0.2);
  await expect(rows.nth(1).locator('td').nth(6)).toHaveText('0');
  await expect(compare.locator('[data-modeltrace-chart="slice-deltas"] svg')).toBeVisible();
  await compare.scrollIntoViewIfNeeded();
  await page.mouse.move(0, 0);
  await expect(compare).toHaveScreenshot('compare-light.png', { maxDiffPixelRatio: 0.03 });
  await page.theme.setDarkTheme();
  await expect(compare.locator('[data-modeltrace-chart="compare"] svg text').first()).toHaveCSS('fill', /rgba?\((1[5-9]\d|2\d\d),/);
  await expect(compare).toHaveScreenshot('compare-dark.png', { maxDiffPixelRatio: 0.03 });
  await page.theme.setLightTheme();
});

test('settings apply live: new chunking re-analyses the open card and explorer', async ({ page, tmpPath }) => {
  await page.contents.uploadFile(path.join(GENERATED, 'saved-trace.ipynb'), `${tmpPath}/saved-trace.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/saved-trace.ipynb`);
  await page.locator('[data-modeltrace="card"][data-state="ready"] [data-modeltrace="open-explorer"]').click();
  const explorer = page.locator('[data-modeltrace="explorer"]');
  await expect(explorer.locator('.jp-ModelTrace-Explorer-subtitle')).toContainText('20 chunks');
  await expect(page.locator('[data-modeltrace="card"][data-state="ready"]')).toHaveAttribute('data-chunks', '10');
  // through JupyterLab's setting registry, as the Settings editor does
  const set = (values: Record<string, unknown>) =>
    page.evaluate(async values => {
      const registry = await (window as any).galata.getPlugin('@jupyterlab/apputils-extension:settings');
      for (const [key, value] of Object.entries(values)) {
        await registry.set('modeltrace:plugin', key, value);
      }
    }, values);
  try {
    await set({ chunkCount: 4, driftMethod: 'psi' });
    await expect(explorer.locator('.jp-ModelTrace-Explorer-subtitle')).toContainText('8 chunks');
    await expect(explorer.locator('[data-modeltrace="drift-method"]')).toHaveValue('psi');
    await expect(explorer.locator('[data-modeltrace-chart="drift-ranking"] svg')).toContainText('Population stability index');
    // the card too
    await expect(page.locator('[data-modeltrace="card"][data-state="ready"]')).toHaveAttribute('data-chunks', '4');
  } finally {
    await set({ chunkCount: 10, driftMethod: 'jensen_shannon' });
  }
});

test('a regression trace with latency draws residuals, binned predicted-vs-actual and latency percentiles', async ({ page, tmpPath }) => {
  await page.contents.uploadFile(path.join(GENERATED, 'regression-trace.ipynb'), `${tmpPath}/regression-trace.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/regression-trace.ipynb`);
  await page.locator('[data-modeltrace="card"][data-state="ready"] [data-modeltrace="open-explorer"]').click();
  const explorer = page.locator('[data-modeltrace="explorer"]');
  await expect(explorer).toHaveAttribute('data-details-state', 'ready');
  for (const chart of ['metric-timeline', 'latency', 'overview', 'residuals', 'predicted-vs-actual', 'distribution']) {
    const svg = explorer.locator(`[data-modeltrace-chart="${chart}"] svg`);
    await expect(svg, chart).toBeVisible();
    expect(await svg.locator('path, rect, line').count(), chart).toBeGreaterThan(3);
  }
  await expect(explorer.locator('[data-modeltrace-chart="latency"] svg')).toContainText('p99');
  await expect(explorer.locator('[data-modeltrace="metric-picker"]')).toHaveValue('mae');
  for (const chart of ['latency', 'residuals', 'predicted-vs-actual']) {
    await explorer.locator(`[data-modeltrace-chart="${chart}"]`).screenshot({ path: test.info().outputPath(`${chart}-light.png`) });
  }
});
