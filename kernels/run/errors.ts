/**
 * Why a run did not complete, with structured fields (papermill's PapermillExecutionError shape).
 * The engine returns these in its result rather than throwing, so callers (CLI, host service)
 * decide how to report; setup problems (missing file, bad parameters) are thrown as QuireError.
 */
import type { RunError } from '../../src/host/contract';

/** ANSI escapes in tracebacks, removed for messages. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');
/**
 * Exit codes shared by `quire run` and batch summaries (138 is papermill's dead-kernel code; 73 is
 * sysexits' EX_CANTCREAT: the output could not be created or written, so the result is not there).
 */
export const RunExitCode = { ok: 0, failed: 1, deadKernel: 138, cancelled: 130, outputWriteFailed: 73 } as const;

export const stripAnsi = (text: string): string => text.replace(ANSI, '');

/** A cell raised (papermill: `Exception encountered at "In [N]":` + traceback). */
export class RunExecutionError extends Error {
  constructor(
    readonly cellIndex: number,
    readonly executionCount: number | null,
    readonly source: string,
    readonly ename: string,
    readonly evalue: string,
    readonly traceback: string[],
  ) {
    super(`\n---------------------------------------------------------------------------\nException encountered at "In [${executionCount ?? 'None'}]":\n${stripAnsi(traceback.join('\n'))}\n`);
    this.name = 'RunExecutionError';
  }
}

/** The kernel process died mid-run (papermill exits 138 for nbclient's DeadKernelError). */
export class DeadKernelError extends Error {
  constructor(readonly cellIndex: number | undefined, readonly stderrTail: string[], reason?: string) {
    super(`Kernel died${reason ? ` (${reason})` : ''}${stderrTail.length ? `; its last stderr lines:\n${stderrTail.join('\n')}` : ''}`);
    this.name = 'DeadKernelError';
  }
}

/** A cell ran longer than the per-cell timeout; it was interrupted. */
export class CellTimeoutError extends Error {
  constructor(readonly cellIndex: number, readonly timeoutSec: number) {
    super(`A cell timed out while it was being executed, after ${timeoutSec} seconds.`);
    this.name = 'CellTimeoutError';
  }
}

/** The run was cancelled (interrupt, then shutdown). */
export class RunCancelledError extends Error {
  constructor(readonly cellIndex: number | undefined) {
    super('The run was cancelled');
    this.name = 'RunCancelledError';
  }
}

/**
 * A write of the output notebook failed (during the run or at its end): the run stops, as
 * papermill's does when a save raises, and the result is missing or out of date on disk.
 * `message` is the writer's own ("Could not save X: no space left on the disk (ENOSPC)...").
 */
export class OutputWriteError extends Error {
  constructor(readonly outputPath: string, message: string, readonly errno?: string) {
    super(message);
    this.name = 'OutputWriteError';
  }
}

export type RunFailure = RunExecutionError | DeadKernelError | CellTimeoutError | RunCancelledError | OutputWriteError;

/** The contract's plain-data form of a failure. */
export function toRunError(error: RunFailure): RunError {
  if (error instanceof RunExecutionError) {
    return { cellIndex: error.cellIndex, executionCount: error.executionCount, ename: error.ename, evalue: error.evalue, message: error.message };
  }
  if (error instanceof OutputWriteError) return { ename: error.name, evalue: error.message, message: error.message };
  return { cellIndex: error.cellIndex, ename: error.name, evalue: error.message, message: error.message };
}
