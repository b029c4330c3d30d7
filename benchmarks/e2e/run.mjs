#!/usr/bin/env node
/**
 * End to end: `mt.trace()` in a real kernel → card with metrics in Chromium, through a real JupyterLab, for the
 * benchmark datasets (benchmarks/generate.py), with Evidently and NannyML on the same files beside it.
 *
 * For each size: a fresh notebook loads the dataset's Arrow files in its kernel (memory-mapped, not timed), then
 * one timed cell calls `mt.trace(current, reference=reference, <roles from the dataset>)` and displays it. Above
 * the 8 MB embed limit the data travel over the "modeltrace" comm. Timings: `mt.trace()` in the kernel; from
 * the start of `mt.trace()` to the data in the tab (performance mark `modeltrace:fetched`) and to the card with
 * its metrics (`modeltrace:rendered`), both on the machine's wall clock. Tab memory: the proportional set size
 * (PSS, /proc/<pid>/smaps_rollup) of Chromium's renderer processes — the page and its analysis worker live in
 * one — sampled every 100 ms; reported as the peak above the level before the timed cell (with the analysis
 * worker already running: a small warm-up trace is shown first), and as a ratio to the trace's Arrow bytes. Evidently (benchmarks/evidently_run.py) and NannyML (benchmarks/nannyml_run.py) run as
 * cold subprocesses on the same files, timed from process start to computed result.
 *
 * Usage (from the repository root, after `npm run build` and with the venv's JupyterLab on PATH):
 *   node benchmarks/e2e/run.mjs [--sizes 1e5,1e6,1e7] [--features 8] [--others 1e5,1e6] [--port 9391]
 *     [--chunk-mb 16] [--timeout-s 900]
 * Writes a markdown table to stdout and JSON to benchmarks/results/e2e-<date>.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(ROOT, 'ui-tests', 'package.json'));
const { chromium } = require('@playwright/test');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, item, i, all) => (item.startsWith('--') ? [...pairs, [item.slice(2), all[i + 1]]] : pairs), [])
);
const sizes = (args.sizes ?? '1e5,1e6,1e7').split(',').map(Number);
const features = Number(args.features ?? 8);
const others = (args.others ?? '1e5,1e6').split(',').filter(Boolean).map(Number);
const port = Number(args.port ?? 9391);
const chunkMB = Number(args['chunk-mb'] ?? 16);
const timeoutMs = Number(args['timeout-s'] ?? 900) * 1000;
const benchPython = join(ROOT, 'benchmarks', '.venv', 'bin', 'python');
const dataDir = args.data ? resolve(args.data) : join(ROOT, 'benchmarks', 'data');

function datasetName(rows) {
  return `n1e${Math.round(Math.log10(rows))}_f${features}`;
}

function ensureDataset(rows) {
  const name = datasetName(rows);
  if (!existsSync(join(dataDir, `${name}.meta.json`))) {
    execFileSync(existsSync(benchPython) ? benchPython : join(ROOT, '.venv', 'bin', 'python'), [join(ROOT, 'benchmarks', 'generate.py'), '--rows', String(rows), '--features', String(features), '--out', dataDir], { stdio: 'inherit' });
  }
  return JSON.parse(readFileSync(join(dataDir, `${name}.meta.json`), 'utf8'));
}

/** PSS in bytes of every Chromium renderer process started by this Node process. */
function rendererPss() {
  const children = new Map();
  for (const pid of readdirSync('/proc').filter(entry => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(Number(pid), parent);
    } catch {
      // the process ended
    }
  }
  const descends = pid => {
    for (let current = pid; current > 1; current = children.get(current) ?? 0) {
      if (current === process.pid) {
        return true;
      }
    }
    return false;
  };
  let total = 0;
  for (const pid of children.keys()) {
    try {
      if (!descends(pid) || !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) {
        continue;
      }
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      total += match ? Number(match[1]) * 1024 : 0;
    } catch {
      // the process ended
    }
  }
  return total;
}

async function startLab() {
  const root = mkdtempSync(join(tmpdir(), 'modeltrace-e2e-'));
  const lab = spawn('jupyter', ['lab', '--config', join(ROOT, 'ui-tests', 'jupyter_server_test_config.py')], {
    env: { ...process.env, MODELTRACE_UI_PORT: String(port), JUPYTERLAB_GALATA_ROOT_DIR: root, MODELTRACE_COMM_CHUNK_MB: String(chunkMB) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true
  });
  let log = '';
  lab.stderr.on('data', chunk => (log = (log + chunk).slice(-4000)));
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://localhost:${port}/lab`)).ok) {
        return lab;
      }
    } catch {
      // not up yet
    }
    await new Promise(done => setTimeout(done, 500));
  }
  throw new Error(`JupyterLab did not start on port ${port}:\n${log}`);
}

/** Run code in a new cell of the open notebook and wait for it to finish; returns its text output. */
async function runCell(page, source) {
  return page.evaluate(async code => {
    const app = window.jupyterapp;
    const panel = app.shell.currentWidget;
    const notebook = panel.content;
    const index = notebook.model.cells.length;
    notebook.model.sharedModel.insertCell(index, { cell_type: 'code', source: code });
    notebook.activeCellIndex = index;
    await app.commands.execute('notebook:run-cell');
    const outputs = notebook.widgets[index].model.outputs.toJSON();
    const errors = outputs.filter(output => output.output_type === 'error');
    if (errors.length > 0) {
      throw new Error(`${errors[0].ename}: ${errors[0].evalue}`);
    }
    return outputs.filter(output => output.output_type === 'stream').map(output => output.text).join('');
  }, source);
}

async function measureModelTrace(page, meta, rows) {
  await page.evaluate(async () => {
    const app = window.jupyterapp;
    const panel = await app.commands.execute('notebook:create-new', { kernelName: 'python3' });
    await panel.context.ready;
    await panel.sessionContext.ready;
  });
  const { roles, files } = meta;
  await runCell(
    page,
    [
      'import json, time',
      'import pyarrow as pa',
      'import modeltrace as mt',
      `current = pa.ipc.open_file(pa.memory_map(${JSON.stringify(files.current.arrow)})).read_all()`,
      `reference = pa.ipc.open_file(pa.memory_map(${JSON.stringify(files.reference.arrow)})).read_all()`,
      `roles = dict(label=${JSON.stringify(roles.label)}, prediction=${JSON.stringify(roles.prediction)}, ` +
        `score=${JSON.stringify(roles.score)}, timestamp=${JSON.stringify(roles.timestamp)}, ` +
        `features=${JSON.stringify(roles.features)}, slices=${JSON.stringify(roles.slices)}, ` +
        `latency=${JSON.stringify(roles.latency)}, model_version=${JSON.stringify(roles.model_version)})`,
      // a small embedded trace first, so the analysis worker is running before the measured one
      'mt.trace(current.slice(0, 2000), reference=reference.slice(0, 2000), name="warm-up", **roles)'
    ].join('\n')
  );
  await page.waitForSelector('[data-modeltrace="card"][data-state="ready"]', { timeout: timeoutMs });
  await page.evaluate(() => performance.clearMarks());
  await new Promise(done => setTimeout(done, 1000));
  const baseline = rendererPss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rendererPss())), 100);
  const load = loadavg()[0];
  const profiler = args.profile ? await page.context().newCDPSession(page) : null;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 1000 });
    await profiler.send('Profiler.start');
  }
  const printed = await runCell(
    page,
    [
      'started = time.time()',
      `trace = mt.trace(current, reference=reference, name="e2e-${rows}", **roles)`,
      'traced = time.time()',
      'print(json.dumps({"started_ms": started * 1000, "trace_s": traced - started, ' +
        '"arrow_bytes": sum(trace._arrow_sizes())}))',
      'display(trace)'
    ].join('\n')
  );
  const kernel = JSON.parse(printed.trim().split('\n')[0]);
  const marks = await page.waitForFunction(
    () => {
      const rendered = performance.getEntriesByName('modeltrace:rendered')[0];
      const failed = document.querySelector('[data-modeltrace="card"] [data-modeltrace="error"]');
      if (failed) {
        return { error: failed.textContent };
      }
      if (!rendered) {
        return null;
      }
      const wall = name => performance.timeOrigin + performance.getEntriesByName(name)[0].startTime;
      const metrics = document.querySelectorAll('[data-modeltrace="card"][data-state="ready"] tr[data-metric]').length;
      return {
        headlineMs: performance.getEntriesByName('modeltrace:headline').length > 0 ? wall('modeltrace:headline') : null,
        preliminaryMs: performance.getEntriesByName('modeltrace:preliminary').length > 0 ? wall('modeltrace:preliminary') : null,
        startMs: wall('modeltrace:transfer-start'),
        manifestMs: wall('modeltrace:manifest'),
        fetchedMs: wall('modeltrace:fetched'),
        renderedMs: wall('modeltrace:rendered'),
        metrics
      };
    },
    null,
    { timeout: timeoutMs, polling: 50 }
  );
  const result = await marks.jsonValue();
  result.connections = await page.evaluate(() => window.jupyterapp.serviceManager.kernels._kernelConnections?.size);
  if (profiler) {
    const { profile } = await profiler.send('Profiler.stop');
    writeFileSync(args.profile, JSON.stringify(profile));
    const self = new Map();
    const byId = new Map(profile.nodes.map(node => [node.id, node]));
    const interval = (profile.endTime - profile.startTime) / profile.samples.length / 1000;
    for (const id of profile.samples) {
      const { functionName, url, lineNumber } = byId.get(id).callFrame;
      const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + interval);
    }
    console.error([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(0)} ms ${k}`).join('\n'));
  }
  await new Promise(done => setTimeout(done, 2000));
  clearInterval(sampler);
  const settled = rendererPss();
  if (result.error) {
    throw new Error(`the card failed: ${result.error}`);
  }
  await page.evaluate(async () => {
    const app = window.jupyterapp;
    const panel = app.shell.currentWidget;
    await panel.sessionContext.shutdown();
    await panel.context.model.sharedModel.clearUndoHistory?.();
    panel.dispose();
  });
  return {
    tool: 'modeltrace',
    rows,
    load_average: load,
    arrow_mb: kernel.arrow_bytes / 2 ** 20,
    trace_s: kernel.trace_s,
    headline_s: result.headlineMs === null ? null : (result.headlineMs - kernel.started_ms) / 1000,
    preliminary_s: result.preliminaryMs === null ? null : (result.preliminaryMs - kernel.started_ms) / 1000,
    comm_open_s: (result.startMs - kernel.started_ms) / 1000,
    manifest_s: (result.manifestMs - kernel.started_ms) / 1000,
    data_in_tab_s: (result.fetchedMs - kernel.started_ms) / 1000,
    card_s: (result.renderedMs - kernel.started_ms) / 1000,
    metric_rows: result.metrics,
    kernel_connections: result.connections,
    tab_peak_mb: (peak - baseline) / 2 ** 20,
    tab_settled_mb: (settled - baseline) / 2 ** 20,
    tab_peak_ratio: (peak - baseline) / kernel.arrow_bytes,
    tab_settled_ratio: (settled - baseline) / kernel.arrow_bytes
  };
}

/** MB/s the page receives over a bare WebSocket (16 × 16 MB from benchmarks/e2e/websocket_ceiling.py). */
async function websocketCeiling(page) {
  const server = spawn('python', [join(ROOT, 'benchmarks', 'e2e', 'websocket_ceiling.py'), String(port + 1)], { stdio: 'ignore' });
  try {
    await new Promise(done => setTimeout(done, 2000));
    const load = loadavg()[0];
    const seconds = await page.evaluate(
      url =>
        new Promise((resolve, reject) => {
          const socket = new WebSocket(url);
          socket.binaryType = 'arraybuffer';
          let received = 0;
          let started = 0;
          socket.onerror = () => reject(new Error(`no WebSocket at ${url}`));
          socket.onopen = () => {
            started = performance.now();
            socket.send('go');
          };
          socket.onmessage = () => {
            if (++received === 16) {
              resolve((performance.now() - started) / 1000);
              socket.close();
            }
          };
        }),
      `ws://127.0.0.1:${port + 1}/ws`
    );
    return { tool: 'websocket', load_average: load, megabytes: 256, seconds, mb_per_s: 256 / seconds };
  } finally {
    server.kill();
  }
}

function measureOther(tool, meta, rows) {
  const script = join(ROOT, 'benchmarks', tool === 'evidently' ? 'evidently_run.py' : 'nannyml_run.py');
  const load = loadavg()[0];
  const started = Date.now();
  const output = execFileSync(
    benchPython,
    [script, meta.files.current.arrow, meta.files.reference.arrow, '--features', meta.roles.features.join(','),
      '--categorical', meta.roles.categorical.join(',')],
    { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NML_DISABLE_USAGE_LOGGING: '1' }, stdio: ['ignore', 'pipe', 'ignore'] }
  );
  const report = JSON.parse(output.trim().split('\n').at(-1));
  return { tool, rows, load_average: load, total_s: (Date.now() - started) / 1000, compute_s: report.compute_s, peak_rss_mb: report.peak_rss_mb };
}

function markdown(results) {
  const lines = [
    '| tool | rows | load avg | Arrow MB | `mt.trace()` s | card with headline metrics s | card with analysis of the aggregates s | data in tab s | card with analysis of the rows s | tab peak MB (× Arrow) | tab after MB (× Arrow) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |'
  ];
  const fixed = (value, digits = 2) => (value === undefined || value === null ? '—' : value.toFixed(digits));
  for (const r of results) {
    if (r.tool === 'websocket') {
      lines.push(`| bare WebSocket, 256 MB | — | ${fixed(r.load_average)} | 256 | | | | ${fixed(r.seconds)} (${fixed(r.mb_per_s, 0)} MB/s) | | | |`);
    } else if (r.tool === 'modeltrace') {
      lines.push(
        `| ModelTrace | ${r.rows.toExponential(0)} | ${fixed(r.load_average)} | ${fixed(r.arrow_mb, 0)} | ${fixed(r.trace_s)} | ` +
          `${fixed(r.headline_s)} | ${fixed(r.preliminary_s)} | ${fixed(r.data_in_tab_s)} | ${fixed(r.card_s)} | ${fixed(r.tab_peak_mb, 0)} (${fixed(r.tab_peak_ratio)}×) | ` +
          `${fixed(r.tab_settled_mb, 0)} (${fixed(r.tab_settled_ratio)}×) |`
      );
    } else if (r.error) {
      lines.push(`| ${r.tool} | ${r.rows.toExponential(0)} | ${fixed(r.load_average)} | | | | | | failed: ${r.error} | | |`);
    } else {
      lines.push(
        `| ${r.tool === 'evidently' ? 'Evidently' : 'NannyML'} | ${r.rows.toExponential(0)} | ${fixed(r.load_average)} | | | | | | ` +
          `${fixed(r.total_s)} (compute ${fixed(r.compute_s)}) | peak RSS ${fixed(r.peak_rss_mb, 0)} | |`
      );
    }
  }
  return lines.join('\n');
}

async function main() {
  const results = [];
  const lab = await startLab();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://localhost:${port}/lab`);
    await page.waitForFunction(() => window.jupyterapp?.started, null, { timeout: 120000 });
    await page.evaluate(() => window.jupyterapp.restored);
    results.push(await websocketCeiling(page));
    console.error(JSON.stringify(results.at(-1)));
    for (const rows of sizes) {
      const meta = ensureDataset(rows);
      const result = await measureModelTrace(page, meta, rows);
      results.push(result);
      console.error(JSON.stringify(result));
    }
  } finally {
    await browser.close();
    process.kill(-lab.pid);
  }
  for (const rows of others) {
    const meta = ensureDataset(rows);
    for (const tool of ['evidently', 'nannyml']) {
      try {
        results.push(measureOther(tool, meta, rows));
      } catch (error) {
        results.push({ tool, rows, load_average: loadavg()[0], error: String(error.message).split('\n')[0] });
      }
      console.error(JSON.stringify(results.at(-1)));
    }
  }
  const table = markdown(results);
  console.log(table);
  mkdirSync(join(ROOT, 'benchmarks', 'results'), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(ROOT, 'benchmarks', 'results', `e2e-${stamp}.json`), JSON.stringify({ sizes, features, chunkMB, results }, null, 2));
}

await main();
