/**
 * Galata configuration: a real JupyterLab (started by `webServer`) driven by Debian's headless Chromium.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// Several checkouts can run their UI tests at once when each sets its own MODELTRACE_UI_PORT.
const port = Number(process.env.MODELTRACE_UI_PORT || 8888);

module.exports = {
  ...baseConfig,
  timeout: 120000,
  expect: { timeout: 30000, toHaveScreenshot: { maxDiffPixelRatio: 0.02 } },
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
    video: 'off',
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    }
  },
  webServer: {
    command: 'npm start',
    url: `http://localhost:${port}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  }
};
