/**
 * The local data source for big outputs, run in a worker so the window's thread only sends
 * questions and receives pages, summaries and chart data.
 */
import type { IDisposable } from '../../src/base/lifecycle';
import type { ChartData, ChartDataRequest } from '../../src/explorer/charts';
import type { CellValue, ColumnSummary, ExplorerColumn, TableView } from '../../src/explorer/types';
import type { ExplorerDataSource } from './dataSource';
import type { LoadedTable, WorkerReply, WorkerRequest } from './workerProtocol';

/** Outputs with more rows than this are parsed and queried in a worker. */
export const WORKER_ROW_THRESHOLD = 20_000;

type Pending = { resolve(value: unknown): void; reject(error: Error): void };
type Question = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class WorkerDataSource implements ExplorerDataSource, IDisposable {
  readonly kind = 'local';
  private _columns: ExplorerColumn[] = [];
  private _rows = 0;
  private _warnings: string[] = [];
  private _next = 1;
  private readonly _pending = new Map<number, Pending>();

  private constructor(private readonly _worker: Worker) {
    _worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const reply = e.data;
      const pending = this._pending.get(reply.id);
      if (!pending) return;
      this._pending.delete(reply.id);
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(new Error(reply.message));
    };
    _worker.onerror = (e) => {
      for (const p of this._pending.values()) p.reject(new Error(e.message || 'The table worker failed'));
      this._pending.clear();
    };
  }

  /** Whether this environment can run the worker (not in DOM-less tests). */
  static get supported(): boolean {
    return typeof Worker !== 'undefined';
  }

  /** Starts a worker and loads the resource into it (parsing happens there). */
  static async create(resource: unknown): Promise<WorkerDataSource> {
    const worker = new Worker(new URL('./localWorker.ts', import.meta.url), { type: 'module' });
    const source = new WorkerDataSource(worker);
    try {
      const loaded = (await source._ask({ op: 'load', resource })) as LoadedTable;
      source._columns = loaded.columns;
      source._rows = loaded.rowCount;
      source._warnings = loaded.warnings;
      return source;
    } catch (error) {
      source.dispose();
      throw error;
    }
  }

  get columns(): readonly ExplorerColumn[] {
    return this._columns;
  }
  get totalRows(): number {
    return this._rows;
  }
  get warnings(): readonly string[] {
    return this._warnings;
  }

  private _ask(question: Question): Promise<unknown> {
    const id = this._next++;
    return new Promise((resolve, reject) => {
      this._pending.set(id, { resolve, reject });
      this._worker.postMessage({ ...question, id } as WorkerRequest);
    });
  }

  count(view: TableView): Promise<number> {
    return this._ask({ op: 'count', view }) as Promise<number>;
  }
  rows(view: TableView, offset: number, limit: number): Promise<CellValue[][]> {
    return this._ask({ op: 'rows', view, offset, limit }) as Promise<CellValue[][]>;
  }
  summary(view: TableView): Promise<ColumnSummary[]> {
    return this._ask({ op: 'summary', view }) as Promise<ColumnSummary[]>;
  }
  chart(view: TableView, request: ChartDataRequest): Promise<ChartData> {
    return this._ask({ op: 'chart', view, request }) as Promise<ChartData>;
  }
  csv(view: TableView): Promise<string> {
    return this._ask({ op: 'csv', view }) as Promise<string>;
  }

  dispose(): void {
    this._worker.terminate();
    for (const p of this._pending.values()) p.reject(new Error('The table worker was stopped'));
    this._pending.clear();
  }
}
