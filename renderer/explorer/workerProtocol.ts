/** Messages between the window and the explorer's table worker (localWorker.ts). */
import type { ChartDataRequest } from '../../src/explorer/charts';
import type { ExplorerColumn, TableView } from '../../src/explorer/types';

export type WorkerRequest = { id: number } & (
  | { op: 'load'; resource: unknown }
  | { op: 'count'; view: TableView }
  | { op: 'rows'; view: TableView; offset: number; limit: number }
  | { op: 'summary'; view: TableView }
  | { op: 'chart'; view: TableView; request: ChartDataRequest }
  | { op: 'csv'; view: TableView }
);

export type WorkerReply = { id: number } & ({ ok: true; result: unknown } | { ok: false; message: string });

export interface LoadedTable {
  columns: ExplorerColumn[];
  rowCount: number;
  warnings: string[];
}
