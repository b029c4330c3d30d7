/**
 * ModelTrace also loads in Jupyter Notebook 7: the card renders and the browser console stays clean.
 * Starts its own `jupyter notebook` server (the Galata web server is JupyterLab).
 */
import { expect, test } from '@playwright/test';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const PORT = Number(process.env.MODELTRACE_UI_PORT || 8888) + 11;
const GENERATED = path.resolve(__dirname, '..', 'notebooks', 'generated');
/**
 * Errors Notebook 7.6 raises by itself, with ModelTrace disabled too (checked by hand: `jupyter labextension
 * disable modeltrace`, same page, same error from its keyboard-shortcuts plugin).
 */
const NOTEBOOK_OWN_ERRORS = [/^Cannot read properties of undefined \(reading 'schema'\) @ at .*notebook_core\./];

let server: ChildProcess | null = null;
let root = '';

test.beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'modeltrace-nb7-'));
  fs.copyFileSync(path.join(GENERATED, 'saved-trace.ipynb'), path.join(root, 'saved-trace.ipynb'));
  server = spawn(
    'jupyter',
    [
      'notebook',
      '--no-browser',
      `--port=${PORT}`,
      '--port-retries=0',
      '--allow-root',
      '--IdentityProvider.token=',
      '--ServerApp.password=',
      '--ServerApp.disable_check_xsrf=True',
      `--ServerApp.root_dir=${root}`
    ],
    { stdio: 'ignore' }
  );
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      const response = await fetch(`http://localhost:${PORT}/api/status`);
      if (response.ok) {
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error('jupyter notebook did not start on port ' + PORT);
});

test.afterAll(() => {
  server?.kill();
});

test('Notebook 7 renders the trace card with no console errors', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', message => {
    if (message.type() === 'error') {
      problems.push(`${message.text()} @ ${message.location().url}`);
    }
  });
  page.on('pageerror', error => problems.push(`${error.message} @ ${error.stack?.split('\n')[1]?.trim()}`));
  await page.goto(`http://localhost:${PORT}/notebooks/saved-trace.ipynb`);
  const card = page.locator('[data-modeltrace="card"][data-state="ready"]');
  await expect(card).toBeVisible({ timeout: 60000 });
  await expect(card.locator('tr[data-metric="accuracy"]')).toBeVisible();
  expect(problems.filter(problem => !NOTEBOOK_OWN_ERRORS.some(known => known.test(problem)))).toEqual([]);
});
