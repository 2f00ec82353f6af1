/**
 * The run's bookkeeping, papermill's NotebookExecutionManager in shape: explicit lifecycle hooks
 * (notebookStart, cellStart, cellException, cellComplete, notebookComplete) that write
 * papermill's metadata into the working notebook, and a throttled autosave so a crash leaves a
 * partial record. papermill saves at every cell start and end; Quire saves at notebook start,
 * after cell starts and ends at most every `autosaveIntervalMs` (default 500 ms), after outputs
 * inside a cell at most every `outputSaveIntervalMs` (papermill's autosave_cell_every), and at the
 * end. With `saveDuringRun: false` (papermill's --no-request-save-on-cell-execute) only the end
 * is written.
 */
import type { IDisposable } from '../../src/base/lifecycle';
import type { JsonObject } from '../../src/jupyter/messages';
import type { Cell, Notebook } from '../../src/jupyter/nbformat';

export type CellStatus = 'pending' | 'running' | 'completed' | 'failed';

/** papermill's timestamps: `datetime.utcnow().isoformat()` (no zone suffix, microseconds). */
export function papermillNow(date = new Date()): string {
  return `${date.toISOString().slice(0, 23)}000`;
}

function secondsBetween(startIso: string, end: Date): number {
  return (end.getTime() - Date.parse(`${startIso.slice(0, 23)}Z`)) / 1000;
}

export interface ExecutionManagerOptions {
  /** Persists the notebook; called with the working notebook (serialize it before awaiting). */
  save: (nb: Notebook) => Promise<void>;
  autosaveIntervalMs?: number;
  /**
   * Outputs arriving inside a running cell cause a write at most this often; 0: never (the cell's
   * end still saves). Default: `autosaveIntervalMs`. Doubles when a write takes more than a
   * quarter of it (papermill's back-off), reported through `onSlowAutosave`.
   */
  outputSaveIntervalMs?: number;
  /** false: write nothing until the caller's final `save()` (default true). */
  saveDuringRun?: boolean;
  /**
   * Called when a save failed (the first failure is also kept in `saveError`). The engine stops the
   * run then: a run whose output cannot be written must not end as a success.
   */
  onSaveError?: (error: unknown) => void;
  onSlowAutosave?: (saveMs: number, newIntervalMs: number) => void;
}

/** Per-cell `metadata.papermill`. */
export interface CellPapermillMetadata extends JsonObject {
  exception: boolean | null;
  start_time: string | null;
  end_time: string | null;
  duration: number | null;
  status: CellStatus;
}

export class ExecutionManager implements IDisposable {
  private _startedAt: Date | undefined;
  private _lastSave = 0;
  private _lastSaveMs = 0;
  private _dirty = false;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _timerDue = 0;
  private _writing: Promise<void> = Promise.resolve();
  private _saveError: unknown;
  private readonly _interval: number;
  private _outputInterval: number;
  private readonly _saveDuringRun: boolean;

  /** The working notebook; hooks mutate it in place, as papermill's manager does. */
  constructor(readonly nb: Notebook, private readonly _options: ExecutionManagerOptions) {
    this._interval = _options.autosaveIntervalMs ?? 500;
    this._outputInterval = _options.outputSaveIntervalMs ?? this._interval;
    this._saveDuringRun = _options.saveDuringRun ?? true;
  }

  /** The first save that failed, if any. */
  get saveError(): unknown {
    return this._saveError;
  }

  /** The current interval for output-triggered saves (it grows when saves are slow). */
  get outputSaveIntervalMs(): number {
    return this._outputInterval;
  }

  get papermill(): JsonObject {
    const meta = this.nb.metadata;
    if (!meta.papermill || typeof meta.papermill !== 'object' || Array.isArray(meta.papermill)) meta.papermill = {};
    return meta.papermill as JsonObject;
  }

  cellMeta(cell: Cell): CellPapermillMetadata {
    return cell.metadata.papermill as CellPapermillMetadata;
  }

  /** Resets every cell to pending, clears code outputs and execution counts; saves. */
  async notebookStart(): Promise<void> {
    this._startedAt = new Date();
    Object.assign(this.papermill, { start_time: papermillNow(this._startedAt), end_time: null, duration: null, exception: null });
    for (const cell of this.nb.cells) {
      if (cell.cell_type === 'code') {
        cell.execution_count = null;
        cell.outputs = [];
      }
      cell.metadata.papermill = { exception: null, start_time: null, end_time: null, duration: null, status: 'pending' };
    }
    if (this._saveDuringRun) await this.save();
  }

  cellStart(cell: Cell): void {
    Object.assign(this.cellMeta(cell), { start_time: papermillNow(), status: 'running', exception: false });
    this.requestSave();
  }

  cellException(cell: Cell): void {
    Object.assign(this.cellMeta(cell), { exception: true, status: 'failed' });
    this.papermill.exception = true;
  }

  cellComplete(cell: Cell): void {
    const meta = this.cellMeta(cell);
    const end = new Date();
    meta.end_time = papermillNow(end);
    if (meta.start_time) meta.duration = secondsBetween(meta.start_time, end);
    if (meta.status !== 'failed') meta.status = 'completed';
    this.requestSave();
  }

  /** End time and duration; cells before a failure still pending become completed; final save. */
  async notebookComplete(): Promise<void> {
    this.completeMetadata();
    await this.save();
  }

  /** notebookComplete's metadata without the save (the caller adds more, then saves once). */
  completeMetadata(): void {
    const end = new Date();
    this.papermill.end_time = papermillNow(end);
    if (this._startedAt) this.papermill.duration = (end.getTime() - this._startedAt.getTime()) / 1000;
    for (const cell of this.nb.cells) {
      const meta = this.cellMeta(cell);
      if (meta.status === 'failed') break;
      if (meta.status === 'pending') meta.status = 'completed';
    }
  }

  /** Marks the notebook changed; writes once the last write is `intervalMs` old (now, if it is). */
  requestSave(intervalMs = this._interval): void {
    this._dirty = true;
    if (!this._saveDuringRun) return;
    const due = Math.max(Date.now(), this._lastSave + intervalMs);
    if (this._timer) {
      if (this._timerDue <= due) return;
      clearTimeout(this._timer); // a sooner reason to write (a cell ended during a long output wait)
    }
    this._timerDue = due;
    this._timer = setTimeout(() => {
      this._timer = undefined;
      if (this._dirty) void this.save();
    }, due - Date.now());
  }

  /** An output arrived in the running cell: papermill's autosave_cell, throttled by `outputSaveIntervalMs`. */
  outputArrived(): void {
    if (this._outputInterval <= 0) {
      this._dirty = true;
      return;
    }
    if (this._lastSaveMs > this._outputInterval / 4) {
      this._outputInterval *= 2;
      this._options.onSlowAutosave?.(this._lastSaveMs, this._outputInterval);
      this._lastSaveMs = 0;
    }
    this.requestSave(this._outputInterval);
  }

  /** Writes now (after any write in flight) and resolves when it is on disk. */
  save(): Promise<void> {
    if (this._timer) {
      clearTimeout(this._timer);
      this._timer = undefined;
    }
    this._dirty = false;
    this._lastSave = Date.now();
    this._writing = this._writing
      .then(async () => {
        const started = Date.now();
        await this._options.save(this.nb);
        this._lastSaveMs = Date.now() - started;
      })
      .catch((error: unknown) => {
        this._saveError ??= error;
        this._options.onSaveError?.(error);
      });
    return this._writing;
  }

  dispose(): void {
    if (this._timer) clearTimeout(this._timer);
    this._timer = undefined;
  }
}
