#!/usr/bin/env node
// The `modeltrace` command: runs the compiled CLI (npm run build:lib writes lib/). The reads of an analysis's files
// and its helper thread start before the engine's modules load, so that they go on while this thread loads them
// (lib/cli/prestart.js).
import { prestartAnalysis } from '../lib/cli/prestart.js';

const argv = process.argv.slice(2);
prestartAnalysis(argv);
const { main } = await import('../lib/cli/main.js');
process.exitCode = await main(argv);
