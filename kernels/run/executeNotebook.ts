/**
 * `executeNotebook`: one papermill-style run, as one readable orchestrator:
 * load → parameterize → prepare metadata → start kernel → run cells → record errors → save.
 * The input notebook is only read. The output is written at start, during the run (throttled;
 * `saveDuringRun: false` skips both) and once at the end, in papermill's format. Cell failures are returned in the result, not thrown; setup
 * problems (missing input, existing output, bad parameters, no such kernel) throw QuireError.
 */
import { ErrorCode, QuireError } from '../../src/errors';
import { KernelClient } from '../../src/jupyter/kernelClient';
import type { JsonObject } from '../../src/jupyter/messages';
import type { Cell, CodeCell, Notebook, Output } from '../../src/jupyter/nbformat';
import { joinSource } from '../../src/jupyter/nbformat';
import { cellTags, skipsExecution } from '../../src/jupyter/notebookOps';
import { insertErrorMarkers } from '../../src/parameterize/parameterizeNotebook';
import type { Parameters, TranslatorRegistry } from '../../src/parameterize/translators';
import { kernelHandleTransport } from '../../src/kernels/kernelHandleTransport';
import type { IKernelHandle, IKernelProvider } from '../../src/kernels/kernelProvider';
import { CellExecution, type CellOutcome } from './cellExecutor';
import { CellTimeoutError, DeadKernelError, OutputWriteError, RunCancelledError, RunExecutionError, RunExitCode, type RunFailure } from './errors';
import { ExecutionManager } from './executionManager';
import { defaultRunNotebookIo, type RunNotebookIo } from './notebookIo';
import { prepareRun, runKernelName } from './prepareRun';

export type RunOutcomeStatus = 'completed' | 'failed' | 'cancelled';

export { RunExitCode } from './errors';

export interface RunListener {
  log?(level: 'info' | 'warning' | 'error', message: string): void;
  /** The kernel is up; cells are about to run. */
  kernelStarted?(kernelName: string): void;
  /** `cell` is the working notebook's cell (read it, do not change it). */
  cellStart?(index: number, total: number, cell: Cell): void;
  cellComplete?(index: number, total: number): void;
  output?(cellIndex: number, output: Output): void;
}

export interface ExecuteNotebookOptions {
  inputPath: string;
  /** A concrete path (plan runs first: kernels/run/runPlanner.ts fills templates). */
  outputPath: string;
  parameters?: Parameters;
  kernelName?: string;
  language?: string;
  cwd?: string;
  startTimeoutSec?: number;
  /** Per-cell limit; a cell over it is interrupted and the run fails. */
  executionTimeoutSec?: number;
  reportMode?: boolean;
  prepareOnly?: boolean;
  overwrite?: boolean;
  comment?: string;
  typeCheck?: boolean;
  /** Where kernels come from: the run reaches its kernel only through this port. */
  provider: IKernelProvider;
  /**
   * A kernel the caller already started (`quire run` starts it while its code loads and the plan
   * is checked). Used when `name` is the kernelspec this run needs, else shut down and `provider`
   * starts the right one. The run shuts it down like its own; if the run throws before its kernel
   * step (bad input, bad parameters), the caller does.
   */
  kernel?: { name: string; handle: Promise<IKernelHandle> };
  /** Aborting cancels the run: interrupt, then shut the kernel down; the output says so. */
  signal?: AbortSignal;
  listener?: RunListener;
  /** Cell starts and ends write the output at most this often (default 500 ms). */
  autosaveIntervalMs?: number;
  /**
   * Outputs inside a running cell write the output at most this often; 0: only cell ends do.
   * Default: `autosaveIntervalMs`. `quire run --autosave-cell-every N` sets N s (papermill's 30 s).
   */
  outputSaveIntervalMs?: number;
  /**
   * false: write the output only once, at the end (papermill's --no-request-save-on-cell-execute,
   * and its behaviour when the output is stdout). Default true.
   */
  saveDuringRun?: boolean;
  /**
   * How long the kernel may take to exit after the run's shutdown_request before its process group
   * is SIGKILLed. Default: the session's polite shutdown (~2 s, then SIGTERM, then SIGKILL). The
   * kernel is shut down after the output's final save either way.
   */
  shutdownGraceMs?: number;
  registry?: TranslatorRegistry;
  io?: RunNotebookIo;
}

export interface RunResult {
  status: RunOutcomeStatus;
  notebook: Notebook;
  outputPath: string;
  error?: RunFailure;
  exitCode: number;
}

/** papermill ignores `SystemExit` with no value or 0 (sys.exit()): the run counts as a success. */
function isCleanExit(error: RunFailure | undefined): boolean {
  return error instanceof RunExecutionError && error.ename === 'SystemExit' && (error.evalue === '' || error.evalue === '0');
}

export async function executeNotebook(options: ExecuteNotebookOptions): Promise<RunResult> {
  const io = options.io ?? defaultRunNotebookIo;
  const log = (level: 'info' | 'warning' | 'error', message: string) => options.listener?.log?.(level, message);
  if (!options.overwrite && (await io.exists(options.outputPath))) {
    throw new QuireError(ErrorCode.FileExists, `Output notebook ${options.outputPath} already exists (pass --overwrite to replace it)`, { path: options.outputPath });
  }
  const input = await io.read(options.inputPath);
  log('info', `Input Notebook:  ${options.inputPath}`);
  log('info', `Output Notebook: ${options.outputPath}`);
  const nb = prepareRun(input, { ...options, log });
  if (options.prepareOnly) {
    try {
      await io.write(options.outputPath, nb);
    } catch (error) {
      const failure = toWriteFailure(options.outputPath, error);
      return { status: 'failed', notebook: nb, outputPath: options.outputPath, error: failure, exitCode: RunExitCode.outputWriteFailed };
    }
    return { status: 'completed', notebook: nb, outputPath: options.outputPath, exitCode: RunExitCode.ok };
  }
  const kernelName = runKernelName(nb, options.kernelName);
  // A failed write of the output stops the run (reported once, in the result).
  const writeFailed = new AbortController();
  const manager = new ExecutionManager(nb, {
    save: (n) => io.write(options.outputPath, n),
    autosaveIntervalMs: options.autosaveIntervalMs,
    outputSaveIntervalMs: options.outputSaveIntervalMs,
    saveDuringRun: options.saveDuringRun,
    onSaveError: () => writeFailed.abort(),
    onSlowAutosave: (saveMs, intervalMs) => log('warning', `Autosave too slow: ${(saveMs / 1000).toFixed(2)} sec, over 25% limit. Backing off to ${intervalMs / 1000} sec`),
  });
  const supplied = options.kernel?.name === kernelName && !options.signal?.aborted ? options.kernel.handle.then(runKernelOf) : undefined;
  if (options.kernel && !supplied) void options.kernel.handle.then((handle) => handle.shutdown(), () => undefined);
  // The kernel starts while the first output is written (starting takes the longest).
  const kernel = options.signal?.aborted ? undefined : supplied ?? startKernel(kernelName, options);
  kernel?.catch(() => undefined); // observed in runWithKernel
  try {
    await manager.notebookStart();
  } catch (error) {
    void kernel?.then((session) => session.shutdown(), () => undefined);
    manager.dispose();
    throw error;
  }
  let session: RunKernel | undefined;
  try {
    let failure: RunFailure | undefined;
    if (writeFailed.signal.aborted) {
      // The first write failed: no cell runs; the kernel started alongside is shut down below.
      session = await kernel?.catch(() => undefined);
    } else {
      const signal = options.signal ? AbortSignal.any([options.signal, writeFailed.signal]) : writeFailed.signal;
      failure = await runWithKernel(manager, kernel, kernelName, { ...options, signal }, log, (s) => (session = s));
    }
    return await finish(manager, options, failure);
  } finally {
    manager.dispose();
    // After the final save: the output is complete before the kernel's (possibly slow) exit.
    await session?.shutdown(options.shutdownGraceMs === undefined ? undefined : { graceMs: options.shutdownGraceMs }).catch(() => undefined);
  }
}

/** A run's kernel: the provider's handle and a client of the run's own on its channel. */
interface RunKernel {
  readonly handle: IKernelHandle;
  readonly client: KernelClient;
  shutdown(options?: { graceMs?: number }): Promise<void>;
}

function runKernelOf(handle: IKernelHandle): RunKernel {
  return { handle, client: new KernelClient(kernelHandleTransport(handle)), shutdown: (o) => handle.shutdown(o) };
}

async function startKernel(kernelName: string, options: ExecuteNotebookOptions): Promise<RunKernel> {
  const handle = await options.provider.start(kernelName, { cwd: options.cwd, startTimeoutSec: options.startTimeoutSec ?? 60, oneShot: true });
  return runKernelOf(handle);
}

async function runWithKernel(
  manager: ExecutionManager,
  kernel: Promise<RunKernel> | undefined,
  kernelName: string,
  options: ExecuteNotebookOptions,
  log: (level: 'info' | 'warning' | 'error', message: string) => void,
  started: (session: RunKernel) => void,
): Promise<RunFailure | undefined> {
  if (!kernel) return new RunCancelledError(undefined);
  let session: RunKernel;
  try {
    session = await kernel;
  } catch (error) {
    await recordSetupFailure(manager, error);
    throw error;
  }
  started(session); // the caller shuts it down after the final save
  log('info', `Executing notebook with kernel: ${kernelName}`);
  options.listener?.kernelStarted?.(kernelName);
  let dead: ((reason?: string, stderrTail?: string[]) => void) | undefined;
  let cancel: (() => void) | undefined;
  const stopped = new Promise<CellOutcome>((resolve) => {
    dead = (reason, stderrTail) => resolve({ kind: 'dead', reason, stderrTail });
    cancel = () => resolve({ kind: 'cancelled' });
  });
  const statusSub = session.handle.onDidChangeStatus((e) => {
    if (e.status === 'dead') dead?.(e.reason, e.stderrTail);
  });
  const onAbort = () => cancel?.();
  options.signal?.addEventListener('abort', onAbort);
  let failure: RunFailure | undefined;
  let kernelAlive = true;
  try {
    const cells = manager.nb.cells;
    for (let index = 0; index < cells.length && !failure; index++) {
      if (options.signal?.aborted) {
        failure = new RunCancelledError(undefined);
        break;
      }
      const cell = cells[index];
      manager.cellStart(cell);
      options.listener?.cellStart?.(index, cells.length, cell);
      try {
        // nbclient's execute_cell: empty cells and cells tagged skip-execution are not sent (the
        // cell keeps no outputs and no execution count; papermill still marks it completed).
        if (cell.cell_type === 'code' && joinSource(cell.source).trim() !== '' && !skipsExecution(cell)) {
          failure = await runCodeCell(manager, session, cell, index, { stopped }, options);
          if (failure) {
            manager.cellException(cell);
            if (failure instanceof DeadKernelError) kernelAlive = false;
          }
        }
      } finally {
        manager.cellComplete(cell);
        options.listener?.cellComplete?.(index, cells.length);
      }
    }
    if (kernelAlive && !(failure instanceof RunCancelledError)) {
      // papermill refreshes language_info from kernel_info at the end of every run.
      const info = await session.client.kernelInfo({ timeoutMs: 5000 }).catch(() => undefined);
      if (info?.content.language_info) manager.nb.metadata.language_info = info.content.language_info as unknown as JsonObject;
    }
  } finally {
    statusSub.dispose();
    options.signal?.removeEventListener('abort', onAbort);
  }
  return failure;
}

async function runCodeCell(
  manager: ExecutionManager,
  session: RunKernel,
  cell: CodeCell,
  index: number,
  abort: { stopped: Promise<CellOutcome> },
  options: ExecuteNotebookOptions,
): Promise<RunFailure | undefined> {
  const execution = new CellExecution(session.client, manager.nb, cell, {
    onOutput: (output) => {
      manager.outputArrived();
      options.listener?.output?.(index, output);
    },
  });
  const timeoutMs = options.executionTimeoutSec ? options.executionTimeoutSec * 1000 : undefined;
  try {
    const outcome = await execution.run(abort, timeoutMs);
    switch (outcome.kind) {
      case 'reply': {
        const reply = outcome.reply;
        if (reply.status === 'ok') return undefined;
        // nbclient lets cells tagged raises-exception fail without stopping the run.
        if (reply.status === 'error' && cellTags(cell).includes('raises-exception')) return undefined;
        const error = reply.status === 'error' ? reply : { ename: 'CellExecutionError', evalue: 'The kernel aborted the cell', traceback: [] };
        return new RunExecutionError(index, cell.execution_count, joinSource(cell.source), error.ename, error.evalue, error.traceback);
      }
      case 'timeout': {
        const drained = await interruptAndDrain(session, execution);
        const error = new CellTimeoutError(index, options.executionTimeoutSec ?? 0);
        if (!cell.outputs.some((o) => o.output_type === 'error')) {
          cell.outputs = [...cell.outputs, { output_type: 'error', ename: error.name, evalue: error.message, traceback: [error.message] }];
        }
        markQuire(manager, { status: 'failed', reason: 'timeout', timeout_sec: options.executionTimeoutSec ?? 0, interrupted: drained });
        return error;
      }
      case 'cancelled': {
        await interruptAndDrain(session, execution);
        return new RunCancelledError(index);
      }
      case 'dead': {
        if (options.signal?.aborted) return new RunCancelledError(index);
        // The connection can fail before the session reports the death; the session's report comes
        // after the process's pipes closed, so waiting for it gets the complete stderr tail.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const reported = await Promise.race([abort.stopped, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 2000)))]);
        clearTimeout(timer);
        // Only a local process has a stderr tail; a remote kernel's death may say nothing more.
        const tail = session.handle.stderrTail?.() ?? (reported?.kind === 'dead' ? reported.stderrTail : undefined) ?? [];
        const error = new DeadKernelError(index, tail, outcome.reason);
        cell.outputs = [...cell.outputs, { output_type: 'error', ename: 'DeadKernelError', evalue: error.message.split('\n')[0], traceback: tail }];
        markQuire(manager, { status: 'failed', reason: 'kernel_died', stderr_tail: tail });
        return error;
      }
    }
  } finally {
    execution.stop();
  }
}

/**
 * Interrupts until the cell's reply arrives (at most 3 tries, ~1 s apart): an interrupt that lands
 * just before the kernel starts the request is lost, so one is not always enough.
 */
async function interruptAndDrain(session: RunKernel, execution: CellExecution): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await session.handle.interrupt().catch(() => undefined);
    if (await execution.drain(1000)) return true;
  }
  return false;
}

/** Quire's own run record, kept apart from papermill's keys: `metadata.papermill.quire`. */
function markQuire(manager: ExecutionManager, fields: JsonObject): void {
  const current = (manager.papermill.quire as JsonObject | undefined) ?? {};
  manager.papermill.quire = { ...current, ...fields };
}

async function recordSetupFailure(manager: ExecutionManager, error: unknown): Promise<void> {
  manager.papermill.exception = true;
  markQuire(manager, { status: 'failed', reason: 'kernel_start_failed', message: error instanceof Error ? error.message : String(error) });
  await manager.notebookComplete();
}

/** The result's form of a failed write of the output (the writer's message, said once). */
function toWriteFailure(outputPath: string, error: unknown): OutputWriteError {
  const errno = (error as QuireError | undefined)?.details?.errno;
  return new OutputWriteError(outputPath, error instanceof Error ? error.message : String(error), typeof errno === 'string' ? errno : undefined);
}

/**
 * Completes the record and writes the output's final version: one write, banners included. A
 * write of the output that failed, before or now, makes the run a failure of its own kind (exit
 * 73) whatever the cells did: a scheduler must never see success without a result.
 */
async function finish(manager: ExecutionManager, options: ExecuteNotebookOptions, failure: RunFailure | undefined): Promise<RunResult> {
  const result = await finishRecord(manager, options, manager.saveError ? toWriteFailure(options.outputPath, manager.saveError) : failure);
  if (!manager.saveError || result.error instanceof OutputWriteError) return result;
  const error = toWriteFailure(options.outputPath, manager.saveError);
  return { status: 'failed', notebook: manager.nb, outputPath: options.outputPath, error, exitCode: RunExitCode.outputWriteFailed };
}

async function finishRecord(manager: ExecutionManager, options: ExecuteNotebookOptions, failure: RunFailure | undefined): Promise<RunResult> {
  manager.completeMetadata();
  const outputPath = options.outputPath;
  if (failure instanceof OutputWriteError) {
    // One more try, so the file (if it can be written after all) records why the run stopped.
    manager.papermill.exception = true;
    markQuire(manager, { status: 'failed', reason: 'output_write_failed', message: failure.message });
    await manager.save();
    return { status: 'failed', notebook: manager.nb, outputPath, error: failure, exitCode: RunExitCode.outputWriteFailed };
  }
  if (!failure || isCleanExit(failure)) {
    await manager.save();
    return { status: 'completed', notebook: manager.nb, outputPath, exitCode: RunExitCode.ok, ...(failure ? { error: failure } : {}) };
  }
  if (failure instanceof RunCancelledError) {
    manager.papermill.exception = true;
    markQuire(manager, { status: 'cancelled' });
    await manager.save();
    return { status: 'cancelled', notebook: manager.nb, outputPath, error: failure, exitCode: RunExitCode.cancelled };
  }
  if (failure instanceof RunExecutionError || failure instanceof CellTimeoutError) {
    // papermill's raise_for_execution_errors: two banners, then the notebook is written again.
    const cell = manager.nb.cells[failure.cellIndex] as CodeCell;
    const marked = insertErrorMarkers(manager.nb, failure.cellIndex, cell.execution_count ?? null);
    manager.nb.cells = marked.cells;
    manager.nb.nbformat_minor = marked.nbformat_minor;
    if (failure instanceof RunExecutionError) markQuire(manager, { status: 'failed', reason: 'error' });
    await manager.save();
    return { status: 'failed', notebook: manager.nb, outputPath, error: failure, exitCode: RunExitCode.failed };
  }
  await manager.save();
  return { status: 'failed', notebook: manager.nb, outputPath, error: failure, exitCode: RunExitCode.deadKernel };
}
