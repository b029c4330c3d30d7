/**
 * Faults while traces load, in a real JupyterLab with real kernels: the kernel restarted or interrupted mid-transfer,
 * the notebook saved mid-transfer, two notebooks emitting at once, a notebook closed while its trace is analysed. The
 * card always ends in a clear state (ready, or a message with a way on), the page raises no error, and the saved
 * notebook holds only the trace's reference to kernel data.
 */
import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';

test.use({ autoGoto: true });
test.setTimeout(240_000);

const READY_CARD = '[data-modeltrace="card"][data-state="ready"]';

/** 200 000 rows above a 1 MB embed limit in 0.5 MB comm chunks; the kernel stays busy after showing the card. */
const SETUP = `import time
import numpy as np, pandas as pd
import modeltrace as mt
rng = np.random.default_rng(7)
n = 200_000
p = rng.random(n)
frame = pd.DataFrame({"y": (rng.random(n) < p).astype(int), "y_hat": (p >= 0.5).astype(int), "p": p, "x": rng.normal(size=n)})
mt.config.embed_limit_mb = 1
mt.config.comm_chunk_mb = 0.5
print("ready")`;

const SLOW_TRACE = (name: string, sleep: number) =>
  `display(mt.trace(frame, label="y", prediction="y_hat", score="p", features=["x"], name="${name}"))\ntime.sleep(${sleep})`;

async function setSource(page: IJupyterLabPageFixture, index: number, source: string): Promise<void> {
  await page.evaluate(
    ({ index, source }) => (window as any).jupyterapp.shell.currentWidget.content.widgets[index].model.sharedModel.setSource(source),
    { index, source }
  );
}

/** Start running a cell without waiting for it (Galata's runCell would outlive a test that restarts its kernel). */
async function startCell(page: IJupyterLabPageFixture, index: number): Promise<void> {
  await page.evaluate(index => {
    const app = (window as any).jupyterapp;
    app.shell.currentWidget.content.activeCellIndex = index;
    void app.commands.execute('notebook:run-cell');
  }, index);
}

/** A notebook of one empty code cell for the Python kernel. */
const EMPTY_NOTEBOOK = JSON.stringify({
  cells: [{ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: '' }],
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
  nbformat: 4,
  nbformat_minor: 4
});

/**
 * A notebook NAME in the test's folder, open, its kernel holding the data. Written and opened by path: File > New
 * asks for a kernel in a dialog, which a loaded machine sometimes never showed for a second notebook.
 */
async function notebookWithData(page: IJupyterLabPageFixture, folder: string, name: string): Promise<string> {
  const path = `${folder}/${name}`;
  await page.contents.uploadContent(EMPTY_NOTEBOOK, 'text', path);
  await page.notebook.openByPath(path);
  await page.notebook.activate(name);
  await setSource(page, 0, SETUP);
  await page.notebook.runCell(0, true);
  expect((await page.notebook.getCellTextOutput(0))?.join('')).toContain('ready');
  return page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.context.path as string);
}

/**
 * The page's uncaught errors, except JupyterLab's own "Canceled future for … message before replies were done":
 * @jupyterlab/services rejects the pending requests of a kernel connection disposed with its notebook (e.g. the
 * subshell request JupyterLab 4.6 sends as a kernel starts), whether or not ModelTrace is installed.
 */
function pageErrors(page: IJupyterLabPageFixture): string[] {
  const errors: string[] = [];
  page.on('pageerror', error => {
    // the rejection reaches the page as an Error, or as a string that pageerror wraps ("Error: Canceled future …")
    if (!/^(Error: )?Canceled future for \w+ message before replies were done$/.test(error.message)) {
      errors.push(error.message);
    }
  });
  return errors;
}

test('a kernel restarted mid-transfer leaves a card that says so, and saving mid-transfer keeps only a reference', async ({ page, tmpPath }) => {
  const errors = pageErrors(page);
  const path = await notebookWithData(page, tmpPath, 'restarted.ipynb');
  await page.notebook.addCell('code', '');
  await setSource(page, 1, SLOW_TRACE('restarted-run', 30));
  await startCell(page, 1);
  await expect(page.locator('[data-modeltrace="transfer-progress"]')).toBeVisible({ timeout: 60_000 });

  // saving while the trace loads: the file holds the output with a reference to kernel data, not the data
  await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.context.save());
  const saved = await page.evaluate(async file => JSON.stringify((await (window as any).jupyterapp.serviceManager.contents.get(file)).content), path);
  expect(saved).toContain('"format":"kernel-comm"');
  expect(saved.length).toBeLessThan(20_000);

  await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.restartKernel());
  const card = page.locator('[data-modeltrace="card"]');
  // no card stays on "Fetching": it names what happened, with a way on
  await expect(card).not.toHaveAttribute('data-state', 'loading', { timeout: 60_000 });
  await expect(card).toContainText(/kernel|restart/i);
  expect(errors).toEqual([]);
});

test('a kernel interrupted mid-transfer still delivers the card, and the kernel keeps answering', async ({ page, tmpPath }) => {
  const errors = pageErrors(page);
  await notebookWithData(page, tmpPath, 'interrupted.ipynb');
  await page.notebook.addCell('code', '');
  await setSource(page, 1, 'import os\nprint(os.getpid())');
  await page.notebook.runCell(1, true);
  const pid = Number((await page.notebook.getCellTextOutput(1))?.join('').trim());
  expect(pid).toBeGreaterThan(0);
  await page.notebook.addCell('code', '');
  await setSource(page, 2, SLOW_TRACE('interrupted-run', 60));
  await startCell(page, 2);
  await expect(page.locator('[data-modeltrace="transfer-progress"]')).toBeVisible({ timeout: 60_000 });
  // what JupyterLab's interrupt does for an ipykernel: SIGINT to the kernel process (sent from here, since Galata
  // aborts on the empty body of the server's answer to the interrupt request)
  process.kill(pid, 'SIGINT');
  await expect(page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').last())
    .toContainText('KeyboardInterrupt', { timeout: 60_000 });
  // the sleep ended, the kernel is idle again and serves the rest: the card completes with all its rows
  const card = page.locator(READY_CARD);
  await expect(card).toContainText('interrupted-run', { timeout: 120_000 });
  await expect(card.locator('[data-modeltrace="rows"]')).toHaveText('200,000 rows · no reference');
  expect(errors).toEqual([]);
});

test('two notebooks emitting at once both get their card', async ({ page, tmpPath }) => {
  const errors = pageErrors(page);
  await notebookWithData(page, tmpPath, 'first.ipynb');
  await page.notebook.addCell('code', '');
  await setSource(page, 1, SLOW_TRACE('first-run', 1));
  await notebookWithData(page, tmpPath, 'second.ipynb');
  await page.notebook.addCell('code', '');
  await setSource(page, 1, SLOW_TRACE('second-run', 1));
  // run both at once: the second notebook now, the first right after
  await startCell(page, 1);
  await page.notebook.activate('first.ipynb');
  await startCell(page, 1);
  for (const [notebook, name] of [['first.ipynb', 'first-run'], ['second.ipynb', 'second-run']]) {
    await page.notebook.activate(notebook);
    const card = page.locator(`.jp-NotebookPanel:not(.lm-mod-hidden) ${READY_CARD}`);
    await expect(card).toContainText(name, { timeout: 120_000 });
    await expect(card.locator('[data-modeltrace="rows"]')).toHaveText('200,000 rows · no reference');
  }
  expect(errors).toEqual([]);
});

test('a notebook closed while its trace is analysed raises no error, and the next trace still gets its card', async ({ page, tmpPath }) => {
  const errors = pageErrors(page);
  await notebookWithData(page, tmpPath, 'closing.ipynb');
  await page.notebook.addCell('code', '');
  await setSource(page, 1, SLOW_TRACE('closed-run', 5));
  await startCell(page, 1);
  await expect(page.locator('[data-modeltrace="transfer-progress"]')).toBeVisible({ timeout: 60_000 });
  await page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.dispose());
  await expect(page.locator('[data-modeltrace="card"]')).toHaveCount(0);

  await notebookWithData(page, tmpPath, 'after.ipynb');
  await page.notebook.addCell('code', '');
  await setSource(page, 1, SLOW_TRACE('after-run', 0));
  await page.notebook.runCell(1, true);
  await expect(page.locator(READY_CARD)).toContainText('after-run', { timeout: 60_000 });
  expect(errors).toEqual([]);
});

