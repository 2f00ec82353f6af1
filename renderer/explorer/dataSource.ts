/**
 * Where the explorer's rows come from: the rows in the output (`LocalDataSource`), or the live
 * frame in the kernel (`KernelDataSource`, which asks for pages, sorted/filtered slices and
 * aggregates on demand and never ships all rows into the window). Both answer the same
 * questions with the same semantics (see src/explorer/localEngine.ts and pythonHelper*.ts).
 */
import type { ChartData, ChartDataRequest } from '../../src/explorer/charts';
import { buildColumns } from '../../src/explorer/dataresource';
import { csvCell, csvField } from '../../src/explorer/format';
import { normalizeCell } from '../../src/explorer/inferType';
import { applyView, chartData, pageRows } from '../../src/explorer/localEngine';
import { type ExplorerKernel, type ExplorerRequest, type KernelDialect, pythonDialect, queryKernel, type RowsResult } from '../../src/explorer/protocol';
import { summarizeTable } from '../../src/explorer/summary';
import type { CellValue, ColumnSummary, ExplorerColumn, LocalTable, TableView } from '../../src/explorer/types';

export interface ExplorerDataSource {
  readonly kind: 'local' | 'kernel';
  readonly columns: readonly ExplorerColumn[];
  /** Rows of the whole table (before filters). */
  readonly totalRows: number;
  /** Rows of the view (after filters). */
  count(view: TableView): Promise<number>;
  rows(view: TableView, offset: number, limit: number): Promise<CellValue[][]>;
  summary(view: TableView): Promise<ColumnSummary[]>;
  chart(view: TableView, request: ChartDataRequest): Promise<ChartData>;
  csv(view: TableView): Promise<string>;
}

const viewKey = (view: TableView): string => JSON.stringify(view);
/** Rows fetched with a view's count: the grid's first block (explorerSlice.ts BLOCK_ROWS). */
const FIRST_PAGE_ROWS = 100;
/** Lets the browser paint (a spinner) before synchronous work starts. */
const yieldToBrowser = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The rows of the output itself, queried in the window. */
export class LocalDataSource implements ExplorerDataSource {
  readonly kind = 'local';
  private _cached: { key: string; indices: Uint32Array } | undefined;

  constructor(readonly table: LocalTable) {}

  get columns(): readonly ExplorerColumn[] {
    return this.table.columns;
  }
  get totalRows(): number {
    return this.table.rowCount;
  }

  /** Filter + sort once per view; paging then slices the cached order. */
  private async _indices(view: TableView): Promise<Uint32Array> {
    const key = viewKey(view);
    if (this._cached?.key !== key) {
      if (this.table.rowCount > 5000) await yieldToBrowser();
      this._cached = { key, indices: applyView(this.table, view) };
    }
    return this._cached.indices;
  }

  async count(view: TableView): Promise<number> {
    return (await this._indices(view)).length;
  }
  async rows(view: TableView, offset: number, limit: number): Promise<CellValue[][]> {
    return pageRows(this.table, await this._indices(view), offset, limit);
  }
  async summary(view: TableView): Promise<ColumnSummary[]> {
    return summarizeTable(this.table, await this._indices(view));
  }
  async chart(view: TableView, request: ChartDataRequest): Promise<ChartData> {
    return chartData(this.table, await this._indices(view), request);
  }
  async csv(view: TableView): Promise<string> {
    const indices = await this._indices(view);
    const cols = this.table.columns;
    const lines = [cols.map((c) => csvField(c.label)).join(',')];
    for (const r of indices) lines.push(cols.map((c) => csvField(csvCell(this.table.data[c.index][r], c))).join(','));
    return `${lines.join('\n')}\n`;
  }
}

/** The live frame in the kernel, addressed by the frame id in the output's metadata. */
export class KernelDataSource implements ExplorerDataSource {
  readonly kind = 'kernel';
  private readonly _types: ExplorerColumn['type'][];
  private _first: { key: string; page: Promise<RowsResult>; takenBy: Set<'count' | 'rows'> } | undefined;

  private constructor(
    private readonly _kernel: ExplorerKernel,
    private readonly _frame: string,
    readonly columns: readonly ExplorerColumn[],
    readonly totalRows: number,
    private readonly _dialect: KernelDialect,
  ) {
    this._types = columns.map((c) => c.type);
  }

  /** Asks the kernel for the frame's shape and a sample; rejects (ExplorerQueryError) when it is gone. */
  static async connect(kernel: ExplorerKernel, frame: string, dialect: KernelDialect = pythonDialect): Promise<KernelDataSource> {
    const info = await queryKernel(kernel, { op: 'info', frame, sample: 2000 }, dialect);
    const columns = buildColumns(info.fields, info.sample, info.primaryKey);
    return new KernelDataSource(kernel, frame, columns, info.rowCount, dialect);
  }

  private _query<K extends Exclude<ExplorerRequest['op'], 'info'>>(op: K, view: TableView, extra: object = {}) {
    const request = { op, frame: this._frame, types: this._types, view, ...extra } as Extract<ExplorerRequest, { op: K }>;
    return queryKernel(this._kernel, request, this._dialect);
  }

  /**
   * The view's first rows, asked together with its count: a new view (a sort, a filter) costs the
   * explorer one kernel query, whichever of the count and the grid asks first. Each of the two
   * takes the shared answer once (for the latest view only); asking again asks the kernel again.
   */
  private _firstPage(view: TableView, taker: 'count' | 'rows'): Promise<RowsResult> {
    const key = viewKey(view);
    const shared = this._first;
    if (shared?.key === key && !shared.takenBy.has(taker)) {
      shared.takenBy.add(taker);
      return shared.page;
    }
    const page = this._query('rows', view, { offset: 0, limit: FIRST_PAGE_ROWS });
    const entry = { key, page, takenBy: new Set([taker]) };
    this._first = entry;
    // A failed answer is not shared: the other asker asks again.
    page.catch(() => this._first === entry && (this._first = undefined));
    return page;
  }

  async count(view: TableView): Promise<number> {
    return (await this._firstPage(view, 'count')).rowCount;
  }
  async rows(view: TableView, offset: number, limit: number): Promise<CellValue[][]> {
    const result = offset === 0 && limit <= FIRST_PAGE_ROWS
      ? await this._firstPage(view, 'rows')
      : await this._query('rows', view, { offset, limit });
    return result.rows.slice(0, limit).map((row) => row.map((v, c) => normalizeCell(v, this._types[c] ?? 'nominal')));
  }
  async summary(view: TableView): Promise<ColumnSummary[]> {
    return (await this._query('summary', view)).columns;
  }
  async chart(view: TableView, request: ChartDataRequest): Promise<ChartData> {
    return this._query('chart', view, { chart: request });
  }
  async csv(view: TableView): Promise<string> {
    return (await this._query('csv', view)).csv;
  }
}
