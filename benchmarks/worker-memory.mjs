/**
 * The analysis worker's memory on a fetched trace, in Node: how far the live data grow above the Arrow streams
 * the card hands the worker, while the worker analyses them (the path of a `kernel-comm` trace in the tab).
 *
 *   node --expose-gc benchmarks/worker-memory.mjs --rows 1e6 [--data benchmarks/data] [--features 8]
 *
 * Every allocation of a typed array or ArrayBuffer of 1 MB or more first runs a full garbage collection and reads
 * the live bytes (ArrayBuffers plus the JavaScript heap): the peak of those readings is the live set the analysis
 * needs, without the garbage a browser holds until its collector runs. Reads the benchmark's Arrow files
 * (benchmarks/generate.py) and hands them to the worker's `analyzeTrace` as the Arrow IPC streams the kernel sends.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { tableFromArrays, tableFromIPC, tableToIPC } from '@uwdata/flechette';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1e6' },
    features: { type: 'string', default: '8' },
    data: { type: 'string', default: 'benchmarks/data' },
    timeline: { type: 'boolean', default: false },
    out: { type: 'string' },
    lib: { type: 'string', default: new URL('../lib', import.meta.url).pathname }
  }
});
if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}

const FEATURES = {
  8: ['income', 'debt_ratio', 'num_accounts', 'age', 'utilization', 'tenure_months', 'product_type', 'state']
};
const features = FEATURES[args.features];
const name = `n${args.rows}_f${args.features}`;
const MB = 1024 * 1024;

/**
 * The file's table as the kernel's comm delivers it: one Arrow IPC stream of one record batch (the kernel combines
 * a table's batches, so that the worker reads float columns in place).
 */
function streamOf(period) {
  const table = tableFromIPC(readFileSync(join(args.data, `${name}_${period}.arrow`)), { useDate: false });
  const columns = Object.fromEntries(table.schema.fields.map(field => [field.name, table.getChild(field.name).toArray()]));
  const types = Object.fromEntries(table.schema.fields.map(field => [field.name, field.type]));
  return tableToIPC(tableFromArrays(columns, { types, maxBatchRows: Infinity }), { format: 'stream' });
}

const { analyzeTrace } = await import(pathToFileURL(resolve(args.lib, 'worker/run.js')).href);
const baseline = live();
const streams = { current: streamOf('current'), reference: streamOf('reference') };
const arrowBytes = streams.current.byteLength + streams.reference.byteLength;

let measuring = false;
let peak = { bytes: 0, at: '' };
let shown = 0;
function live() {
  globalThis.gc();
  const usage = process.memoryUsage();
  return usage.arrayBuffers + usage.heapUsed;
}
function parts() {
  globalThis.gc();
  const { arrayBuffers, heapUsed } = process.memoryUsage();
  return `ArrayBuffers ${(arrayBuffers / MB).toFixed(0)} MB, JavaScript heap ${(heapUsed / MB).toFixed(0)} MB`;
}
function observe(bytes, what) {
  if (!measuring || bytes < MB) {
    return;
  }
  const now = live();
  if (args.timeline && Math.abs(now - shown) >= 4 * MB) {
    console.log(`${((now - baseline) / MB).toFixed(0).padStart(6)} MB live, then ${what} of ${(bytes / MB).toFixed(1)} MB: ${callerOf(new Error().stack)}`);
    shown = now;
  }
  if (now > peak.bytes) {
    peak = { bytes: now, at: `${what} of ${(bytes / MB).toFixed(1)} MB (stack: ${callerOf(new Error().stack)})` };
  }
}
function callerOf(stack) {
  const frames = (stack ?? '').split('\n').slice(3, 7).map(line => line.trim().replace(/^at /, ''));
  return frames.join(' < ');
}
function watch(Constructor, bytesOf) {
  return new Proxy(Constructor, {
    construct(target, argsList, newTarget) {
      observe(bytesOf(argsList, target), target.name);
      return Reflect.construct(target, argsList, newTarget === globalThis[target.name] ? target : newTarget);
    }
  });
}
for (const kind of [Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, BigInt64Array]) {
  globalThis[kind.name] = watch(kind, ([first]) => (typeof first === 'number' ? first * kind.BYTES_PER_ELEMENT : 0));
}
globalThis.ArrayBuffer = watch(ArrayBuffer, ([bytes]) => (typeof bytes === 'number' ? bytes : 0));

const payload = {
  version: 1,
  id: 'memory',
  name,
  created: '2026-12-05T00:00:00Z',
  roles: {
    label: 'y',
    prediction: 'y_hat',
    score: 'p',
    timestamp: 'ts',
    features,
    slices: ['region', 'channel', 'device'],
    latency: 'latency_ms',
    model_version: 'model_version'
  },
  task: 'binary',
  current: { format: 'kernel-comm', target: 'modeltrace', trace: 'memory', rows: Number(args.rows) },
  reference: { format: 'kernel-comm', target: 'modeltrace', trace: 'memory', rows: Number(args.rows) },
  source: { kernel: 'python' }
};

const before = live();
measuring = true;
const started = performance.now();
const response = analyzeTrace({ id: 1, payload, options: {}, fetched: streams });
const seconds = (performance.now() - started) / 1000;
measuring = false;
const after = live();
if (!response.ok) {
  console.error(response.error);
  process.exit(1);
}
/** Above the level before the streams arrived, as the end-to-end benchmark counts the tab's memory. */
if (args.out) {
  writeFileSync(args.out, JSON.stringify(response.result, null, 1));
}
const asMultiple = bytes => `${((bytes - baseline) / MB).toFixed(0)} MB (${((bytes - baseline) / arrowBytes).toFixed(2)}× Arrow)`;
console.log(`${name}: Arrow streams ${(arrowBytes / MB).toFixed(0)} MB; analysis ${seconds.toFixed(1)} s with a GC per large allocation`);
console.log(`live before the analysis ${asMultiple(before)}`);
console.log(`live peak during it      ${asMultiple(peak.bytes)}\n  at ${peak.at}`);
console.log(`live after it            ${asMultiple(after)}; ${parts()}`);
