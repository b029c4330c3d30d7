/**
 * The CLI's helper thread (feature-worker.ts), started by bin/modeltrace.js before the engine's modules load, so that
 * the helper's loading of them (about a sixth of a second) overlaps the main thread's instead of following it. It
 * stays unreferenced until `takeHelper` hands it out: one that is never used does not keep the process alive, and
 * `dropHelper` ends it as soon as the analysis turns out to run on one thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const HELPER = new URL('./feature-worker.js', import.meta.url);

let waiting: Worker | null = null;

/** Start the helper now when ARGV asks for an analysis that may use it (not one thread, not the HTML report). */
export function prestartHelper(argv: readonly string[]): void {
  if (argv[0] !== 'analyze' || availableParallelism() < 2 || waiting !== null) {
    return;
  }
  const flag = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : argv.find(arg => arg.startsWith(`${name}=`))?.slice(name.length + 1);
  };
  if (flag('--threads') === '1' || flag('--format') === 'html') {
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
