// Time to draw each explorer chart headless: Vega-Lite compile, Vega parse and view, render to SVG, in Node.
// On demand, not in tests:  npm run build:test && node benchmarks/charts-timing.mjs [--rows 200000] [--features 50]
//   [--chunks 50] [--repeat 5]
// The inputs are the engine's own details of seeded synthetic data (test/charts/samples.ts) at the given size:
// rows per period, features, chunks per period. Goal (shared DESIGN section 7): every chart drawn in ≤ 300 ms.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { compile } from 'vega-lite';
import * as vega from 'vega';
import { chartSamples } from '../build/test/charts/samples.js';
import { allSpecs } from '../build/test/charts/specs.js';

const GOAL_MS = 300;
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    features: { type: 'string', default: '50' },
    chunks: { type: 'string', default: '50' },
    repeat: { type: 'string', default: '5' }
  }
});
const size = { rows: Number(values.rows), features: Number(values.features), chunksPerPeriod: Number(values.chunks) };
const repeat = Number(values.repeat);

const preparing = performance.now();
const specs = allSpecs(chartSamples(size));
console.log(
  `inputs: ${size.rows} rows per period, ${size.features} features, ${size.chunksPerPeriod} chunks per period ` +
    `(made in ${Math.round(performance.now() - preparing)} ms); ` +
    `${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`
);

/** One full draw: compile, parse, view, SVG; the container width is fixed, as headless there is no container. */
async function draw(spec) {
  const started = performance.now();
  const view = new vega.View(vega.parse(compile({ ...spec, width: 800 }).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return { ms: performance.now() - started, bytes: svg.length };
}

const rows = [];
for (const [name, spec] of Object.entries(specs)) {
  const first = await draw(spec);
  const times = [];
  for (let r = 0; r < repeat; r++) {
    times.push((await draw(spec)).ms);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const points = JSON.stringify(spec).length;
  rows.push({ name, first: first.ms, median, points, svg: first.bytes });
}

const width = Math.max(...rows.map(row => row.name.length));
console.log(`${'chart'.padEnd(width)}  first ms  median ms  spec KB  SVG KB`);
for (const row of rows) {
  const flag = row.median > GOAL_MS ? '  over the goal' : '';
  console.log(
    `${row.name.padEnd(width)}  ${row.first.toFixed(0).padStart(8)}  ${row.median.toFixed(0).padStart(9)}  ` +
      `${(row.points / 1024).toFixed(0).padStart(7)}  ${(row.svg / 1024).toFixed(0).padStart(6)}${flag}`
  );
}
const over = rows.filter(row => row.median > GOAL_MS);
console.log(
  over.length === 0
    ? `all ${rows.length} charts within ${GOAL_MS} ms (median)`
    : `${over.length} charts over ${GOAL_MS} ms`
);
process.exitCode = over.length === 0 ? 0 : 1;
