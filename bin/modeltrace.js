#!/usr/bin/env -S node --no-concurrent-marking --no-concurrent-sweeping
// The `modeltrace` command: runs the compiled CLI (npm run build:lib writes lib/).
//
// A large analysis keeps both cores of a small machine busy with its two threads, and V8's background
// garbage-collection threads would compete with them: run as a program (npx, a shell), the line above has V8 mark and
// sweep on the threads that allocate (about 0.1 s less on 1e6 rows × 8 features on 2 cores; `node bin/modeltrace.js`
// runs without). The helper thread starts before the engine's modules load, so that it loads them while this thread
// does (lib/cli/prestart.js).
import { prestartHelper } from '../lib/cli/prestart.js';

const argv = process.argv.slice(2);
prestartHelper(argv);
const { main } = await import('../lib/cli/main.js');
process.exitCode = await main(argv);
