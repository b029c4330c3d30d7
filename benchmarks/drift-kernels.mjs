// Timing of the drift kernels at 1e6 reference + 1e6 current rows (run on demand, not part of the tests):
//   npm run build:test && node benchmarks/drift-kernels.mjs [rows] [features]
// Prints the median wall-clock and CPU milliseconds of each phase of numericDrift for one feature, then the whole
// numericDrift over `features` numeric features (default 8), skewed columns, per-chunk Jensen-Shannon over 10
// chunks, and categoricalDrift.

import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const BUILD = new URL('../build/src/engine/drift/', import.meta.url);
if (!existsSync(fileURLToPath(new URL('index.js', BUILD)))) {
  console.error('benchmarks/drift-kernels.mjs: build/src/engine/drift/index.js is missing; run `npm run build:test`');
  process.exit(2);
}
const load = (name) => import(new URL(name, BUILD).href);
const drift = await load('index.js');
const { numericSample } = await load('numeric-sample.js');
const grid = await load('two-sample-grid.js');
const ks = await load('ks.js');
const psi = await load('psi.js');
const wasserstein = await load('wasserstein.js');
const histogram = await load('histogram.js');
const jensenShannon = await load('jensen-shannon.js');

const rows = Number(process.argv[2] ?? 1e6);
const features = Number(process.argv[3] ?? 8);
const REPEATS = 5;

// deterministic normal samples (xorshift + Box-Muller), a little drift in the current period
function normalColumn(size, seed, shift, scale) {
  let state = seed >>> 0 || 1;
  const uniform = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (state + 0.5) / 4294967296;
  };
  const column = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    column[i] = shift + scale * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  }
  return column;
}

function median(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall-clock and process CPU milliseconds (CPU time is steadier when other work shares the machine). */
function time(label, run, repeats = REPEATS) {
  const wall = [];
  const cpu = [];
  let result;
  for (let r = 0; r < repeats; r++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    result = run();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  console.log(`${label.padEnd(66)} ${median(wall).toFixed(1).padStart(8)} ms ${median(cpu).toFixed(1).padStart(8)} ms cpu`);
  return result;
}

const reference = normalColumn(rows, 1, 0, 1);
const current = normalColumn(rows, 2, 0.01, 1.02);
const loadAverage = loadavg()[0].toFixed(1);
console.log(
  `drift kernels, ${rows} reference + ${rows} current rows, median of ${REPEATS} (node ${process.version}, load ${loadAverage})`
);

// phases of numericDrift for one feature
const prepared = time('prepare reference (missing scan, mean, std, Doane edges, bins)', () =>
  drift.prepareNumericReference(reference)
);
const currentSample = time('current missing-value scan', () => numericSample(current));
const built = time('grid: counting pass over both samples', () => grid.buildTwoSampleGrid(prepared.sample, currentSample));
const resolved = time('grid: mark ks/wasserstein/deciles/edges, gather + sort', () => {
  built.marked.fill(0);
  ks.markKsCandidates(built);
  wasserstein.markWassersteinCrossings(built);
  psi.markDecileBuckets(built);
  histogram.markBinEdges(built, prepared.edges);
  return grid.resolveMarkedBuckets(built);
});
time('ks: statistic walk + p-value', () =>
  ks.ksTest(ks.ksStatistic(built, resolved), reference.length, current.length)
);
time('psi: decile edges + counts below them', () =>
  psi.numericPsi(built, resolved, psi.referenceDecileEdges(built, resolved))
);
time('wasserstein: integration over buckets', () =>
  wasserstein.wassersteinResult(wasserstein.wassersteinDistance(built, resolved), prepared.standardDeviation)
);
time('jensen_shannon: counts below the Doane edges + distance', () =>
  jensenShannon.numericJensenShannonOfCounts(
    prepared,
    histogram.binCountsOnGrid(built, resolved, 'current', prepared.edges)
  )
);

// whole calls
time('numericDrift, 1 feature (all four methods, prepare included)', () => drift.numericDrift(reference, current));
const columns = Array.from({ length: features }, (_, f) => [
  normalColumn(rows, 10 + 2 * f, 0, 1 + f),
  normalColumn(rows, 11 + 2 * f, 0.02 * f, 1 + f)
]);
time(
  `numericDrift, ${features} features`,
  () => columns.map(([featureReference, featureCurrent]) => drift.numericDrift(featureReference, featureCurrent)),
  3
);
const lognormal = [reference.map((value) => Math.exp(3 * value)), current.map((value) => Math.exp(3 * value))];
time('numericDrift, 1 lognormal feature (σ = 3: crowded buckets split)', () => drift.numericDrift(...lognormal));
const withOutlier = reference.slice();
withOutlier[0] = 1e12;
time('numericDrift, 1 feature with one outlier at 1e12', () => drift.numericDrift(withOutlier, current));
const chunkSize = Math.floor(rows / 10);
time('per-chunk jensen_shannon, 10 current chunks (prepared reference)', () => {
  for (let i = 0; i < 10; i++) {
    drift.numericJensenShannon(prepared, current.subarray(i * chunkSize, i === 9 ? rows : (i + 1) * chunkSize));
  }
});
const categories = Array.from({ length: 50 }, (_, i) => `category-${i}`);
const categoricalReference = Array.from(reference, (value) => categories[Math.floor(Math.abs(value) * 17) % 50]);
const categoricalCurrent = Array.from(current, (value) => categories[Math.floor(Math.abs(value) * 17) % 50]);
time('categoricalDrift, 50 categories (jensen_shannon, psi, chi2)', () =>
  drift.categoricalDrift(categoricalReference, categoricalCurrent)
);
