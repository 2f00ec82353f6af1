/**
 * What `quire run` prints while it runs, as papermill does: log lines at --log-level, the
 * --log-output cell lines, the progress bar, the --stdout-file/--stderr-file tee, and the
 * closing line of a run that did not complete.
 */
import { joinSource } from '../../src/jupyter/nbformat';
import type { RunListener, RunResult } from '../run/executeNotebook';
import { err } from './command';
import { ProgressBar } from './progressBar';
import { type RunArgs, STDIO_PATH } from './runArgs';
import type { StreamTee } from './streamTee';

export type Severity = 'debug' | 'info' | 'warning' | 'error';
export type Log = (severity: Severity, message: string) => void;
const SEVERITY_RANK: Record<Severity, number> = { debug: 0, info: 1, warning: 2, error: 3 };
/** papermill's --log-level choices, as the lowest severity printed. */
export const LEVELS: Record<string, number> = { NOTSET: 0, DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3, CRITICAL: 4 };

export function logger(level: number, prefix = ''): Log {
  return (severity, message) => {
    if (SEVERITY_RANK[severity] >= level) err(`${prefix}${message}`);
  };
}

/**
 * Whether to draw the bar, and where: `--progress-bar` draws it anywhere (a line per step off a
 * terminal); by default it is on (unless --log-output, or OUTPUT is stdout, as papermill) and
 * drawn only when stderr is a terminal.
 */
export function progressWanted(args: RunArgs, outputPath: string): { terminal: boolean } | undefined {
  const terminal = Boolean(process.stderr.isTTY);
  if (args.progressBar === true) return { terminal };
  if (args.progressBar === false || args.logOutput || outputPath === STDIO_PATH || !terminal) return undefined;
  return { terminal };
}

export type CliListener = RunListener & { close(): void };

/** papermill's --log-output lines (at its log levels), the progress bar and the stream tee. */
export function cliListener(args: RunArgs, log: Log, progress: { terminal: boolean } | undefined, tee: StreamTee | undefined): CliListener {
  let bar: ProgressBar | undefined;
  return {
    log,
    cellStart: (index, total, cell) => {
      if (args.logOutput) log('info', `Executing Cell ${String(index + 1).padEnd(40, '-')}`);
      if (progress) {
        bar ??= new ProgressBar(total, (text) => process.stderr.write(text), progress.terminal);
        bar.cellStart(joinSource(cell.source));
      }
    },
    cellComplete: (index) => {
      if (args.logOutput) log('info', `Ending Cell ${String(index + 1).padEnd(43, '-')}`);
      bar?.cellComplete();
    },
    output: (_cell, output) => {
      if (output.output_type === 'stream') {
        const text = joinSource(output.text);
        tee?.write(output.name, text);
        if (args.logOutput) log(output.name === 'stderr' ? 'warning' : 'info', text);
      } else if (!args.logOutput) {
        return;
      } else if (output.output_type === 'error') {
        log('error', output.traceback.join('\n'));
      } else if ('data' in output && typeof output.data['text/plain'] !== 'undefined') {
        log('info', joinSource(output.data['text/plain'] as string | string[]));
      }
    },
    close: () => {
      bar?.close();
      bar = undefined;
    },
  };
}

export function reportResult(result: RunResult): void {
  if (result.status === 'completed') return;
  const where = result.outputPath === STDIO_PATH ? 'stdout' : result.outputPath;
  if (result.status === 'cancelled') err(`quire run: cancelled; partial output saved to ${where}`);
  else if (result.error?.name === 'OutputWriteError') err(`quire run: ${result.error.message} The run's result is not saved.`);
  else err(`quire run: ${result.error?.name ?? 'failure'}: ${result.error?.message ?? ''}`.trimEnd());
}
