/**
 * What bin/modeltrace.js starts before the engine's modules load (about a sixth of a second), so that it overlaps
 * their loading instead of following it: the reads of the input files (read-files.ts), and the CLI's helper thread
 * (feature-worker.ts), which loads the modules meanwhile too. The helper stays unreferenced until `takeHelper` hands
 * it out: one that is never used does not keep the process alive, and `dropHelper` ends it as soon as the analysis
 * turns out to run on one thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { startReading } from './read-files.js';

const HELPER = new URL('./feature-worker.js', import.meta.url);

let waiting: Worker | null = null;

/**
 * When ARGV asks for an analysis: start reading its files (CURRENT when it comes first, as the usage shows it, and
 * the reference), and start the helper when the analysis may use it (not one thread, not the HTML report).
 */
export function prestartAnalysis(argv: readonly string[]): void {
  if (argv[0] !== 'analyze') {
    return;
  }
  const flag = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : argv.find(arg => arg.startsWith(`${name}=`))?.slice(name.length + 1);
  };
  for (const path of [argv[1]?.startsWith('-') ? undefined : argv[1], flag('--reference')]) {
    if (path) {
      startReading(path);
    }
  }
  if (availableParallelism() < 2 || waiting !== null || flag('--threads') === '1' || flag('--format') === 'html') {
    return;
  }
  waiting = new Worker(HELPER);
  waiting.unref();
  // an error before it is taken is met again by whoever takes it (or by nobody, when it is dropped)
  waiting.on('error', () => undefined);
}

/** The prestarted helper, or a new one. */
export function takeHelper(): Worker {
  const worker = waiting ?? new Worker(HELPER);
  waiting = null;
  worker.ref();
  return worker;
}

/** End the prestarted helper, if any (the analysis runs on one thread). */
export function dropHelper(): void {
  void waiting?.terminate();
  waiting = null;
}
