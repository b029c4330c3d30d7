/**
 * Root causes next to the code, in a real JupyterLab with a real kernel: the card lists the injected cause, the
 * producing cell's editor marks the implicated column (underline, gutter, hover text), the probe cell runs on the
 * trace's data and shows the slice's worse metric, a click opens the explorer on the cause's chart, and a changed
 * hyper-parameter re-run on the same data is reported as a code change.
 */
import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';

test.use({ autoGoto: true });
test.setTimeout(240_000);

const READY_CARD = '[data-modeltrace="card"][data-state="ready"]';

/** A model that is fine in the reference and wrong on half of the "north" rows of the current data. */
const DATA = `import numpy as np, pandas as pd
import modeltrace as mt
rng = np.random.default_rng(11)
n = 4000
def period(broken):
    p = rng.random(n)
    frame = pd.DataFrame({"ts": pd.date_range("2026-01-01", periods=n, freq="min", tz="UTC"),
                          "income": rng.lognormal(10, 0.5, n), "debt_ratio": rng.beta(2, 5, n),
                          "region": rng.choice(["north", "south", "east", "west"], n), "p": p})
    frame["y"] = (rng.random(n) < p).astype(int)
    frame["y_hat"] = (p >= 0.5).astype(int)
    if broken:
        wrong = (frame["region"] == "north") & (np.arange(n) % 2 == 0)
        frame.loc[wrong, "y_hat"] = 1 - frame.loc[wrong, "y"]
    return frame
reference, current = period(False), period(True)
print("ready")`;

const TRACE = `mt.trace(current, reference=reference, label="y", prediction="y_hat", score="p", timestamp="ts",
         features=["income", "debt_ratio"], slices=["region"], name="inline-run")`;

const TUNED = (threshold: string) => `threshold = ${threshold}
tuned = reference.assign(y_hat=(reference["p"] >= threshold).astype(int))
mt.trace(tuned, label="y", prediction="y_hat", score="p", features=["income"], name="tuned")`;

/** Set a cell's source through the model: typing it would let the editor re-indent the Python. */
async function setSource(page: IJupyterLabPageFixture, index: number, source: string): Promise<void> {
  await page.evaluate(
    ({ index, source }) => (window as any).jupyterapp.shell.currentWidget.content.widgets[index].model.sharedModel.setSource(source),
    { index, source }
  );
}

async function notebookWithData(page: IJupyterLabPageFixture): Promise<void> {
  await page.notebook.createNew();
  await setSource(page, 0, DATA);
  await page.notebook.runCell(0, true);
  expect((await page.notebook.getCellTextOutput(0))?.join('')).toContain('ready');
}

test('the card lists the injected cause, the cell marks its column, the probe shows the slice is worse', async ({ page }) => {
  await notebookWithData(page);
  await page.notebook.addCell('code', '');
  await setSource(page, 1, TRACE);
  await page.notebook.runCell(1, true);
  const card = page.locator(READY_CARD);
  await expect(card).toBeVisible({ timeout: 60_000 });

  // the injected cause first: the slice region = north
  const first = card.locator('[data-modeltrace="root-cause"]').first();
  await expect(first).toHaveAttribute('data-kind', 'slice');
  await expect(first).toContainText('region');
  await expect(first).toContainText('north');
  const summary = (await first.locator('[data-modeltrace="root-cause-open"]').textContent())!.trim();

  // the producing cell's editor: "region" underlined with a gutter mark, the cause's summary on hover
  const cell = page.locator('.jp-Notebook .jp-CodeCell').nth(1);
  const marks = cell.locator('.cm-editor .cm-lintRange-warning');
  await expect(marks).toHaveCount(1);
  await expect(marks.first()).toHaveText('region');
  await expect(cell.locator('.cm-lint-marker-warning')).toHaveCount(1);
  await marks.first().hover();
  const tooltip = page.locator('.cm-tooltip-lint');
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText('Root cause #1 (slice)');
  await expect(tooltip).toContainText(summary.slice(0, 40));
  await cell.screenshot({ path: test.info().outputPath('diagnostic-light.png') });
  await page.theme.setDarkTheme();
  await marks.first().hover();
  await expect(tooltip).toBeVisible();
  await cell.screenshot({ path: test.info().outputPath('diagnostic-dark.png') });
  await page.theme.setLightTheme();

  // the probe: a cell below, run on the trace's data in the kernel, shows the slice's worse accuracy
  await first.locator('[data-modeltrace="probe-cell"]').click();
  const probe = page.locator('.jp-Notebook .jp-CodeCell').nth(2);
  await expect(probe.locator('.cm-content')).toContainText('modeltrace_probe(*mt.frames(');
  await page.notebook.runCell(2, true);
  const printed = (await page.notebook.getCellTextOutput(2))!.join('');
  const current = /(\d+) of 4000 current rows; accuracy ([\d.]+) vs ([\d.]+) overall/.exec(printed);
  expect(current, printed).not.toBeNull();
  const [, rows, inSlice, overall] = current!;
  expect(Number(rows)).toBeGreaterThan(800);
  expect(Number(inSlice)).toBeLessThan(Number(overall) - 0.15);
  // the user's own variables are untouched by the probe
  await page.notebook.addCell('code', 'print(type(current).__name__, len(current), "probe" in globals())');
  await page.notebook.runCell(3, true);
  expect((await page.notebook.getCellTextOutput(3))!.join('')).toContain('DataFrame 4000 False');

  // a click on the cause opens the explorer on the chart that shows it
  await first.locator('[data-modeltrace="root-cause-open"]').click();
  const explorer = page.locator('[data-modeltrace="explorer"]');
  await expect(explorer.locator('[data-modeltrace-chart="slices"]')).toHaveAttribute('data-focused', 'true');
  await expect(explorer.locator('[data-modeltrace-chart="slices"] svg')).toBeVisible();

  // clearing the output clears the marks
  await page.evaluate(() => {
    for (const widget of (window as any).jupyterapp.shell.widgets('main')) {
      if (widget.context?.path?.endsWith('.ipynb')) {
        widget.content.widgets[1].model.outputs.clear();
      }
    }
  });
  await expect(marks).toHaveCount(0);
});

test('changing a hyper-parameter and re-running the cell on the same data shows a code change', async ({ page }) => {
  await notebookWithData(page);
  await page.notebook.addCell('code', '');
  await setSource(page, 1, TUNED('0.5'));
  await page.notebook.runCell(1, true);
  const card = page.locator(READY_CARD);
  await expect(card).toBeVisible({ timeout: 60_000 });
  await expect(card.locator('[data-modeltrace="root-cause"][data-kind="code_change"]')).toHaveCount(0);

  await setSource(page, 1, TUNED('0.9'));
  await page.notebook.runCell(1, true);
  const change = page.locator(`${READY_CARD} [data-modeltrace="root-cause"][data-kind="code_change"]`);
  await expect(change).toBeVisible({ timeout: 60_000 });
  await expect(change).toContainText('threshold=0.5 → threshold=0.9');
  await expect(change).toContainText('on the same data');
  await expect(change.locator('[data-modeltrace="code-diff"]')).toContainText('− threshold = 0.5');
  await expect(change.locator('[data-modeltrace="code-diff"]')).toContainText('+ threshold = 0.9');
  await page.locator(READY_CARD).screenshot({ path: test.info().outputPath('code-change-light.png') });
});

test('the compare view shows the code change between two runs on the same data', async ({ page }) => {
  await notebookWithData(page);
  for (const [index, threshold] of [[1, '0.5'], [2, '0.9']] as const) {
    await page.notebook.addCell('code', '');
    await setSource(page, index, TUNED(threshold).replace('name="tuned"', `name="tuned-${threshold}"`));
    await page.notebook.runCell(index, true);
  }
  await expect(page.locator(READY_CARD)).toHaveCount(2, { timeout: 60_000 });
  await page.locator(`${READY_CARD} [data-modeltrace="open-explorer"]`).last().click();
  const compare = page.locator('[data-modeltrace="explorer"] [data-modeltrace="compare"]');
  await compare.locator('[data-modeltrace="compare-picker"]').focus();
  await expect(compare.locator('[data-modeltrace="compare-picker"] option')).toHaveText([/tuned-0\.5/]);
  await compare.locator('[data-modeltrace="compare-run"]').click();
  const change = compare.locator('[data-modeltrace="compare-code-change"]');
  await expect(change).toContainText('Code change: accuracy');
  await expect(change).toContainText('threshold=0.5 → threshold=0.9');
  await expect(change.locator('pre')).toContainText('+ threshold = 0.9');
  // no shared id column: independent samples, so no McNemar
  await expect(compare.locator('[data-modeltrace="compare-status"]')).toContainText('independent samples');
});
