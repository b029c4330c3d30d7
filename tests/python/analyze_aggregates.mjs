// Runs the engine's aggregates analysis (lib/engine/aggregates, built by `npm run build`) on the DATA object in the
// JSON file given as argument and prints the analysis as JSON.
import { readFileSync } from 'node:fs';
import { analyzeAggregates } from '../../lib/engine/aggregates/index.js';

console.log(JSON.stringify(analyzeAggregates(JSON.parse(readFileSync(process.argv[2], 'utf8')))));
