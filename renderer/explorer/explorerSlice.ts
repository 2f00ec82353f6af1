/**
 * The data explorers' state, keyed by explorer id (`${cellId}/${outputIndex}` in a notebook):
 * the user's view (tab, sort, filters, chart), which data source is active and why, and the
 * answers for the current view (count, the row blocks around the visible window, summary, chart
 * data). All of it is plain data; the sources themselves (the parsed table, the worker, the live
 * kernel frame) are held by the explorer epics (explorerEpics.ts), never here.
 *
 * Every answer carries the key of the query it answers (`query.key`: source generation, source
 * kind and view); an answer for an older key is dropped, so late replies never show.
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { chartDataRequest, type ChartData, type ChartDataRequest, type ChartState } from '../../src/explorer/charts';
import { suggestChart } from '../../src/explorer/suggest';
import type { CellValue, ColumnSummary, ExplorerColumn, TableView } from '../../src/explorer/types';
import type { ExplorerViewState } from '../../src/explorer/viewState';
import type { JsonValue } from '../../src/jupyter/messages';

export type ExplorerId = string;

/** The id of the explorer over output `outputIndex` of cell `cellId`. */
export const explorerIdOf = (cellId: string, outputIndex: number): ExplorerId => `${cellId}/${outputIndex}`;

/** Rows per fetched block of the grid. */
export const BLOCK_ROWS = 100;
/**
 * Row blocks kept per explorer: blocks outside the wanted window are dropped beyond this, farthest
 * first (scrolling back to them fetches them again), so a long scroll never fills the store.
 */
export const MAX_ROW_BLOCKS = 24;

export type ExplorerTabId = 'grid' | 'summary' | 'chart';

export type SourceStatus =
  | { kind: 'local'; reason: 'no-frame' }
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'fallback'; message: string };

/** What the explorer needs to know about a data source (the source itself stays in the epics). */
export interface SourceInfo {
  kind: 'local' | 'kernel';
  columns: ExplorerColumn[];
  /** Rows of the whole table (before filters). */
  totalRows: number;
}

export type LocalSourceState =
  | { status: 'loading' }
  | { status: 'ready'; source: SourceInfo; warnings: string[] }
  | { status: 'failed'; message: string };

/** The view being answered: the user's view with filters/sort keys past the columns dropped. */
export interface ExplorerQuery {
  key: string;
  kind: 'local' | 'kernel';
  view: TableView;
}

export interface RowBlocks {
  /** The query these blocks belong to. */
  key: string;
  /** Block index → its rows (BLOCK_ROWS, fewer at the end). */
  blocks: Record<number, CellValue[][]>;
  /** First and last block the grid shows now. */
  wanted: [number, number] | null;
  error: string | null;
}

export interface ExplorerEntry {
  frameId: string | null;
  tab: ExplorerTabId;
  view: TableView;
  /** The user's chart; null shows the suggested one. */
  chart: ChartState | null;
  local: LocalSourceState;
  /** The live frame in the kernel, while connected. */
  live: SourceInfo | null;
  status: SourceStatus;
  /** Bumped whenever the active source (live, else local) changes. */
  generation: number;
  /** Null until a source is ready. */
  query: ExplorerQuery | null;
  count: { key: string; rows?: number; error?: string } | null;
  rows: RowBlocks;
  summary: { key: string; columns?: ColumnSummary[]; error?: string } | null;
  chartData: { key: string; data?: ChartData; error?: string } | null;
  csv: { status: 'running' } | { status: 'failed'; message: string } | null;
}

export interface ExplorerState {
  byId: Record<ExplorerId, ExplorerEntry>;
}

const initialState: ExplorerState = { byId: {} };

export interface ExplorerOpened {
  id: ExplorerId;
  /** The output's data resource (parsed by the epics, in a worker when big). */
  resource: JsonValue;
  /** The live frame named in the output's metadata, if any. */
  frameId: string | null;
  /** The view saved in the output's metadata; ignored when the explorer is already open. */
  saved?: ExplorerViewState;
}

/** The active source: the live frame while connected, else the output's rows once parsed. */
export function activeSource(entry: Pick<ExplorerEntry, 'live' | 'local'>): SourceInfo | undefined {
  return entry.live ?? (entry.local.status === 'ready' ? entry.local.source : undefined);
}

/** The user's view with filters and sort keys that point past the columns dropped (the frame may have changed since saving). */
export function effectiveView(view: TableView, columns: number): TableView {
  return {
    filters: view.filters.filter((f) => f.column < columns),
    sort: view.sort.filter((k) => k.column < columns),
  };
}

/** The chart shown: the user's, else the one suggested for the columns. */
export function chartStateOf(entry: Pick<ExplorerEntry, 'live' | 'local' | 'chart'>): ChartState | undefined {
  const source = activeSource(entry);
  if (!source) return undefined;
  return entry.chart ?? suggestChart(source.columns, source.totalRows);
}

/** The key of a chart's data: the query and the chart's data request. */
export const chartKeyOf = (queryKey: string, request: ChartDataRequest): string => `${queryKey}|${JSON.stringify(request)}`;

/** The chart data to ask for while the chart tab shows, or null (another tab, or the chart cannot be drawn). */
export function chartQueryOf(entry: ExplorerEntry | undefined): { key: string; query: ExplorerQuery; request: ChartDataRequest } | null {
  if (!entry || entry.tab !== 'chart' || !entry.query) return null;
  const state = chartStateOf(entry);
  const source = activeSource(entry);
  if (!state || !source) return null;
  const request = chartDataRequest(state, source.columns);
  if ('error' in request) return null;
  return { key: chartKeyOf(entry.query.key, request), query: entry.query, request };
}

function newEntry(frameId: string | null, saved: ExplorerViewState | undefined): ExplorerEntry {
  const tab = saved?.tab === undefined || saved.tab === 'table' ? 'grid' : saved.tab;
  return {
    frameId,
    tab,
    view: saved?.view ?? { filters: [], sort: [] },
    chart: saved?.chart ?? null,
    local: { status: 'loading' },
    live: null,
    status: { kind: 'local', reason: 'no-frame' },
    generation: 0,
    query: null,
    count: null,
    rows: { key: '', blocks: {}, wanted: null, error: null },
    summary: null,
    chartData: null,
    csv: null,
  };
}

/** Recomputes the query after a change of source or view; a new key drops every answer of the old one. */
function refreshQuery(entry: ExplorerEntry): void {
  const source = activeSource(entry);
  if (!source) {
    entry.query = null;
    return;
  }
  const view = effectiveView(entry.view, source.columns.length);
  const key = `${entry.generation}:${source.kind}:${JSON.stringify(view)}`;
  if (entry.query?.key === key) return;
  entry.query = { key, kind: source.kind, view };
  entry.count = { key };
  entry.rows = { key, blocks: {}, wanted: null, error: null };
  entry.summary = null;
  entry.chartData = null;
}

/** Applies a change that may switch the active source. */
function changeSource(entry: ExplorerEntry, change: () => void): void {
  const before = activeSource(entry);
  change();
  if (activeSource(entry) !== before) entry.generation++;
  refreshQuery(entry);
}

/** Drops blocks outside the wanted window, farthest first, while more than MAX_ROW_BLOCKS are kept. */
function evictBlocks(rows: RowBlocks): void {
  const held = Object.keys(rows.blocks).map(Number);
  if (held.length <= MAX_ROW_BLOCKS) return;
  const [first, last] = rows.wanted ?? [0, 0];
  const distance = (b: number) => (b < first ? first - b : b > last ? b - last : 0);
  const candidates = held.filter((b) => distance(b) > 0).sort((a, b) => distance(b) - distance(a));
  for (const b of candidates.slice(0, held.length - MAX_ROW_BLOCKS)) delete rows.blocks[b];
}

const slice = createSlice({
  name: 'explorer',
  initialState,
  reducers: {
    /** An explorer mounted (or its resource changed): its sources are (re)opened by the epics. */
    opened(state, action: PayloadAction<ExplorerOpened>) {
      const { id, frameId, saved } = action.payload;
      const previous = state.byId[id];
      const entry = newEntry(frameId, saved);
      if (previous) Object.assign(entry, { tab: previous.tab, view: previous.view, chart: previous.chart, generation: previous.generation + 1 });
      state.byId[id] = entry;
    },
    /** The explorer unmounted: its sources are closed and its state dropped. */
    closed(state, action: PayloadAction<{ id: ExplorerId }>) {
      delete state.byId[action.payload.id];
    },
    localReady(state, action: PayloadAction<{ id: ExplorerId; source: SourceInfo; warnings: string[] }>) {
      const entry = state.byId[action.payload.id];
      if (!entry) return;
      changeSource(entry, () => { entry.local = { status: 'ready', source: action.payload.source, warnings: action.payload.warnings }; });
    },
    localFailed(state, action: PayloadAction<{ id: ExplorerId; message: string }>) {
      const entry = state.byId[action.payload.id];
      if (!entry) return;
      changeSource(entry, () => { entry.local = { status: 'failed', message: action.payload.message }; });
    },
    connecting(state, action: PayloadAction<{ id: ExplorerId }>) {
      const entry = state.byId[action.payload.id];
      if (!entry) return;
      changeSource(entry, () => { entry.live = null; });
      entry.status = { kind: 'connecting' };
    },
    liveReady(state, action: PayloadAction<{ id: ExplorerId; source: SourceInfo }>) {
      const entry = state.byId[action.payload.id];
      if (!entry) return;
      changeSource(entry, () => { entry.live = action.payload.source; });
      entry.status = { kind: 'live' };
    },
    /** The live frame is unavailable (no kernel, gone, failed): the output's rows are explored instead. */
    liveLost(state, action: PayloadAction<{ id: ExplorerId; message: string }>) {
      const entry = state.byId[action.payload.id];
      if (!entry) return;
      changeSource(entry, () => { entry.live = null; });
      entry.status = { kind: 'fallback', message: action.payload.message };
    },
    /** A user change of tab, view or chart (the component also writes it to the output's metadata). */
    viewChanged(state, action: PayloadAction<{ id: ExplorerId; tab?: ExplorerTabId; view?: TableView; chart?: ChartState }>) {
      const { id, tab, view, chart } = action.payload;
      const entry = state.byId[id];
      if (!entry) return;
      if (tab !== undefined) entry.tab = tab;
      if (chart !== undefined) entry.chart = chart;
      if (view !== undefined) {
        entry.view = view;
        refreshQuery(entry);
      }
    },
    countLoaded(state, action: PayloadAction<{ id: ExplorerId; key: string; rows: number }>) {
      const entry = state.byId[action.payload.id];
      if (entry?.query?.key === action.payload.key) entry.count = { key: action.payload.key, rows: action.payload.rows };
    },
    countFailed(state, action: PayloadAction<{ id: ExplorerId; key: string; message: string }>) {
      const entry = state.byId[action.payload.id];
      if (entry?.query?.key === action.payload.key) entry.count = { key: action.payload.key, error: action.payload.message };
    },
    /** The grid shows rows `first`..`last` of the current query (the epics fetch the missing blocks). */
    rowsWanted(state, action: PayloadAction<{ id: ExplorerId; first: number; last: number }>) {
      const entry = state.byId[action.payload.id];
      if (!entry) return;
      const wanted: [number, number] = [Math.floor(action.payload.first / BLOCK_ROWS), Math.floor(action.payload.last / BLOCK_ROWS)];
      const now = entry.rows.wanted;
      if (!now || now[0] !== wanted[0] || now[1] !== wanted[1]) entry.rows.wanted = wanted;
    },
    rowBlockLoaded(state, action: PayloadAction<{ id: ExplorerId; key: string; block: number; rows: CellValue[][] }>) {
      const entry = state.byId[action.payload.id];
      if (!entry || entry.rows.key !== action.payload.key) return;
      entry.rows.blocks[action.payload.block] = action.payload.rows;
      evictBlocks(entry.rows);
    },
    rowBlockFailed(state, action: PayloadAction<{ id: ExplorerId; key: string; block: number; message: string }>) {
      const entry = state.byId[action.payload.id];
      if (entry && entry.rows.key === action.payload.key) entry.rows.error = action.payload.message;
    },
    summaryLoaded(state, action: PayloadAction<{ id: ExplorerId; key: string; columns: ColumnSummary[] }>) {
      const entry = state.byId[action.payload.id];
      if (entry?.query?.key === action.payload.key) entry.summary = { key: action.payload.key, columns: action.payload.columns };
    },
    summaryFailed(state, action: PayloadAction<{ id: ExplorerId; key: string; message: string }>) {
      const entry = state.byId[action.payload.id];
      if (entry?.query?.key === action.payload.key) entry.summary = { key: action.payload.key, error: action.payload.message };
    },
    chartLoaded(state, action: PayloadAction<{ id: ExplorerId; key: string; data: ChartData }>) {
      const entry = state.byId[action.payload.id];
      if (entry && chartQueryOf(entry)?.key === action.payload.key) entry.chartData = { key: action.payload.key, data: action.payload.data };
    },
    chartFailed(state, action: PayloadAction<{ id: ExplorerId; key: string; message: string }>) {
      const entry = state.byId[action.payload.id];
      if (entry && chartQueryOf(entry)?.key === action.payload.key) entry.chartData = { key: action.payload.key, error: action.payload.message };
    },
    /** Export the current view's rows as CSV (downloaded by the epics). */
    csvRequested(state, action: PayloadAction<{ id: ExplorerId }>) {
      const entry = state.byId[action.payload.id];
      if (entry) entry.csv = { status: 'running' };
    },
    csvFinished(state, action: PayloadAction<{ id: ExplorerId }>) {
      const entry = state.byId[action.payload.id];
      if (entry) entry.csv = null;
    },
    csvFailed(state, action: PayloadAction<{ id: ExplorerId; message: string }>) {
      const entry = state.byId[action.payload.id];
      if (entry) entry.csv = { status: 'failed', message: action.payload.message };
    },
  },
});

export const explorerActions = slice.actions;
export const explorerReducer = slice.reducer;

/** The state of one explorer, if open. */
export const selectExplorer = (state: { explorer: ExplorerState }, id: ExplorerId): ExplorerEntry | undefined => state.explorer.byId[id];
