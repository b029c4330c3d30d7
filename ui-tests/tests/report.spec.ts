/**
 * The offline HTML report (`modeltrace analyze --format html`) opened from disk in headless Chromium: every chart is
 * drawn and not a single request leaves the file.
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'generated', 'metrics', 'analyze');

test('the HTML report opens from disk with zero network requests and every chart drawn', async ({ page }) => {
  const out = join(mkdtempSync(join(tmpdir(), 'modeltrace-report-')), 'report.html');
  execFileSync(
    process.execPath,
    [join(ROOT, 'bin', 'modeltrace.js'), 'analyze', join(FIXTURES, 'current.arrow'), '--reference', join(FIXTURES, 'reference.parquet'),
      '--timestamp', 'ts', '--format', 'html', '--out', out],
    { cwd: ROOT }
  );
  expect(statSync(out).size).toBeLessThan(2 * 1024 * 1024);

  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', request => requests.push(request.url()));
  page.on('pageerror', error => problems.push(String(error)));
  page.on('console', message => {
    if (message.type() === 'error') {
      problems.push(message.text());
    }
  });
  const url = pathToFileURL(out).href;
  await page.goto(url);
  await expect(page.locator('body')).toHaveAttribute('data-modeltrace-charts', 'drawn');

  const charts = page.locator('[data-modeltrace-chart]');
  const count = await charts.count();
  expect(count).toBeGreaterThanOrEqual(4);
  for (let i = 0; i < count; i++) {
    // a drawn chart: an SVG with marks in it
    expect(await charts.nth(i).locator('svg path, svg line, svg rect').count()).toBeGreaterThan(3);
  }
  expect(requests).toEqual([url]);
  expect(problems).toEqual([]);
  await expect(page.locator('h2', { hasText: 'Root causes' })).toBeVisible();
});
