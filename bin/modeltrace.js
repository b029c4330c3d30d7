#!/usr/bin/env node
// The `modeltrace` command: runs the compiled CLI (npm run build:lib writes lib/). The helper thread of a large
// analysis starts before the engine's modules load, so that it loads them while this thread does
// (lib/cli/prestart.js).
import { prestartHelper } from '../lib/cli/prestart.js';

const argv = process.argv.slice(2);
prestartHelper(argv);
const { main } = await import('../lib/cli/main.js');
process.exitCode = await main(argv);
