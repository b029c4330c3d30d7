/**
 * Untrusted notebooks and notebook integrity, in a real JupyterLab: hostile strings in a trace stay text; no request
 * leaves the Jupyter server's origin while every feature is used; opening, analysing and exploring traces never
 * changes the notebook; fifty traces in one notebook all show their card.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import * as path from 'path';

const GENERATED = path.resolve(__dirname, '..', 'notebooks', 'generated');
const READY_CARD = '[data-modeltrace="card"][data-state="ready"]';

/** Every request the page and its workers make, and every dialog (an alert() would be one). */
function watch(page: Page): { requests: string[]; dialogs: string[] } {
  const seen = { requests: [] as string[], dialogs: [] as string[] };
  page.on('request', request => seen.requests.push(request.url()));
  page.on('dialog', dialog => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return seen;
}

/** Click a current chunk's point in the explorer's metric timeline. */
async function clickChunk(page: Page, index: number): Promise<void> {
  await page
    .locator('[data-modeltrace="explorer"] [data-modeltrace-chart="metric-timeline"] svg .mark-symbol path')
    .filter({ has: page.locator(`xpath=self::*[contains(@aria-label, "period: current; chunk: ${index};")]`) })
    .first()
    .click({ force: true });
}

/**
 * The cells of the notebook as saved on the server: ids, types, sources and outputs. (JupyterLab itself marks any
 * notebook dirty once its kernel starts, and adds `language_info` to its metadata: not compared.)
 */
async function savedCells(page: Page, notebookPath: string): Promise<unknown> {
  const model = await page.evaluate(async file => (await (window as any).jupyterapp.serviceManager.contents.get(file)).content, notebookPath);
  return model.cells.map((cell: any) => ({ id: cell.id, type: cell.cell_type, source: cell.source, outputs: cell.outputs }));
}

test('hostile strings in a trace render as text, and nothing is fetched from outside the server', async ({ page, tmpPath }) => {
  const seen = watch(page);
  const file = `${tmpPath}/hostile-trace.ipynb`;
  await page.contents.uploadFile(path.join(GENERATED, 'hostile-trace.ipynb'), file);
  await page.notebook.openByPath(file);
  const card = page.locator(READY_CARD);
  await expect(card).toBeVisible();
  // the name and the feature are shown as the characters they are
  await expect(card).toContainText('<b onmouseover=alert(3)>run</b>');
  await expect(card.locator('[data-modeltrace="drifted"]')).toContainText('<img src=x onerror=alert(1)>');
  await expect(page.locator('img[src="x"], b[onmouseover], script:text("alert(2)")')).toHaveCount(0);

  // the side panel, the explorer with its details, a chunk filter, an export and the report: every feature
  await page.evaluate(() => window.jupyterapp.commands.execute('modeltrace:show-traces'));
  await expect(page.locator('[data-modeltrace="explore-trace"]')).toHaveCount(1);
  await card.locator('[data-modeltrace="open-explorer"]').click();
  const explorer = page.locator('[data-modeltrace="explorer"]');
  await expect(explorer).toHaveAttribute('data-details-state', 'ready');
  await expect(explorer.locator('[data-modeltrace-chart="drift-ranking"] svg')).toContainText('<img src=x onerror=alert(1)>');
  await explorer.locator('[data-modeltrace="feature-picker"]').selectOption('<img src=x onerror=alert(1)>');
  await expect(explorer.locator('[data-modeltrace-chart="distribution"] svg')).toContainText('<img src=x');
  await expect(explorer.locator('[data-modeltrace-table="slices"]')).toContainText('<script>alert(2)</script>');
  await clickChunk(page, 9);
  await expect(explorer).toHaveAttribute('data-details-chunk', /current:/);
  const timeline = explorer.locator('[data-modeltrace-chart="metric-timeline"]');
  await timeline.locator('[data-modeltrace="chart-export"] summary').click();
  await timeline.locator('[data-modeltrace-export="svg"]').click();
  await expect(timeline.locator('[data-modeltrace="export-status"]')).toContainText('Saved');
  await page.locator('[data-modeltrace="export-report"]').first().click();
  const listing = () =>
    page.evaluate(async folder => (await (window as any).jupyterapp.serviceManager.contents.get(folder)).content.map((item: any) => item.name), tmpPath);
  await expect.poll(async () => (await listing()).filter((name: string) => name.endsWith('.html')).length).toBe(1);
  await page.waitForTimeout(1000);

  expect(seen.dialogs).toEqual([]);
  await expect(page.locator('img[src="x"], b[onmouseover]')).toHaveCount(0);
  const origin = new URL(page.url()).origin;
  const outside = seen.requests.filter(url => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
  expect(outside, 'requests outside the Jupyter server').toEqual([]);
  expect(seen.requests.length).toBeGreaterThan(10);
});

test('opening, analysing and exploring traces leaves the notebook unchanged', async ({ page, tmpPath }) => {
  const file = `${tmpPath}/two-models.ipynb`;
  await page.contents.uploadFile(path.join(GENERATED, 'two-models.ipynb'), file);
  const before = await savedCells(page, file);
  await page.notebook.openByPath(file);
  await expect(page.locator(READY_CARD)).toHaveCount(2);
  await page.locator(`${READY_CARD} [data-modeltrace="open-explorer"]`).last().click();
  const explorer = page.locator('[data-modeltrace="explorer"]');
  await expect(explorer).toHaveAttribute('data-details-state', 'ready');
  await clickChunk(page, 9);
  await expect(explorer).toHaveAttribute('data-details-chunk', /current:/);
  const compare = explorer.locator('[data-modeltrace="compare"]');
  await compare.locator('[data-modeltrace="compare-picker"]').focus();
  await compare.locator('[data-modeltrace="compare-run"]').click();
  await expect(compare).toHaveAttribute('data-state', 'ready');
  // saving it writes back the same cells and outputs
  await page.evaluate(
    target => [...(window as any).jupyterapp.shell.widgets('main')].find((widget: any) => widget.context?.path === target)?.context.save(),
    file
  );
  expect(await savedCells(page, file)).toEqual(before);
});

test('fifty traces in one notebook all show their card and are listed', async ({ page, tmpPath }) => {
  const file = `${tmpPath}/fifty-traces.ipynb`;
  await page.contents.uploadFile(path.join(GENERATED, 'fifty-traces.ipynb'), file);
  const started = Date.now();
  await page.notebook.openByPath(file);
  await page.evaluate(() => window.jupyterapp.commands.execute('modeltrace:show-traces'));
  await expect(page.locator('[data-modeltrace="explore-trace"]')).toHaveCount(50, { timeout: 60_000 });
  // the cards render as the notebook scrolls them into view; each becomes ready
  const notebook = page.locator('.jp-NotebookPanel .jp-WindowedPanel-outer');
  for (let step = 0; step < 60 && (await page.locator(READY_CARD).count()) < 50; step++) {
    await notebook.evaluate(node => node.scrollBy(0, 1500));
    await page.waitForTimeout(150);
  }
  const ready = await page.locator(READY_CARD).count();
  test.info().annotations.push({ type: 'fifty traces', description: `${ready} cards ready in ${Date.now() - started} ms` });
  expect(ready).toBe(50);
  await expect(page.locator('[data-modeltrace="card"][data-state="error"]')).toHaveCount(0);
});

test('a trace embedding more than the embed-size limit is refused with its size and the way on', async ({ page, tmpPath }) => {
  const setLimit = (megabytes: number) =>
    page.evaluate(async value => {
      const registry = await (window as any).galata.getPlugin('@jupyterlab/apputils-extension:settings');
      await registry.set('modeltrace:plugin', 'embedLimitMB', value);
    }, megabytes);
  const file = `${tmpPath}/embedded-3mb.ipynb`;
  await page.contents.uploadFile(path.join(GENERATED, 'embedded-3mb.ipynb'), file);
  await setLimit(1);
  try {
    await page.notebook.openByPath(file);
    const error = page.locator('[data-modeltrace="card"][data-state="error"] [data-modeltrace="error"]');
    await expect(error).toContainText(/this trace embeds \d\.\d MB of data, over the embed-size limit of 1 MB/);
    await expect(error).toContainText('mt.save()');
    await expect(error).toHaveAttribute('role', 'alert');
  } finally {
    await setLimit(8);
  }
  // under the default limit the same trace shows its card
  await page.notebook.close(true);
  await page.notebook.openByPath(file);
  await expect(page.locator(READY_CARD)).toContainText('wide-run');
});
