// Time of computeDetails() (the explorer's details) on seeded synthetic data, per part.
// On demand, not in tests:  npm run build:lib && node benchmarks/details-timing.mjs [--rows 1000000] [--features 20]
//   [--task binary|regression] [--repeat 3]
// Rows per period (reference and current alike); a quarter of the features are categorical (40 categories).
// "computeDetails" is timed twice: alone, and given the drift's preparation of each reference column (as analyze()
// can pass it, having computed it for the drift statistics), which spares the details a pass over the reference.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { bootstrapDifferences } from '../lib/engine/details/bootstrap.js';
import { calibrationCurve } from '../lib/engine/details/calibration.js';
import { binaryCurves } from '../lib/engine/details/curves.js';
import { featureDistribution } from '../lib/engine/details/distributions.js';
import { computeDetails } from '../lib/engine/details/index.js';
import { prepareCategoricalReference, prepareNumericReference } from '../lib/engine/drift/index.js';
import { Xoshiro128 } from '../lib/engine/details/random.js';
import { predictedVsActual, residualHistogram } from '../lib/engine/details/regression.js';
import { sliceMetrics } from '../lib/engine/details/slices.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    features: { type: 'string', default: '20' },
    task: { type: 'string', default: 'binary' },
    repeat: { type: 'string', default: '3' }
  }
});
const rows = Number(values.rows);
const featureCount = Number(values.features);
const task = values.task;
const random = new Xoshiro128(7);
const categories = Array.from({ length: 40 }, (_, k) => `category ${k}`);
const segments = Array.from({ length: 25 }, (_, k) => `segment ${k}`);

function period(shift) {
  const labels = task === 'binary' ? new Uint8Array(rows) : new Float64Array(rows);
  const predictions = task === 'binary' ? new Uint8Array(rows) : new Float64Array(rows);
  const scores = new Float64Array(rows);
  const segment = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const risk = random.nextDouble();
    scores[i] = Math.min(1, Math.max(0, risk + 0.4 * (random.nextDouble() - 0.5) + shift));
    if (task === 'binary') {
      labels[i] = random.nextDouble() < risk ? 1 : 0;
      predictions[i] = scores[i] >= 0.5 ? 1 : 0;
    } else {
      labels[i] = 100 * risk;
      predictions[i] = labels[i] + 10 * (random.nextDouble() - 0.5) + 5 * shift;
    }
    segment[i] = segments[random.nextIndex(segments.length)];
  }
  const features = Array.from({ length: featureCount }, (_, k) => {
    if (k % 4 === 3) {
      const column = new Array(rows);
      for (let i = 0; i < rows; i++) {
        column[i] = categories[random.nextIndex(categories.length)];
      }
      return column;
    }
    const column = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      column[i] = 10 * random.nextDouble() + shift * k;
    }
    return column;
  });
  const targets = task === 'binary' ? { task, labels, predictions, scores } : { task, labels, predictions };
  return { targets, segment, features };
}

const reference = period(0);
const current = period(0.1);
const features = reference.features.map((column, k) => ({
  name: `feature_${k}`,
  type: k % 4 === 3 ? 'categorical' : 'numeric',
  reference: column,
  current: current.features[k]
}));
const slices = [{ name: 'segment', reference: reference.segment, current: current.segment }];
const input = {
  task,
  classes: task === 'binary' ? ['0', '1'] : null,
  positiveClass: task === 'binary' ? '1' : null,
  reference: reference.targets,
  current: current.targets,
  features,
  slices
};

function time(label, run) {
  const times = [];
  for (let r = 0; r < Number(values.repeat); r++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} ${times[Math.floor(times.length / 2)].toFixed(0).padStart(7)} ms (median)`);
}

console.log(
  `${task}, ${rows} rows per period, ${featureCount} features; ` +
    `${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`
);
if (task === 'binary') {
  time('ROC + PR curves, both periods', () => {
    binaryCurves(reference.targets.labels, reference.targets.scores);
    binaryCurves(current.targets.labels, current.targets.scores);
  });
  time('reliability curves, both periods', () => {
    calibrationCurve(reference.targets.labels, reference.targets.scores);
    calibrationCurve(current.targets.labels, current.targets.scores);
  });
} else {
  time('residuals + predicted vs actual', () => {
    residualHistogram(reference.targets, current.targets);
    predictedVsActual(reference.targets, current.targets);
  });
}
if (features.length > 3) {
  time('one numeric distribution', () => featureDistribution(features[0]));
  time('one categorical distribution', () => featureDistribution(features[3]));
}
time('slices (one column, 25 values)', () => sliceMetrics(slices, reference.targets, current.targets));
time('bootstrap intervals (1000 resamples)', () => bootstrapDifferences(reference.targets, current.targets));
time('computeDetails, everything', () => computeDetails(input));
const preparedFeatures = features.map(feature => ({
  ...feature,
  preparedReference:
    feature.type === 'numeric'
      ? prepareNumericReference(feature.reference)
      : prepareCategoricalReference(feature.reference)
}));
time("computeDetails, with the drift's preparation", () => computeDetails({ ...input, features: preparedFeatures }));
