/**
 * Large traces in a real JupyterLab with a real kernel: above a lowered embed limit the data stay in the kernel
 * and reach the card over the "modeltrace" comm; cancel stops the transfer; a saved notebook reopened without the
 * kernel that held the data says so instead of showing nothing.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import * as path from 'path';

const GENERATED = path.resolve(__dirname, '..', 'notebooks', 'generated');
const READY_CARD = '[data-modeltrace="card"][data-state="ready"]';

test.use({ autoGoto: true });

/** 200 000 rows (about 5 MB of Arrow) above a 1 MB embed limit, sent in 0.5 MB chunks. */
const SETUP = `import json, time
import numpy as np, pandas as pd
import modeltrace as mt
from sklearn import metrics as M
rng = np.random.default_rng(7)
n = 200_000
p = rng.random(n)
y = (rng.random(n) < p).astype(int)
y_hat = (p + rng.normal(0, 0.2, n) >= 0.5).astype(int)
frame = pd.DataFrame({"y": y, "y_hat": y_hat, "p": p, "x": rng.normal(size=n)})
mt.config.embed_limit_mb = 1
mt.config.comm_chunk_mb = 0.5
print(json.dumps({"accuracy": M.accuracy_score(y, y_hat), "precision": M.precision_score(y, y_hat),
                  "recall": M.recall_score(y, y_hat), "f1": M.f1_score(y, y_hat), "roc_auc": M.roc_auc_score(y, p)}))`;

async function cardMetric(page: Page, metric: string): Promise<number> {
  const cell = page.locator(`${READY_CARD} tr[data-metric="${metric}"] td[data-period="current"]`).first();
  return Number(await cell.getAttribute('data-value'));
}

async function newNotebookWithSetup(page: Page): Promise<Record<string, number>> {
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'code', SETUP);
  await page.notebook.runCell(0, true);
  const printed = (await page.notebook.getCellTextOutput(0))!.join('').trim();
  return JSON.parse(printed) as Record<string, number>;
}

test('a trace above the embed limit arrives over the comm with metrics equal to scikit-learn', async ({ page }) => {
  const expected = await newNotebookWithSetup(page);
  await page.notebook.addCell('code', 'trace = mt.trace(frame, label="y", prediction="y_hat", score="p", features=["x"], name="big-run")\ntrace');
  await page.notebook.runCell(1, true);

  const card = page.locator(READY_CARD);
  await expect(card).toBeVisible({ timeout: 60000 });
  await expect(card.locator('[data-modeltrace="rows"]')).toHaveText('200,000 rows · no reference');
  for (const [metric, value] of Object.entries(expected)) {
    expect(await cardMetric(page, metric)).toBeCloseTo(value, 12);
  }
  // the card says the data live only in the kernel, and how to keep them
  await expect(card.locator('[data-modeltrace="kernel-note"]')).toContainText('live only in the kernel');
  await expect(card.locator('[data-modeltrace="kernel-note"]')).toContainText('mt.save(trace, "runs/x.arrow")');
  // nothing of the data went into the notebook: the output holds a reference, not base64
  const body = await page.evaluate(() => {
    const app = (window as any).jupyterapp;
    const panel = app.shell.currentWidget;
    const output = panel.content.widgets[1].model.outputs.get(0).toJSON();
    return JSON.stringify(output.data['application/vnd.modeltrace.v1+json']);
  });
  expect(body.length).toBeLessThan(4000);
  expect(JSON.parse(body).current.format).toBe('kernel-comm');
});

test('cancel stops the transfer, and loading again brings the card; the headline metrics show at once', async ({ page }, testInfo) => {
  const expected = await newNotebookWithSetup(page);
  // the kernel stays busy after displaying the card, so the card's requests wait: the transfer is in progress
  await page.notebook.addCell(
    'code',
    'display(mt.trace(frame, label="y", prediction="y_hat", score="p", features=["x"], name="slow-run"))\ntime.sleep(20)'
  );
  void page.notebook.runCell(1);
  const cancel = page.locator('[data-modeltrace="card"] [data-modeltrace="cancel"]');
  await expect(cancel).toBeVisible({ timeout: 60000 });
  await expect(page.locator('[data-modeltrace="transfer-progress"]')).toBeVisible();
  // while the data travel (the kernel is busy, so none arrive), the kernel's headline metrics equal scikit-learn's
  const headline = page.locator('[data-modeltrace="card"] [data-modeltrace="headline"]');
  for (const metric of ['accuracy', 'precision', 'recall', 'f1']) {
    const value = await headline.locator(`tr[data-metric="${metric}"] td[data-period="current"]`).getAttribute('data-value');
    expect(Number(value)).toBeCloseTo(expected[metric], 12);
  }
  await expect(headline).toContainText('computed in the kernel');
  // pictures of the waiting card, to look at (the bar moves, so they are not compared)
  const card = page.locator('[data-modeltrace="card"]');
  await card.screenshot({ path: testInfo.outputPath('transfer-light.png') });
  await page.theme.setDarkTheme();
  await card.screenshot({ path: testInfo.outputPath('transfer-dark.png') });
  await page.theme.setLightTheme();
  await cancel.click();
  const cancelled = page.locator('[data-modeltrace="card"] [data-modeltrace="cancelled"]');
  await expect(cancelled).toHaveText('Loading cancelled: the data stay in the kernel until it stops.');

  await page.notebook.waitForRun(1);
  await page.locator('[data-modeltrace="card"] [data-modeltrace="retry"]').click();
  await expect(page.locator(READY_CARD)).toBeVisible({ timeout: 60000 });
  await expect(page.locator(`${READY_CARD} [data-modeltrace="rows"]`)).toHaveText('200,000 rows · no reference');
});

test('a saved notebook reopened in a new kernel explains where the data went', async ({ page, tmpPath }) => {
  await page.contents.uploadFile(path.join(GENERATED, 'kernel-held-trace.ipynb'), `${tmpPath}/kernel-held-trace.ipynb`);
  await page.notebook.openByPath(`${tmpPath}/kernel-held-trace.ipynb`);
  const error = page.locator('[data-modeltrace="card"] [data-modeltrace="error"]');
  await expect(error).toBeVisible({ timeout: 60000 });
  await expect(error).toContainText('lived only in the kernel that made it');
  await expect(error).toContainText('mt.save(trace, "runs/x.arrow")');
  await expect(page.locator('[data-modeltrace="card"]')).toHaveScreenshot('kernel-gone-light.png', { maxDiffPixelRatio: 0.03 });
});

test('a saved notebook reopened with no kernel explains where the data went', async ({ page, tmpPath }) => {
  const name = 'kernel-held-trace-no-kernelspec.ipynb';
  await page.contents.uploadFile(path.join(GENERATED, name), `${tmpPath}/${name}`);
  await page.filebrowser.open(`${tmpPath}/${name}`);
  // no kernelspec in the file: JupyterLab asks which kernel; choose none
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toBeVisible({ timeout: 30000 });
  await dialog.locator('select').selectOption({ label: 'No Kernel' });
  await dialog.locator('.jp-mod-accept').click();
  const error = page.locator('[data-modeltrace="card"] [data-modeltrace="error"]');
  await expect(error).toBeVisible({ timeout: 60000 });
  await expect(error).toHaveAttribute('data-reason', 'no-kernel');
  await expect(error).toContainText('this notebook has no running kernel');
  await expect(page.locator('[data-modeltrace="card"]')).toContainText('4,000 rows');
});
