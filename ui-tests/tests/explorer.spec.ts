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

  // the screenshots wait for the details the worker adds (curves, slices, distributions)
  await expect(explorer.locator('[data-modeltrace-chart^="distribution-"] svg').last()).toBeVisible();
  await page.mouse.move(0, 0);
  await expect(explorer).toHaveScreenshot('explorer-light.png', { maxDiffPixelRatio: 0.03 });
  await page.theme.setDarkTheme();
  // the charts redraw with the dark theme's colours
  await expect(explorer.locator('[data-modeltrace-chart="metric-timeline"] svg text').first()).toHaveCSS('fill', /rgba?\((1[5-9]\d|2\d\d),/);
  await expect(explorer).toHaveScreenshot('explorer-dark.png', { maxDiffPixelRatio: 0.03 });
  await page.theme.setLightTheme();
});

test('the explorer adds the curves, confusion matrix, slices and distributions computed in the worker', async ({ page, tmpPath }) => {
  await page.contents.uploadFile(path.join(GENERATED, 'saved-trace.ipynb'), `${tmpPath}/saved-trace.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/saved-trace.ipynb`);
  await page.locator('[data-modeltrace="card"][data-state="ready"] [data-modeltrace="open-explorer"]').click();
  const explorer = page.locator('[data-modeltrace="explorer"]');
  for (const chart of ['roc', 'pr', 'calibration', 'confusion', 'slices']) {
    const svg = explorer.locator(`[data-modeltrace-chart="${chart}"] svg`);
    await expect(svg, chart).toBeVisible();
    expect(await svg.locator('path, rect, line').count(), chart).toBeGreaterThan(3);
  }
  await expect(explorer.locator('[data-modeltrace-chart^="distribution-"] svg').first()).toBeVisible();
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
