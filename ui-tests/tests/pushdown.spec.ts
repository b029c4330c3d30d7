/**
 * Pushdown in a real JupyterLab with a real kernel: `mt.trace()` of DuckDB relations keeps the rows in DuckDB; only
 * aggregates reach the notebook, and the card shows metrics equal to scikit-learn's, drift, alerts and the root
 * cause the generator planted, and says where the rows stayed.
 */
import { expect, test } from '@jupyterlab/galata';

const READY_CARD = '[data-modeltrace="card"][data-state="ready"]';

test.use({ autoGoto: true });

/** 300 000 rows per period in DuckDB; in the current period the "south" region's labels are noisier. */
const SETUP = `import json
import duckdb, numpy as np, pandas as pd
import modeltrace as mt
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

ref_df, cur_df = period(1, 300_000, 0.0), period(2, 300_000, 0.05)
con = duckdb.connect()
ref, cur = con.from_df(ref_df), con.from_df(cur_df)
print(json.dumps({"accuracy": M.accuracy_score(cur_df.y, cur_df.y_hat), "f1": M.f1_score(cur_df.y, cur_df.y_hat),
                  "precision": M.precision_score(cur_df.y, cur_df.y_hat), "recall": M.recall_score(cur_df.y, cur_df.y_hat), "roc_auc": M.roc_auc_score(cur_df.y, cur_df.p)}))`;

test('a trace of DuckDB relations: aggregates only in the notebook, metrics equal to scikit-learn, the planted cause found', async ({ page, tmpPath }, testInfo) => {
  // the set-up has indented blocks, which typing into a cell would indent twice: it runs from a file
  await page.contents.uploadContent(SETUP, 'text', `${tmpPath}/pushdown_setup.py`);
  await page.notebook.createNew();
  await page.notebook.setCell(0, 'code', 'exec(open("pushdown_setup.py").read())');
  await page.notebook.runCell(0, true);
  const expected = JSON.parse((await page.notebook.getCellTextOutput(0))!.join('').trim()) as Record<string, number>;

  await page.notebook.addCell(
    'code',
    'mt.trace(cur, reference=ref, label="y", prediction="y_hat", score="p", timestamp="ts", features=["debt_ratio", "region"], slices=["region"], name="duckdb-run")'
  );
  await page.notebook.runCell(1, true);
  const card = page.locator(READY_CARD);
  await expect(card).toBeVisible({ timeout: 120000 });
  await expect(card.locator('[data-modeltrace="rows"]')).toHaveText('300,000 rows · reference 300,000');

  const metric = async (name: string): Promise<number> =>
    Number(await card.locator(`tr[data-metric="${name}"] td[data-period="current"]`).first().getAttribute('data-value'));
  for (const name of ["accuracy", "precision", "recall", "f1"]) {
    expect(Math.abs((await metric(name)) - expected[name])).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected[name])));
  }
  // roc_auc comes from 1000 score bins: within its stated bound of scikit-learn's
  const rocAuc = await metric('roc_auc');
  expect(Math.abs(rocAuc - expected.roc_auc)).toBeLessThan(1e-3);

  // the planted cause: the south region
  await expect(card.locator('[data-modeltrace="root-cause"]').first()).toContainText('region = south');
  await expect(card.locator('[data-modeltrace="pushdown-note"]')).toContainText('The rows stayed in DuckDB: analysed from its aggregates of 600,000 rows.');

  // nothing but aggregates in the notebook
  const body = await page.evaluate(() => {
    const app = (window as any).jupyterapp;
    const output = app.shell.currentWidget.content.widgets[1].model.outputs.get(0).toJSON();
    return JSON.stringify(output.data['application/vnd.modeltrace.v1+json']);
  });
  expect(JSON.parse(body).current.format).toBe('aggregates');
  expect(body.length).toBeLessThan(400_000);

  await card.scrollIntoViewIfNeeded();
  await testInfo.attach('pushdown-card-light', { body: await card.screenshot(), contentType: 'image/png' });
  await page.theme.setDarkTheme();
  await expect(card).toBeVisible();
  await testInfo.attach('pushdown-card-dark', { body: await card.screenshot(), contentType: 'image/png' });
  await page.theme.setLightTheme();

  // the explorer draws its timelines, drift ranking and detail charts from the aggregates too
  await card.locator('[data-modeltrace="open-explorer"]').click();
  const explorer = page.locator('[data-modeltrace="explorer"]');
  await expect(explorer).toHaveAttribute('data-details-state', 'ready', { timeout: 60000 });
  for (const chart of ['metric-timeline', 'drift-ranking', 'drift-timeline', 'roc', 'pr', 'calibration', 'confusion', 'distribution']) {
    const svg = explorer.locator(`[data-modeltrace-chart="${chart}"] svg`).first();
    await expect(svg, chart).toBeVisible();
    expect(await svg.locator('path, rect, line').count(), chart).toBeGreaterThan(3);
  }
  await expect(explorer).toContainText('need the rows, which stayed in DuckDB');
  await testInfo.attach('pushdown-explorer-light', { body: await explorer.screenshot(), contentType: 'image/png' });
});
