/**
 * The trace card and the traces side panel in a real JupyterLab with a real Python kernel.
 */
import { expect, test } from '@jupyterlab/galata';
import * as path from 'path';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const GENERATED = path.resolve(__dirname, '..', 'notebooks', 'generated');

const CARD = '[data-modeltrace="card"]';
const READY_CARD = '[data-modeltrace="card"][data-state="ready"]';

test.use({ autoGoto: true });

/** Values of the headline metric rows of a card, read from data attributes (full precision). */
async function cardMetric(page: import('@playwright/test').Page, metric: string, period: 'reference' | 'current') {
  const cell = page.locator(`${READY_CARD} tr[data-metric="${metric}"] td[data-period="${period}"]`).first();
  return Number(await cell.getAttribute('data-value'));
}

test('the quickstart shows a card whose metrics equal scikit-learn', async ({ page, tmpPath }) => {
  await page.contents.uploadFile(path.join(EXAMPLES, 'quickstart.ipynb'), `${tmpPath}/quickstart.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/quickstart.ipynb`);
  await page.notebook.run();
  const card = page.locator(READY_CARD);
  await expect(card).toBeVisible({ timeout: 60000 });
  await expect(card.locator('[data-modeltrace="rows"]')).toHaveText('171 rows · reference 171');

  // the same numbers from scikit-learn, computed in the same kernel
  await page.notebook.addCell(
    'code',
    'from sklearn import metrics as M\n' +
      'print(*[f(d["y"], d["y_hat"]) for d in (reference, current) ' +
      'for f in (M.accuracy_score, M.precision_score, M.recall_score, M.f1_score)])\n' +
      'print(M.roc_auc_score(reference["y"], reference["p"]), M.roc_auc_score(current["y"], current["p"]))'
  );
  const last = (await page.notebook.getCellCount()) - 1;
  await page.notebook.runCell(last, true);
  const lines = (await page.notebook.getCellTextOutput(last))!.join('\n').trim().split('\n');
  const [classification, auc] = lines.map(line => line.trim().split(/\s+/).map(Number));
  const names = ['accuracy', 'precision', 'recall', 'f1'];
  for (const [i, name] of names.entries()) {
    expect(await cardMetric(page, name, 'reference')).toBeCloseTo(classification[i], 12);
    expect(await cardMetric(page, name, 'current')).toBeCloseTo(classification[4 + i], 12);
  }
  expect(await cardMetric(page, 'roc_auc', 'reference')).toBeCloseTo(auc[0], 12);
  expect(await cardMetric(page, 'roc_auc', 'current')).toBeCloseTo(auc[1], 12);

  // the shifted sensor features are reported as drifted, and the roles say what was given
  await expect(card.locator('[data-modeltrace="drifted"]')).toContainText('mean area');
  await expect(card.locator('[data-modeltrace="roles"]')).toContainText('label: y');
  // the miscalibrated area sensor is the top root cause
  await expect(card.locator('[data-modeltrace="root-cause"]').first()).toHaveAttribute('data-kind', 'feature_drift');
  await expect(card.locator('[data-modeltrace="root-cause"]').first()).toContainText('area');
  await expect(card).toHaveScreenshot('quickstart-card-light.png', { maxDiffPixelRatio: 0.03 });
  await page.theme.setDarkTheme();
  await expect(card).toHaveScreenshot('quickstart-card-dark.png', { maxDiffPixelRatio: 0.03 });
  await page.theme.setLightTheme();
});

test('a saved notebook reopened without a kernel still shows the card', async ({ page, tmpPath }) => {
  await page.contents.uploadFile(path.join(GENERATED, 'saved-trace.ipynb'), `${tmpPath}/saved-trace.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/saved-trace.ipynb`);
  await page.evaluate(async () => {
    // no kernel: shut down whatever the notebook started
    const app = (window as any).jupyterapp;
    await app.serviceManager.sessions.refreshRunning();
    for (const session of [...app.serviceManager.sessions.running()]) {
      await app.serviceManager.sessions.shutdown(session.id);
    }
  });
  const card = page.locator(READY_CARD);
  await expect(card).toBeVisible();
  await expect(card.locator('[data-modeltrace="rows"]')).toContainText('rows · reference');
  await expect(card.locator('tr[data-metric="accuracy"] td[data-period="current"]')).toHaveAttribute('data-value', /^0\.\d+/);
});

test('a malformed payload shows a clear error, not a blank output', async ({ page, tmpPath }) => {
  await page.contents.uploadFile(path.join(GENERATED, 'malformed.ipynb'), `${tmpPath}/malformed.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/malformed.ipynb`);
  const errors = page.locator(`${CARD} [data-modeltrace="error"]`);
  await expect(errors).toHaveCount(3);
  await expect(errors.nth(0)).toContainText('unsupported "version" 7');
  await expect(errors.nth(1)).toContainText('"current.data" is not valid base64');
  await expect(errors.nth(2)).toContainText('"roles" must be an object');
});

test('the traces panel lists the traces of two open notebooks', async ({ page, tmpPath }) => {
  await page.contents.uploadFile(path.join(GENERATED, 'saved-trace.ipynb'), `${tmpPath}/first.ipynb`);
  await page.contents.uploadFile(path.join(GENERATED, 'two-traces.ipynb'), `${tmpPath}/second.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/first.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/second.ipynb`);
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('modeltrace:show-traces'));
  const panel = page.locator('[data-modeltrace="traces"]');
  await expect(panel).toBeVisible();
  await expect(panel.locator(`[data-notebook="${tmpPath}/first.ipynb"] [data-modeltrace="trace-item"]`)).toHaveCount(1);
  await expect(panel.locator(`[data-notebook="${tmpPath}/second.ipynb"] [data-modeltrace="trace-item"]`)).toHaveCount(2);
  await expect(panel).toContainText('baseline-run');
  await expect(panel).toContainText('candidate-run');
});

test('the traces panel explains its empty state', async ({ page }) => {
  await page.evaluate(() => (window as any).jupyterapp.commands.execute('modeltrace:show-traces'));
  await expect(page.locator('[data-modeltrace="traces-empty"]')).toContainText('No traces in the open notebooks yet.');
});
