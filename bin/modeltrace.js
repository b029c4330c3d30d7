#!/usr/bin/env node
// The `modeltrace` command: runs the compiled CLI (npm run build:lib writes lib/). The reads of an analysis's files
// and its helper thread start before the engine's modules load, so that they go on while this thread loads them
// (lib/cli/prestart.js).
import { prestartAnalysis } from '../lib/cli/prestart.js';

const argv = process.argv.slice(2);
prestartAnalysis(argv);
const { main } = await import('../lib/cli/main.js');
process.exitCode = await main(argv);
// leave now, without tearing the heap down piece by piece (tens of milliseconds after a large analysis), unless
// output is still on its way (a pipe being read slowly)
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) {
  process.exit();
}
