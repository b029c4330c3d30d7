// Timing of the engine on a generated trace: load (Arrow IPC → Arquero) and analyze(), current + reference.
// On demand, not in tests:  npm run build:lib && node benchmarks/analyze-timing.mjs [--rows 1e6] [--features 8] [--repeat 5]
// The data come from benchmarks/generate.py (pyarrow), run here first when the files are missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { analyze } from '../lib/engine/analyze.js';
import { loadTable } from '../lib/engine/load/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1e6' }, features: { type: 'string', default: '8' }, repeat: { type: 'string', default: '5' } }
});
const name = `n${values.rows}_f${values.features}`;
const data = join(root, 'benchmarks', 'data');
const meta = join(data, `${name}.meta.json`);
if (!existsSync(meta)) {
  const python = existsSync(join(root, '.venv/bin/python')) ? join(root, '.venv/bin/python') : 'python3';
  const generated = spawnSync(python, ['benchmarks/generate.py', '--rows', values.rows, '--features', values.features], {
    cwd: root,
    stdio: 'inherit'
  });
  if (generated.status !== 0) {
    process.exit(generated.status ?? 1);
  }
}
const { roles } = JSON.parse(readFileSync(meta, 'utf8'));
const options = {
  roles: {
    label: roles.label,
    prediction: roles.prediction,
    score: roles.score,
    timestamp: roles.timestamp,
    features: roles.features,
    slices: roles.slices ?? [],
    latency: roles.latency
  }
};

const timings = [];
for (let run = 0; run < Number(values.repeat); run++) {
  const started = performance.now();
  const currentBytes = new Uint8Array(readFileSync(join(data, `${name}_current.arrow`)));
  const referenceBytes = new Uint8Array(readFileSync(join(data, `${name}_reference.arrow`)));
  const read = performance.now();
  const current = await loadTable(currentBytes, 'current.arrow');
  const reference = await loadTable(referenceBytes, 'reference.arrow');
  const loaded = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = analyze(current, reference, options);
  const cpu = process.cpuUsage(cpuBefore);
  const analyzed = performance.now();
  timings.push({
    read: read - started,
    load: loaded - read,
    analyze: analyzed - loaded,
    cpu: (cpu.user + cpu.system) / 1000,
    total: analyzed - started
  });
  if (run === 0) {
    console.log(
      `${name}: ${result.rows.current} current + ${result.rows.reference} reference rows, ${result.roles.features.length} features, ` +
        `${result.chunks.length} chunks, ${result.alerts.length} alerts, drifted: ${result.drift.filter(d => d.drifted).map(d => d.feature).join(', ')}`
    );
  }
}
const median = key => {
  const sorted = timings.map(t => t[key]).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
// CPU time of analyze() says what the wall time would be on an idle machine (the analysis is single-threaded)
const columns = ['read', 'load', 'analyze', 'cpu', 'total'];
console.log(`run ${columns.map(key => `${key} ms`.padStart(12)).join('')}`);
timings.forEach((timing, i) => console.log(`${String(i + 1).padStart(3)} ${columns.map(key => timing[key].toFixed(0).padStart(12)).join('')}`));
const minimum = key => Math.min(...timings.map(timing => timing[key]));
console.log(`median ${columns.map(key => `${key} ${median(key).toFixed(0)} ms`).join(', ')}`);
console.log(`minimum ${columns.map(key => `${key} ${minimum(key).toFixed(0)} ms`).join(', ')}`);
console.log(`load average ${os.loadavg().map(load => load.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
