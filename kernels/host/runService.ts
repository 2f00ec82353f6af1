/**
 * IRunService: papermill-style runs for the app (the runs panel and parameter form use it).
 *
 * - startRun/startBatch check the request (input readable, parameters injectable, output path
 *   free) and reject with a QuireError before anything starts; then they resolve at once with the
 *   run's RunInfo and the run goes on in the background. Progress arrives on `onDidChangeRun`
 *   (status, current cell, counts), outputs on `onDidRunOutput` (one event per output message,
 *   unmerged: fold them with `appendOutput`).
 * - Defaults: the kernel's working directory is the input's folder (as in Jupyter); the output is
 *   `<input folder>/runs/{notebook}_{timestamp}_{run_id}.ipynb`; relative templates resolve
 *   against the input's folder. A batch runs at most `concurrency` at once (default: cores).
 * - listRuns(): the runs this host started, newest first. With `inputPath`, also output
 *   notebooks found on disk whose `metadata.papermill.input_path` names that input — looked for
 *   in the input's folder, under its `runs/` folder (sub-folders included) and in every folder
 *   this host wrote that input's outputs to. Their runId is `file:<path>`. And the runs of the run
 *   index (kernels/runIndex/, docs/runIndex.md): `quire run` in a terminal or a scheduler, and this
 *   app's own runs from before a restart; an index run whose output was found on disk is listed
 *   once, as the file's record with the index's live status.
 * - Every run this service starts is recorded in the run index (started, then ended).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Emitter } from '../../src/base/event';
import { Disposable } from '../../src/base/lifecycle';
import { ErrorCode, QuireError } from '../../src/errors';
import type { IRunService, RunInfo, RunOutputEvent, RunRequest } from '../../src/host/contract';
import { randomId } from '../../src/jupyter/messages';
import type { Notebook } from '../../src/jupyter/nbformat';
import type { IKernelProvider } from '../../src/kernels/kernelProvider';
import { anchorOutputTemplate, DEFAULT_RUN_OUTPUT_TEMPLATE } from '../../src/parameterize/runOutputLocation';
import { defaultConcurrency, runWithConcurrency } from '../run/batchRunner';
import { toRunError } from '../run/errors';
import { executeNotebook } from '../run/executeNotebook';
import { defaultRunNotebookIo, type RunNotebookIo } from '../run/notebookIo';
import type { OutputClaim } from '../run/outputClaim';
import { prepareRun, runKernelName } from '../run/prepareRun';
import { checkRunPlan, claimPlannedRuns, planRunsFor } from '../run/runPlanner';
import { recordRun } from '../runIndex/recordRun';
import type { RunIndex } from '../runIndex/runIndex';
import type { RunIndexEntry } from '../runIndex/runIndexJournal';
import { mergeIndexedRuns, overlayIndex, runInfoFromIndex } from './indexedRuns';
import { RunIndexWatcher } from './runIndexWatcher';
import { signalCliRun } from './cancelCliRun';
import { runInfoFromNotebook, scrapsOf } from './runRecords';

export const DEFAULT_OUTPUT_TEMPLATE = DEFAULT_RUN_OUTPUT_TEMPLATE;

export interface RunServiceOptions {
  /** Where run kernels come from (the host's provider). */
  provider: IKernelProvider;
  io?: RunNotebookIo;
  defaultConcurrency?: number;
  autosaveIntervalMs?: number;
  /** The run index runs are recorded in and listed from; none: neither. */
  runIndex?: RunIndex;
  /** Fire onDidChangeRun for runs of other processes as the index records them (how often it looks, ms). */
  watchRunIndexMs?: number;
}

interface RunRecord {
  info: RunInfo;
  controller: AbortController;
  request: RunRequest;
  /** The output, claimed when the run was accepted; released (if still a placeholder) when it ends. */
  claim?: OutputClaim;
  done?: Promise<void>;
}

interface PlannedRun {
  request: RunRequest;
  info: RunInfo;
  claim?: OutputClaim;
}

export class RunService extends Disposable implements IRunService {
  private readonly _runs = new Map<string, RunRecord>();
  private readonly _onDidChangeRun = this._register(new Emitter<RunInfo>());
  readonly onDidChangeRun = this._onDidChangeRun.event;
  private readonly _onDidRunOutput = this._register(new Emitter<RunOutputEvent>());
  readonly onDidRunOutput = this._onDidRunOutput.event;
  private readonly _io: RunNotebookIo;
  private _indexProblem?: string;

  constructor(private readonly _options: RunServiceOptions) {
    super();
    this._io = _options.io ?? defaultRunNotebookIo;
    const { runIndex, watchRunIndexMs } = _options;
    if (runIndex && watchRunIndexMs) {
      const watcher = new RunIndexWatcher(runIndex, (entries) => void this._indexChanged(entries.filter((e) => !this._runs.has(e.runId))), watchRunIndexMs);
      this._register({ dispose: () => watcher.dispose() });
    }
  }

  /** Runs of other processes (and earlier lives of this host) that started or ended: as listRuns shows them. */
  private async _indexChanged(entries: RunIndexEntry[]): Promise<void> {
    for (const entry of entries) {
      const info = await this._fromIndex(entry);
      if (!this.isDisposed) this._onDidChangeRun.fire(info);
    }
  }

  private async _fromIndex(entry: RunIndexEntry): Promise<RunInfo> {
    const onDisk = entry.output === '-' ? undefined : await this._readRecord(entry.output);
    return onDisk ? overlayIndex(onDisk, entry) : runInfoFromIndex(entry);
  }

  async startRun(request: RunRequest): Promise<RunInfo> {
    const [plan] = await this._plan([request]);
    const record = this._track(plan);
    record.done = this._execute(record);
    return { ...record.info };
  }

  async startBatch(requests: RunRequest[], options: { concurrency?: number } = {}): Promise<RunInfo[]> {
    if (!Array.isArray(requests) || requests.length === 0) throw new QuireError(ErrorCode.InvalidArgument, 'startBatch needs at least one run request');
    const concurrency = options.concurrency ?? this._options.defaultConcurrency ?? defaultConcurrency();
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new QuireError(ErrorCode.InvalidArgument, 'concurrency must be a positive whole number');
    const plans = await this._plan(requests);
    const records = plans.map((plan) => this._track(plan));
    const snapshot = records.map((r) => ({ ...r.info }));
    void runWithConcurrency(records, concurrency, (record) => (record.done = this._execute(record)));
    return snapshot;
  }

  async cancelRun(runId: string): Promise<void> {
    const indexed = this._runs.has(runId) ? undefined : this._indexed(() => this._options.runIndex?.get(runId));
    if (indexed?.status === 'running') {
      // A terminal's or scheduler's `quire run` here: stopped as Ctrl+C would; the index then says cancelled.
      if (signalCliRun(indexed)) return;
      const where = indexed.host === 'cli' ? `\`quire run\` (process ${indexed.pid} on ${indexed.hostname}); stop it there (Ctrl+C, or kill -TERM ${indexed.pid})` : `another Quire window or app (process ${indexed.pid} on ${indexed.hostname}); cancel it there`;
      throw new QuireError(ErrorCode.InvalidArgument, `This run was started by ${where}`, { runId });
    }
    const record = this._require(runId);
    if (isFinished(record.info)) return;
    record.controller.abort();
    // A queued run just never starts; a started one is interrupted, shut down and saved.
    if (record.info.status === 'queued') {
      this._update(record, { status: 'cancelled', endTime: new Date().toISOString() });
      await record.claim?.release();
    } else {
      await record.done;
    }
  }

  async getRun(runId: string): Promise<RunInfo> {
    if (runId.startsWith('file:')) {
      const info = await this._readRecord(runId.slice(5));
      if (!info) throw new QuireError(ErrorCode.RunNotFound, `No run recorded in ${runId.slice(5)}`, { runId });
      return info;
    }
    const indexed = this._runs.has(runId) ? undefined : this._indexed(() => this._options.runIndex?.get(runId));
    if (indexed) return this._fromIndex(indexed);
    return { ...this._require(runId).info };
  }

  async listRuns(filter: { inputPath?: string } = {}): Promise<RunInfo[]> {
    const input = filter.inputPath ? resolve(filter.inputPath) : undefined;
    const mine = [...this._runs.values()].map((r) => ({ ...r.info })).filter((r) => !input || resolve(r.inputPath) === input);
    const onDisk = input ? await this._findOnDisk(input, new Set(mine.map((r) => resolve(r.outputPath)))) : [];
    const indexed = this._indexed(() => this._options.runIndex?.list({ notebook: input, limit: input ? undefined : MAX_INDEXED_RUNS })) ?? [];
    return mergeIndexedRuns(mine, onDisk, indexed).sort((a, b) => (b.startTime ?? '').localeCompare(a.startTime ?? ''));
  }

  /** Reads the run index; one that cannot be read (another Quire's version) lists nothing, said once. */
  private _indexed<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== this._indexProblem) process.stderr.write(`quire: warning: ${message}\n`);
      this._indexProblem = message;
      return undefined;
    }
  }

  /** Cancels every unfinished run (their kernels are shut down and outputs saved). */
  async cancelAll(): Promise<void> {
    await Promise.allSettled([...this._runs.values()].filter((r) => !isFinished(r.info)).map((r) => this.cancelRun(r.info.runId)));
  }

  override dispose(): void {
    for (const record of this._runs.values()) record.controller.abort();
    super.dispose();
  }

  /**
   * Validates and resolves every request before any starts (a bad batch starts nothing), with the
   * run planner `quire run` uses (kernels/run/runPlanner.ts).
   */
  private async _plan(raws: RunRequest[]): Promise<PlannedRun[]> {
    const requests = raws.map((raw): RunRequest => {
      if (!raw || typeof raw.inputPath !== 'string') throw new QuireError(ErrorCode.InvalidArgument, 'A run request needs an inputPath');
      return { ...raw, inputPath: resolve(raw.inputPath), parameters: raw.parameters ?? {} };
    });
    const plan = planRunsFor(requests.map((r) => ({
      // The same anchoring as the app's preview (src/parameterize/runOutputLocation.ts).
      inputPath: r.inputPath, outputTemplate: anchorOutputTemplate(r.outputPath, r.inputPath), parameters: r.parameters, overwrite: r.overwrite,
    })), { now: new Date(), newRunId: randomId, runIdInPath: (id) => id.slice(0, 8), locate: (filled, input) => resolve(dirname(input), filled) });
    const inputs = await checkRunPlan(plan, { io: this._io });
    const plans = plan.runs.map((run, i): PlannedRun => {
      const request: RunRequest = { ...requests[i], outputPath: run.outputPath };
      // Preparing now surfaces bad parameters and unknown languages.
      const prepared = prepareRun(inputs.get(run.inputPath)!, { ...request, outputPath: run.outputPath });
      return {
        request,
        info: {
          runId: run.runId, inputPath: run.inputPath, outputPath: run.outputPath, parameters: request.parameters, kernelName: runKernelName(prepared, request.kernelName),
          status: 'queued', totalCells: prepared.cells.length, completedCells: 0, origin: { host: 'app', pid: process.pid, hostname: hostname() },
        },
      };
    });
    // Last, so a refused batch claims nothing: two runs (of this host or `quire run`) with one
    // output cannot both be accepted; without overwrite the second fails with FILE_EXISTS.
    const claims = new Map((await claimPlannedRuns(plan)).map((claim) => [claim.path, claim]));
    return plans.map((p) => ({ ...p, claim: claims.get(p.info.outputPath) }));
  }

  private _track(plan: PlannedRun): RunRecord {
    const record: RunRecord = { info: plan.info, request: plan.request, controller: new AbortController(), claim: plan.claim };
    this._runs.set(plan.info.runId, record);
    this._onDidChangeRun.fire({ ...record.info });
    return record;
  }

  private async _execute(record: RunRecord): Promise<void> {
    if (record.controller.signal.aborted || this.isDisposed) {
      if (!isFinished(record.info)) this._update(record, { status: 'cancelled', endTime: new Date().toISOString() });
      await record.claim?.release(); // it never started: nothing of it belongs on disk
      return;
    }
    const { request } = record;
    const runId = record.info.runId;
    this._update(record, { status: 'starting', startTime: new Date().toISOString() });
    try {
      const recorded = { runId, notebook: request.inputPath, output: request.outputPath!, parameters: request.parameters, host: 'app' as const, kernelName: record.info.kernelName };
      const result = await recordRun(this._options.runIndex, recorded, () => executeNotebook({
        inputPath: request.inputPath, outputPath: request.outputPath!, parameters: request.parameters, kernelName: request.kernelName,
        language: request.language, cwd: request.cwd ?? dirname(request.inputPath), startTimeoutSec: request.startTimeoutSec,
        executionTimeoutSec: request.executionTimeoutSec, reportMode: request.reportMode, overwrite: true,
        provider: this._options.provider, signal: record.controller.signal, io: this._io, autosaveIntervalMs: this._options.autosaveIntervalMs,
        listener: {
          kernelStarted: () => this._update(record, { status: 'running' }),
          cellStart: (index, total) => this._update(record, { currentCellIndex: index, totalCells: total }),
          cellComplete: (index) => this._update(record, { completedCells: index + 1 }),
          output: (cellIndex, output) => this._onDidRunOutput.fire({ runId, cellIndex, output }),
        },
      }));
      const papermill = result.notebook.metadata.papermill as { duration?: number; end_time?: string } | undefined;
      this._update(record, {
        status: result.status, endTime: new Date().toISOString(), durationSec: papermill?.duration ?? undefined, currentCellIndex: undefined,
        ...(result.error && result.status !== 'completed' ? { error: toRunError(result.error) } : {}),
        scraps: scrapsOf(result.notebook),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this._update(record, { status: 'failed', endTime: new Date().toISOString(), error: { ename: error instanceof QuireError ? error.code : 'Error', evalue: message, message } });
    } finally {
      await record.claim?.release();
    }
  }

  private _update(record: RunRecord, patch: Partial<RunInfo>): void {
    record.info = { ...record.info, ...patch };
    for (const key of Object.keys(record.info) as Array<keyof RunInfo>) if (record.info[key] === undefined) delete record.info[key];
    this._onDidChangeRun.fire({ ...record.info });
  }

  private _require(runId: string): RunRecord {
    const record = this._runs.get(runId);
    if (!record) throw new QuireError(ErrorCode.RunNotFound, `No run '${runId}'`, { runId });
    return record;
  }

  /**
   * Output notebooks of `input` on disk: in its folder, anywhere under its `runs/` folder (batches
   * write to sub-folders such as `runs/sweep/`, also from `quire run --batch`, and must be found
   * after a restart), and in every folder this host wrote that input's outputs to.
   */
  private async _findOnDisk(input: string, skip: Set<string>): Promise<RunInfo[]> {
    const flat = new Set([dirname(input)]);
    for (const r of this._runs.values()) if (resolve(r.info.inputPath) === input) flat.add(dirname(resolve(r.info.outputPath)));
    const paths = new Set<string>();
    for (const folder of flat) for (const path of await notebooksIn(folder, 0)) paths.add(path);
    for (const path of await notebooksIn(join(dirname(input), 'runs'), RUNS_FOLDER_DEPTH)) paths.add(path);
    const found: RunInfo[] = [];
    for (const path of paths) {
      if (path === input || skip.has(path)) continue;
      const info = await this._readRecord(path, input);
      if (info) found.push(info);
    }
    return found;
  }

  /** A RunInfo from an output notebook on disk, when it records a run (of `input`, if given). */
  private async _readRecord(path: string, input?: string): Promise<RunInfo | undefined> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile() || info.size > 64 * 1024 * 1024) return undefined;
    const text = await readFile(path, 'utf8').catch(() => '');
    if (!text.includes('"input_path"')) return undefined;
    let nb: Notebook;
    try {
      nb = JSON.parse(text) as Notebook;
    } catch {
      return undefined;
    }
    const record = runInfoFromNotebook(nb, path);
    if (!record) return undefined;
    if (input) {
      const recorded = record.inputPath;
      const matches = [resolve(dirname(path), recorded), resolve(dirname(input), recorded), recorded].includes(input) || (basename(recorded) === basename(input) && resolve(recorded) === input);
      if (!matches) return undefined;
      record.inputPath = input;
    }
    return record;
  }
}

/** Without a notebook, listRuns gives at most this many runs of the index (the newest). */
const MAX_INDEXED_RUNS = 1000;
/** How deep listRuns looks under `runs/` (runs/sweep/2024-05/x.ipynb is depth 2). */
const RUNS_FOLDER_DEPTH = 4;
/** At most this many notebooks are read per listing: a huge `runs/` folder must not stall the panel. */
const MAX_LISTED_NOTEBOOKS = 5000;

/** `.ipynb` files in `folder` and, `depth` levels down, in its sub-folders (not through symlinks). */
async function notebooksIn(folder: string, depth: number, found: string[] = []): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (found.length >= MAX_LISTED_NOTEBOOKS) break;
    const path = join(folder, entry.name);
    if (entry.isDirectory() && depth > 0 && !entry.name.startsWith('.')) await notebooksIn(path, depth - 1, found);
    else if (!entry.isDirectory() && entry.name.endsWith('.ipynb') && !entry.name.startsWith('.')) found.push(path);
  }
  return found;
}

function isFinished(info: RunInfo): boolean {
  return info.status === 'completed' || info.status === 'failed' || info.status === 'cancelled';
}
