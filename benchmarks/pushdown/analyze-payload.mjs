// The browser worker's analysis of a trace payload (lib/worker/run.js), in Node: prints the result as JSON.
// Usage: node benchmarks/pushdown/analyze-payload.mjs PAYLOAD.json
import { readFileSync } from 'node:fs';
import { analyzeTrace } from '../../lib/worker/run.js';

const answer = analyzeTrace({ id: 1, payload: JSON.parse(readFileSync(process.argv[2], 'utf8')), options: {} });
if (!answer.ok) {
  console.error(answer.error);
  process.exit(2);
}
console.log(JSON.stringify(answer.result));
