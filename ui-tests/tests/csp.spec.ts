/**
 * ModelTrace under a strict Content-Security-Policy without 'unsafe-eval', in a real JupyterLab in Chromium.
 *
 * JupyterLab 4 itself does not start under such a policy: its page has an inline script, and its settings plugin
 * compiles JSON schemas with Ajv (`new Function`) while it starts. So the test lets JupyterLab start, then adds the
 * policy to the page (a `<meta http-equiv>` CSP is enforced from the moment it is inserted), and serves ModelTrace's
 * scripts with the policy as a response header, which is the policy of the analysis worker (a worker follows its own
 * script's response, not the page). Every violation is recorded. The card, the explorer with its charts and a chunk
 * filter work and nothing is refused; custom metrics, which Arquero compiles from text, are refused with a message
 * saying so.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import * as path from 'path';

test.use({ autoGoto: false });

const GENERATED = path.resolve(__dirname, '..', 'notebooks', 'generated');
const READY_CARD = '[data-modeltrace="card"][data-state="ready"]';

/** No 'unsafe-eval': scripts and workers only from the server (the page keeps the inline script it started with). */
const POLICY = "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'";

/** The policy on ModelTrace's scripts (the worker's) now, on the page once JupyterLab has started. */
async function withPolicy(page: Page): Promise<void> {
  await page.context().route(
    url => url.pathname.includes('/extensions/modeltrace/') && url.pathname.endsWith('.js'),
    async route => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': POLICY } });
    }
  );
  await page.addInitScript(() => {
    (window as any).__violations = [];
    document.addEventListener('securitypolicyviolation', event =>
      (window as any).__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`)
    );
  });
}

/** Add the policy to the page and return what a script of the page gets when it evaluates a string. */
async function enforceOnPage(page: Page): Promise<string> {
  return page.evaluate(policy => {
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = policy;
    document.head.appendChild(meta);
    // the check runs as the page's own script: Playwright's evaluate is exempt from the page's policy
    const script = document.createElement('script');
    script.textContent = "try { window.__probe = String(new Function('return 1')()); } catch (e) { window.__probe = e.name; }";
    document.head.appendChild(script);
    return (window as any).__probe;
  }, POLICY);
}

test('the card and the explorer work under a CSP without unsafe-eval, and custom metrics say why they cannot', async ({ page, tmpPath }) => {
  const consoleErrors: string[] = [];
  page.on('console', message => {
    if (message.type() === 'error' && /Content Security Policy|unsafe-eval|EvalError/i.test(message.text())) {
      consoleErrors.push(message.text());
    }
  });
  await withPolicy(page);
  await page.goto();
  // from here on the page's scripts cannot evaluate strings
  expect(await enforceOnPage(page)).toBe('EvalError');
  // the recorder saw that refusal; start afresh
  expect(await page.evaluate(() => (window as any).__violations.splice(0))).toEqual(['script-src eval :1']);

  const file = `${tmpPath}/two-models.ipynb`;
  await page.contents.uploadFile(path.join(GENERATED, 'two-models.ipynb'), file);
  await page.notebook.openByPath(file);
  await expect(page.locator(READY_CARD)).toHaveCount(2, { timeout: 60_000 });
  await page.locator(`${READY_CARD} [data-modeltrace="open-explorer"]`).last().click();
  const explorer = page.locator('[data-modeltrace="explorer"]');
  await expect(explorer).toHaveAttribute('data-details-state', 'ready', { timeout: 60_000 });
  for (const chart of ['metric-timeline', 'drift-ranking', 'roc']) {
    await expect(explorer.locator(`[data-modeltrace-chart="${chart}"] svg .mark-symbol, [data-modeltrace-chart="${chart}"] svg .mark-line, [data-modeltrace-chart="${chart}"] svg .mark-rect`).first()).toBeAttached();
  }
  await explorer
    .locator('[data-modeltrace-chart="metric-timeline"] svg .mark-symbol path')
    .filter({ has: page.locator('xpath=self::*[contains(@aria-label, "period: current; chunk: 9;")]') })
    .first()
    .click({ force: true });
  await expect(explorer).toHaveAttribute('data-details-chunk', /current:/);
  await expect(explorer).toHaveAttribute('data-details-state', 'ready');
  expect(await page.evaluate(() => (window as any).__violations)).toEqual([]);
  expect(consoleErrors).toEqual([]);

  // custom metrics: Arquero compiles their expressions, which the policy forbids; the card says so
  const setMetrics = (metrics: Record<string, string>) =>
    page.evaluate(async value => {
      const registry = await (window as any).galata.getPlugin('@jupyterlab/apputils-extension:settings');
      await registry.set('modeltrace:plugin', 'customMetrics', value);
    }, metrics);
  await setMetrics({ positive_rate: 'd => op.mean(d.y_hat)' });
  try {
    await expect(page.locator('[data-modeltrace="card"]').first()).toContainText(/custom metric "positive_rate": cannot evaluate expression/, {
      timeout: 60_000
    });
  } finally {
    await setMetrics({});
  }
});
