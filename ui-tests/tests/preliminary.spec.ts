/**
 * A large trace in a real JupyterLab with a real kernel: while its rows travel over the comm, the kernel's
 * aggregates of them reach the card first, which shows the whole analysis (metrics, alerts, drift, root causes)
 * marked preliminary; the analysis of the rows replaces it when they arrive, and a cancelled transfer keeps it.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';

const CARD = '[data-modeltrace="card"]';
const PRELIMINARY = `${CARD}[data-preliminary="true"]`;
const FINAL = `${CARD}[data-state="ready"]:not([data-preliminary])`;

test.use({ autoGoto: true });

/**
 * 200 000 rows per period (about 10 MB of Arrow) above a 1 MB embed limit; in the current period the "south"
 * region's labels are noisier and debt_ratio shifts. The kernel's chunk answers are slowed down (0.25 s each), so
 * the transfer lasts long enough to look at the preliminary card; the aggregates are not slowed.
 */
const SETUP = `import json, time
import numpy as np, pandas as pd
import modeltrace as mt
from modeltrace import _comm
from sklearn import metrics as M

def period(seed, n, shift):
    rng = np.random.default_rng(seed)
    debt_ratio = rng.beta(2, 5, n) + shift
    region = rng.choice(["north", "south", "east", "west"], n)
    p = 1 / (1 + np.exp(-(1.5 - 4 * debt_ratio + rng.normal(0, 0.8, n))))
    y = (rng.random(n) < p).astype(int)
    if shift:
        flip = (region == "south") & (rng.random(n) < 0.35)
        y = np.where(flip, 1 - y, y)
    ts = pd.date_range("2026-03-01" if not shift else "2026-06-01", periods=n, freq="s", tz="UTC")
    return pd.DataFrame({"debt_ratio": debt_ratio, "region": region, "y": y, "p": p, "y_hat": (p >= 0.5).astype(int), "ts": ts})

ref_df, cur_df = period(1, 200_000, 0.0), period(2, 200_000, 0.05)
mt.config.embed_limit_mb = 1
mt.config.comm_chunk_mb = 0.5
unhurried = _comm.Transfer.chunk
def slow_chunk(self, period, index):
    time.sleep(0.25)
    return unhurried(self, period, index)
_comm.Transfer.chunk = slow_chunk
print(json.dumps({"accuracy": M.accuracy_score(cur_df.y, cur_df.y_hat), "f1": M.f1_score(cur_df.y, cur_df.y_hat),
                  "precision": M.precision_score(cur_df.y, cur_df.y_hat), "recall": M.recall_score(cur_df.y, cur_df.y_hat),
                  "roc_auc": M.roc_auc_score(cur_df.y, cur_df.p)}))`;

const TRACE =
  'mt.trace(cur_df, reference=ref_df, label="y", prediction="y_hat", score="p", timestamp="ts", ' +
  'features=["debt_ratio", "region"], slices=["region"], name="large-run")';

async function setUp(page: Page, tmpPath: string): Promise<Record<string, number>> {
  // the set-up has indented blocks, which typing into a cell would indent twice: it runs from a file
  await page.contents.uploadContent(SETUP, 'text', `${tmpPath}/preliminary_setup.py`);
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'code', 'exec(open("preliminary_setup.py").read())');
  await page.notebook.runCell(0, true);
  return JSON.parse((await page.notebook.getCellTextOutput(0))!.join('').trim()) as Record<string, number>;
}

async function metric(scope: Locator, name: string): Promise<number> {
  return Number(await scope.locator(`tr[data-metric="${name}"] td[data-period="current"]`).first().getAttribute('data-value'));
}

test('the analysis of the kernel aggregates shows while the rows travel, then the analysis of the rows replaces it', async ({ page, tmpPath }, testInfo) => {
  const expected = await setUp(page, tmpPath);
  await page.notebook.addCell('code', TRACE);
  void page.notebook.runCell(1);

  const preliminary = page.locator(PRELIMINARY);
  await expect(preliminary).toBeVisible({ timeout: 60000 });
  // the rows are still on their way: the progress bar and the cancel button stay under the analysis
  await expect(preliminary.locator('[data-modeltrace="transfer-progress"]')).toBeVisible();
  await expect(preliminary.locator('[data-modeltrace="cancel"]')).toBeVisible();
  await expect(preliminary.locator('[data-modeltrace="pushdown-note"]')).toContainText(
    "Preliminary: analysed from the kernel's aggregates of 400,000 rows while the rows travel"
  );
  await expect(preliminary.locator('[data-modeltrace="rows"]')).toHaveText('200,000 rows · reference 200,000');
  // counts-based metrics are exact from the aggregates; roc_auc (1000 score bins) within its bound
  for (const name of ['accuracy', 'precision', 'recall', 'f1']) {
    expect(Math.abs((await metric(preliminary, name)) - expected[name])).toBeLessThan(1e-12);
  }
  expect(Math.abs((await metric(preliminary, 'roc_auc')) - expected.roc_auc)).toBeLessThan(1e-3);
  // the whole analysis: drift and the planted root cause
  await expect(preliminary.locator('[data-modeltrace="drifted"]')).toContainText('debt_ratio');
  await expect(preliminary.locator('[data-modeltrace="root-cause"]').first()).toContainText('south');
  const card = page.locator(CARD);
  await card.screenshot({ path: testInfo.outputPath('preliminary-light.png') });
  await page.theme.setDarkTheme();
  await card.screenshot({ path: testInfo.outputPath('preliminary-dark.png') });
  await page.theme.setLightTheme();

  // the rows arrive: their analysis replaces the preliminary one, roc_auc now scikit-learn's to the last digits
  const final = page.locator(FINAL);
  await expect(final).toBeVisible({ timeout: 120000 });
  expect(Math.abs((await metric(final, 'roc_auc')) - expected.roc_auc)).toBeLessThan(1e-12);
  await expect(final.locator('[data-modeltrace="pushdown-note"]')).toHaveCount(0);
  await expect(final.locator('[data-modeltrace="transfer-progress"]')).toHaveCount(0);
  await expect(final.locator('[data-modeltrace="root-cause"]').first()).toContainText('south');
});

test('a transfer cancelled after the aggregates arrived keeps their analysis', async ({ page, tmpPath }) => {
  const expected = await setUp(page, tmpPath);
  await page.notebook.addCell('code', TRACE);
  void page.notebook.runCell(1);
  const preliminary = page.locator(PRELIMINARY);
  await expect(preliminary).toBeVisible({ timeout: 60000 });
  await preliminary.locator('[data-modeltrace="cancel"]').click();
  await expect(page.locator(`${CARD} [data-modeltrace="cancelled"]`)).toHaveText(
    'Loading cancelled: the data stay in the kernel until it stops.'
  );
  expect(Math.abs((await metric(page.locator(CARD), 'accuracy')) - expected.accuracy)).toBeLessThan(1e-12);
  await expect(page.locator(`${CARD} [data-modeltrace="root-cause"]`).first()).toContainText('south');
  // loading again brings the analysis of the rows
  await page.locator(`${CARD} [data-modeltrace="retry"]`).click();
  await expect(page.locator(FINAL)).toBeVisible({ timeout: 120000 });
});
