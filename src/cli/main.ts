/**
 * `modeltrace analyze`: the engine's analysis of files, for scripts and CI (docs/cli.md, DESIGN section 5).
 * Exit 0 on success; 2 on bad input with one line on stderr naming the file, column, flag or value at fault;
 * 1 on an internal error.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeFiles, analyzeFilesWithDetails } from './analyze-files.js';
import { systemReason } from './read-files.js';
import { InputError, type AnalyzeOptions, type Roles, type Task } from '../engine/types.js';

export const USAGE = `Usage: modeltrace analyze CURRENT [options]

Analyse a model's predictions (metrics, chunks, thresholds, alerts, drift, data quality) and print JSON.
CURRENT and REFERENCE are .arrow/.feather (Arrow IPC), .parquet, .csv or .jsonl files.

Options:
  --reference REFERENCE     reference data (thresholds, alerts and drift need it)
  --label COL               label column            (default: inferred from names such as y, label, target)
  --prediction COL          prediction column       (default: inferred: y_hat, y_pred, pred, prediction, ...)
  --score COL               score column, probability of the positive class (default: inferred: p, score, proba, ...)
  --timestamp COL           timestamp column        (default: inferred: ts, timestamp, time, date, ...)
  --features A,B,...        feature columns         (default: every column without another role)
  --slices S,T,...          slice columns
  --latency COL             latency column          (default: inferred: latency, latency_ms, ...)
  --model-version COL       model version column
  --positive-label V        positive class of a binary task (default: 1 or true)
  --task T                  binary, multiclass or regression (default: inferred from the label)
  --chunk-size N            chunks of N rows (default: 10 chunks per period)
  --chunk-period P          calendar chunks: 1h, 1d or 1w (UTC; needs a timestamp column)
  --format F                json (default) or html (a self-contained offline report)
  --out PATH                write the output to PATH instead of standard output
  --threads N               1: one thread; 2: a second thread analyses features (default: 2 on several cores
                            for inputs of 16 MB or more)
  -h, --help                show this help

Exit status: 0 success, 2 bad input (one line on stderr says what and where), 1 internal error.
`;

const TASKS: ReadonlySet<string> = new Set(['binary', 'multiclass', 'regression']);
const CHUNK_PERIODS: ReadonlySet<string> = new Set(['1h', '1d', '1w']);
const FORMATS: ReadonlySet<string> = new Set(['json', 'html']);

const OPTIONS = {
  reference: { type: 'string' },
  label: { type: 'string' },
  prediction: { type: 'string' },
  score: { type: 'string' },
  timestamp: { type: 'string' },
  features: { type: 'string' },
  slices: { type: 'string' },
  latency: { type: 'string' },
  'model-version': { type: 'string' },
  'positive-label': { type: 'string' },
  task: { type: 'string' },
  'chunk-size': { type: 'string' },
  'chunk-period': { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  threads: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const;

/** What the CLI prints and returns; `main` writes it to the process. */
export interface CliOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function main(argv: string[]): Promise<number> {
  const outcome = await run(argv);
  if (outcome.stdout) {
    process.stdout.write(outcome.stdout);
  }
  if (outcome.stderr) {
    process.stderr.write(outcome.stderr);
  }
  return outcome.exitCode;
}

export async function run(argv: string[]): Promise<CliOutcome> {
  try {
    return await runCommand(argv);
  } catch (error) {
    if (error instanceof InputError) {
      return { exitCode: 2, stdout: '', stderr: `modeltrace: ${oneLine(error.message)}\n` };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { exitCode: 1, stdout: '', stderr: `modeltrace: internal error: ${oneLine(message)}\n` };
  }
}

async function runCommand(argv: string[]): Promise<CliOutcome> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    return { exitCode: 2, stdout: '', stderr: USAGE };
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    return { exitCode: 0, stdout: USAGE, stderr: '' };
  }
  if (command !== 'analyze') {
    throw new InputError(`unknown command "${command}" (expected: modeltrace analyze CURRENT [options]; see --help)`);
  }
  const { values, positionals } = parseFlags(rest);
  if (values.help) {
    return { exitCode: 0, stdout: USAGE, stderr: '' };
  }
  if (positionals.length !== 1) {
    throw new InputError(
      positionals.length === 0
        ? 'missing CURRENT file (modeltrace analyze CURRENT [options]; see --help)'
        : `expected one CURRENT file, got ${positionals.length}: ${positionals.join(' ')}`
    );
  }
  const format = choice(values.format ?? 'json', FORMATS, '--format', 'json or html');
  const options = analyzeOptions(values);

  const [currentPath] = positionals;
  const names = { current: currentPath, reference: values.reference };
  let output: string;
  if (format === 'html') {
    // the report's modules (charts, page) load only for it
    const [{ buildReport }, { readReportLibraries }] = await Promise.all([import('../export/report.js'), import('./report-libraries.js')]);
    const { result, details } = await analyzeFilesWithDetails(currentPath, values.reference ?? null, { ...options, names });
    output = buildReport({
      title: `ModelTrace report: ${basename(currentPath)}`,
      result,
      details,
      libraries: await readReportLibraries(),
      generated: new Date().toISOString()
    });
  } else {
    const result = await analyzeFiles(currentPath, values.reference ?? null, { ...options, names }, threadsOf(values.threads));
    output = `${JSON.stringify(result, null, 2)}\n`;
  }
  if (values.out) {
    try {
      await writeFile(values.out, output);
    } catch (error) {
      throw new InputError(`--out "${values.out}": cannot write the file (${systemReason(error)})`);
    }
    return { exitCode: 0, stdout: '', stderr: '' };
  }
  return { exitCode: 0, stdout: output, stderr: '' };
}

type Flags = ReturnType<typeof parseFlags>['values'];

function parseFlags(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(`${(error as Error).message.replace(/\.$/, '')} (see --help)`);
  }
}

function analyzeOptions(values: Flags): AnalyzeOptions {
  const roles: Roles = {
    features: list(values.features, '--features'),
    slices: list(values.slices, '--slices')
  };
  const single: Array<[keyof Roles, string | undefined, string]> = [
    ['label', values.label, '--label'],
    ['prediction', values.prediction, '--prediction'],
    ['score', values.score, '--score'],
    ['timestamp', values.timestamp, '--timestamp'],
    ['latency', values.latency, '--latency'],
    ['model_version', values['model-version'], '--model-version']
  ];
  for (const [role, column, flag] of single) {
    if (column !== undefined) {
      if (column.trim() === '') {
        throw new InputError(`${flag}: empty column name`);
      }
      (roles as unknown as Record<string, string>)[role] = column;
    }
  }
  const options: AnalyzeOptions = { roles };
  if (values.task !== undefined) {
    options.task = choice(values.task, TASKS, '--task', 'binary, multiclass or regression') as Task;
  }
  if (values['positive-label'] !== undefined) {
    options.positiveLabel = values['positive-label'];
  }
  if (values['chunk-size'] !== undefined && values['chunk-period'] !== undefined) {
    throw new InputError('--chunk-size and --chunk-period exclude each other; give one');
  }
  if (values['chunk-size'] !== undefined) {
    const text = values['chunk-size'];
    if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
      throw new InputError(`--chunk-size "${text}": expected a whole number of rows ≥ 1`);
    }
    options.chunkSize = Number(text);
  }
  if (values['chunk-period'] !== undefined) {
    options.chunkPeriod = choice(values['chunk-period'], CHUNK_PERIODS, '--chunk-period', '1h, 1d or 1w');
  }
  return options;
}

function list(text: string | undefined, flag: string): string[] {
  if (text === undefined) {
    return [];
  }
  const items = text.split(',').map(item => item.trim()).filter(item => item !== '');
  if (items.length === 0) {
    throw new InputError(`${flag}: expected a comma-separated list of columns, got "${text}"`);
  }
  return items;
}

function choice(value: string, allowed: ReadonlySet<string>, flag: string, expected: string): string {
  if (!allowed.has(value)) {
    throw new InputError(`${flag} "${value}": expected ${expected}`);
  }
  return value;
}

function threadsOf(text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new InputError(`--threads "${text}": expected a whole number of at least 1`);
  }
  return threads;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
