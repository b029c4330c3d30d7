// Time of the root-cause search alone (findRootCauses) on a generated trace, next to the whole analyze().
// On demand:  npm run build:lib && node benchmarks/root-causes/timing.mjs [--rows 1e6] [--features 8] [--repeat 5]
// Data: benchmarks/generate.py (run it first: python benchmarks/generate.py --rows 1e6 --features 8); the files are
// in timestamp order, so the encoded columns handed to findRootCauses need no reordering. Slice columns: region,
// channel, device; model_version as run metadata.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { analyze } from '../../lib/engine/analyze.js';
import { chunkRows } from '../../lib/engine/chunks.js';
import { TableColumns, countKinds, encodeFeature, featureTypeOf, addKindCounts } from '../../lib/engine/columns.js';
import { loadTable } from '../../lib/engine/load/index.js';
import { findRootCauses } from '../../lib/engine/root-causes/index.js';
import { encodeTargets } from '../../lib/engine/task.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1e6' }, features: { type: 'string', default: '8' }, repeat: { type: 'string', default: '5' } }
});
const name = `n${values.rows}_f${values.features}`;
const data = join(root, 'benchmarks', 'data');
const meta = JSON.parse(readFileSync(join(data, `${name}.meta.json`), 'utf8'));
const roles = {
  label: meta.roles.label,
  prediction: meta.roles.prediction,
  score: meta.roles.score,
  timestamp: meta.roles.timestamp,
  features: meta.roles.features,
  slices: ['region', 'channel', 'device'],
  model_version: 'model_version'
};
const current = await loadTable(new Uint8Array(readFileSync(join(data, `${name}_current.arrow`))), 'current.arrow');
const reference = await loadTable(new Uint8Array(readFileSync(join(data, `${name}_reference.arrow`))), 'reference.arrow');

// the whole analysis (root causes included)
const analyzeTimes = [];
const analyzeCpu = [];
let result;
for (let run = 0; run < Number(values.repeat); run++) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  result = analyze(current, reference, { roles: { ...roles } });
  analyzeTimes.push(performance.now() - started);
  analyzeCpu.push(cpuMs(process.cpuUsage(cpu)));
}

// the encoded periods as analyze() holds them, then the search alone
const currentColumns = new TableColumns(current);
const referenceColumns = new TableColumns(reference);
const targets = encodeTargets(
  { columns: currentColumns, source: 'current' },
  { columns: referenceColumns, source: 'reference' },
  { roles }
);
const periodOf = (columns, encoded) => {
  const features = new Map();
  for (const feature of roles.features) {
    const counts = addKindCounts(countKinds(currentColumns.values(feature)), countKinds(referenceColumns.values(feature)));
    const type = featureTypeOf(counts, ArrayBuffer.isView(currentColumns.values(feature)));
    features.set(feature, encodeFeature(columns.values(feature), type, countKinds(columns.values(feature))));
  }
  return { table: columns.table, order: null, metricColumns: { targets: encoded }, features, chunks: chunkRows(columns.rows, null, {}) };
};
const input = {
  task: targets.task,
  roles,
  classes: targets.classes,
  positiveClass: targets.positiveClass,
  reference: periodOf(referenceColumns, targets.reference),
  current: periodOf(currentColumns, targets.current),
  metrics: result.metrics,
  thresholds: result.thresholds,
  alerts: result.alerts,
  drift: result.drift,
  dataQuality: result.data_quality
};
const searchTimes = [];
const searchCpu = [];
let causes;
for (let run = 0; run < Number(values.repeat); run++) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  causes = findRootCauses(input);
  searchTimes.push(performance.now() - started);
  searchCpu.push(cpuMs(process.cpuUsage(cpu)));
}
// CPU time of this process (user + system; includes the garbage collector's threads)
function cpuMs(usage) {
  return Math.round((usage.user + usage.system) / 1000);
}
const median = times => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
console.log(JSON.stringify({
  data: name,
  rows: { reference: reference.numRows(), current: current.numRows() },
  features: roles.features.length,
  slices: roles.slices.length,
  load_average: os.loadavg().map(value => Number(value.toFixed(2))),
  analyze_ms: { median: median(analyzeTimes), runs: analyzeTimes.map(Math.round), cpu_median: median(analyzeCpu) },
  root_causes_ms: { median: median(searchTimes), runs: searchTimes.map(Math.round), cpu_median: median(searchCpu) },
  causes: causes.map(cause => cause.summary)
}, null, 1));
