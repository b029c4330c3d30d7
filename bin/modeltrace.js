#!/usr/bin/env node
// The `modeltrace` command: runs the compiled CLI (npm run build:lib writes lib/).
import { main } from '../lib/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
