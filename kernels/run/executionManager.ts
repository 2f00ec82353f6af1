/**
 * The run's bookkeeping, papermill's NotebookExecutionManager in shape: explicit lifecycle hooks
 * (notebookStart, cellStart, cellException, cellComplete, notebookComplete) that write
 * papermill's metadata into the working notebook, and a throttled autosave so a crash leaves a
 * partial record. papermill saves at every cell start and end; Quire saves at most every
 * `autosaveIntervalMs` (default 500 ms) and always at notebook start and end.
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
  /** Called when a save failed; the run goes on (papermill logs and continues too). */
  onSaveError?: (error: unknown) => void;
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
  private _dirty = false;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _writing: Promise<void> = Promise.resolve();
  private readonly _interval: number;

  /** The working notebook; hooks mutate it in place, as papermill's manager does. */
  constructor(readonly nb: Notebook, private readonly _options: ExecutionManagerOptions) {
    this._interval = _options.autosaveIntervalMs ?? 500;
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
    await this.save();
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
    const end = new Date();
    this.papermill.end_time = papermillNow(end);
    if (this._startedAt) this.papermill.duration = (end.getTime() - this._startedAt.getTime()) / 1000;
    for (const cell of this.nb.cells) {
      const meta = this.cellMeta(cell);
      if (meta.status === 'failed') break;
      if (meta.status === 'pending') meta.status = 'completed';
    }
    await this.save();
  }

  /** Marks the notebook changed; writes now if the last write is old enough, else soon. */
  requestSave(): void {
    this._dirty = true;
    if (this._timer) return;
    const wait = Math.max(0, this._lastSave + this._interval - Date.now());
    this._timer = setTimeout(() => {
      this._timer = undefined;
      if (this._dirty) void this.save();
    }, wait);
  }

  /** Writes now (after any write in flight) and resolves when it is on disk. */
  save(): Promise<void> {
    if (this._timer) {
      clearTimeout(this._timer);
      this._timer = undefined;
    }
    this._dirty = false;
    this._lastSave = Date.now();
    this._writing = this._writing.then(() => this._options.save(this.nb)).catch((error: unknown) => this._options.onSaveError?.(error));
    return this._writing;
  }

  dispose(): void {
    if (this._timer) clearTimeout(this._timer);
    this._timer = undefined;
  }
}
