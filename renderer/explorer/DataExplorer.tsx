/**
 * The data explorer for `application/vnd.dataresource+json` outputs: a virtualized grid (sort,
 * per-column filters), per-column summaries, and vega-lite charts. Over a live kernel frame it
 * queries the kernel for pages and aggregates; otherwise it works on the output's rows. The
 * chosen tab, filters, sort and chart are saved in the output's metadata (`quire.explorer`),
 * written only when the user changes something.
 *
 * The component only dispatches and selects: its state is `state.explorer.byId[explorerId]`
 * (explorerSlice.ts), and every kernel and worker call happens in explorerEpics.ts.
 */
import { useEffect, useId, useMemo } from 'react';
import type { ChartState } from '../../src/explorer/charts';
import { DATA_RESOURCE_MIME } from '../../src/explorer/dataresource';
import type { TableView } from '../../src/explorer/types';
import { frameIdOf, readViewState, writeViewState } from '../../src/explorer/viewState';
import type { JsonObject, JsonValue } from '../../src/jupyter/messages';
import { lazyComponent, useLazyComponent } from '../components/lazyComponent';
import { shallowEqual } from 'react-redux';
import { useAppDispatch, useAppSelector } from '../store/hooks';
import { setPandasTableSchemaEnabled } from './explorerPreferences';
import { activeSource, chartStateOf, explorerActions, type ExplorerEntry, type ExplorerId, type ExplorerTabId, type SourceStatus } from './explorerSlice';
import { useSetting } from '../features/settings/settingsBridge';
import { Grid } from './Grid';
import { warmUpVega } from './loadVega';
import { Summary } from './Summary';
import './explorer.css';

const chartModule = lazyComponent(() => import('./ChartView'));

/** Loads and warms up the chart code while the browser is idle, so the first chart need not wait for it. */
function useChartPreload(): void {
  useEffect(() => {
    // Where the browser has no idle callbacks (tests), charts load on first use.
    if (typeof requestIdleCallback !== 'function') return;
    const id = requestIdleCallback(() => {
      chartModule.load().catch(() => undefined);
      void warmUpVega();
    }, { timeout: 2000 });
    return () => cancelIdleCallback(id);
  }, []);
}

export interface DataExplorerProps {
  resource: JsonValue;
  metadata: JsonObject;
  onChangeMetadata(metadata: JsonObject): void;
  /** Its key in the explorer state (`explorerIdOf(cellId, outputIndex)`); a fresh one when absent. */
  explorerId?: ExplorerId;
}

/** The fields the explorer's frame shows (each keeps its identity until it changes). */
function withoutRows(entry: ExplorerEntry | undefined): Omit<ExplorerEntry, 'rows' | 'chartData'> | undefined {
  if (!entry) return undefined;
  const { rows: _rows, chartData: _chartData, ...rest } = entry;
  return rest;
}

const n = (v: number): string => v.toLocaleString('en-US');

/** Total rows of the frame as the kernel helper recorded them at display time, if known. */
function frameRows(metadata: JsonObject): number | undefined {
  const md = (metadata[DATA_RESOURCE_MIME] as JsonObject | undefined)?.quire as JsonObject | undefined;
  return typeof md?.rows === 'number' ? md.rows : undefined;
}

export default function DataExplorer({ resource, metadata, onChangeMetadata, explorerId }: DataExplorerProps): React.JSX.Element {
  const ownId = useId();
  const id = explorerId ?? ownId;
  const dispatch = useAppDispatch();
  const frameId = frameIdOf(metadata) ?? null;
  // Opened with the view saved in the metadata; a new resource reopens the sources (the view stays).
  useEffect(() => {
    dispatch(explorerActions.opened({ id, resource, frameId, saved: readViewState(metadata) }));
    return () => { dispatch(explorerActions.closed({ id })); };
    // The metadata is read once per open: later changes to it are this explorer's own writes.
  }, [dispatch, id, resource, frameId]);

  // Everything but the row blocks (the grid selects those), so scrolling does not re-render the toolbar.
  const entry = useAppSelector((s) => withoutRows(s.explorer.byId[id]), shallowEqual);
  useChartPreload();
  const { Component: ChartView, error: chartLoadError } = useLazyComponent(chartModule, entry?.tab === 'chart');

  const live = entry?.live ?? null;
  const local = entry?.local;
  const userChart = entry?.chart ?? null;
  const source = local ? activeSource({ live, local }) : undefined;
  // Stable while the source and the user's chart are: a new object would redraw the chart.
  const chart = useMemo(() => (local ? chartStateOf({ live, local, chart: userChart }) : undefined), [live, local, userChart]);
  const query = entry?.query ?? null;

  if (!entry) return <div className="qx-root"><div className="qx-notice" role="status">Reading the table…</div></div>;
  if (entry.local.status === 'failed') {
    return <div className="qx-root"><div className="qx-notice qx-error" role="alert">This output cannot be explored: {entry.local.message}</div></div>;
  }
  if (!source || !query) return <div className="qx-root"><div className="qx-notice" role="status">Reading the table…</div></div>;

  /** A user change: update and persist. */
  const update = (patch: { tab?: ExplorerTabId; view?: TableView; chart?: ChartState }) => {
    dispatch(explorerActions.viewChanged({ id, ...patch }));
    const next = { tab: entry.tab, view: entry.view, chart: entry.chart ?? undefined, ...patch };
    onChangeMetadata(writeViewState(metadata, next));
  };
  const columns = source.columns;
  const count = entry.count?.key === query.key ? entry.count : undefined;
  const rowCount = count?.rows;
  const countError = count?.error ?? null;
  const summary = entry.summary?.key === query.key ? entry.summary : undefined;
  const busy = entry.csv === null ? null : entry.csv.status === 'running' ? 'Exporting CSV…' : `CSV export failed: ${entry.csv.message}`;
  const tab = (tabId: ExplorerTabId, label: string) => (
    <button type="button" role="tab" aria-selected={entry.tab === tabId} className="qx-tab" onClick={() => update({ tab: tabId })}>{label}</button>
  );
  const filtered = query.view.filters.length > 0;
  const localRows = entry.local.status === 'ready' ? entry.local.source.totalRows : 0;
  const warnings = entry.local.status === 'ready' ? entry.local.warnings : [];

  return (
    <div className="qx-root" data-testid="data-explorer" data-source={source.kind}>
      <div className="qx-toolbar">
        <div role="tablist" aria-label="Explorer views">
          {tab('grid', 'Grid')}
          {tab('summary', 'Summary')}
          {tab('chart', 'Chart')}
        </div>
        <span className="qx-count" data-testid="explorer-count">
          {rowCount === undefined ? 'counting…' : filtered ? `${n(rowCount)} of ${n(source.totalRows)} rows` : `${n(source.totalRows)} rows`}
          {' · '}{columns.length} columns
        </span>
        <span className="qx-spacer" />
        {filtered ? <button type="button" onClick={() => update({ view: { ...entry.view, filters: [] } })}>Clear filters</button> : null}
        <ExplorerSettings />
        <button type="button" onClick={() => dispatch(explorerActions.csvRequested({ id }))} title={filtered ? 'Export the filtered rows as CSV' : 'Export the rows as CSV'}>Export CSV</button>
      </div>
      <StatusLine status={entry.status} localRows={localRows} frameRows={frameRows(metadata)} />
      {warnings.map((w) => <div key={w} className="qx-note" role="note">⚠ {w}</div>)}
      {countError ? <div className="qx-notice qx-error" role="alert">{countError}</div> : null}
      {busy ? <div className="qx-note" role="status">{busy}</div> : null}
      {entry.tab === 'grid' ? <Grid explorerId={id} source={source} query={query} rowCount={countError ? 0 : rowCount} onChangeView={(v) => update({ view: v })} /> : null}
      {entry.tab === 'summary' ? <Summary columns={columns} summaries={summary?.columns} error={summary?.error ?? null} /> : null}
      {entry.tab === 'chart' && chart ? (
        ChartView ? <ChartView explorerId={id} columns={columns} queryKey={query.key} chart={chart} onChangeChart={(c) => update({ chart: c })} />
          : chartLoadError ? <div className="qx-notice qx-error" role="alert">Charts failed to load: {chartLoadError}</div>
            : <div className="qx-notice" role="status">Loading charts…</div>
      ) : null}
    </div>
  );
}

function StatusLine({ status, localRows, frameRows }: { status: SourceStatus; localRows: number; frameRows: number | undefined }): React.JSX.Element | null {
  const partial = frameRows !== undefined && frameRows > localRows ? ` of the dataframe's ${n(frameRows)}` : '';
  switch (status.kind) {
    case 'live':
      return <div className="qx-status qx-live" data-testid="explorer-status">● Live: exploring the whole dataframe in the kernel.</div>;
    case 'connecting':
      return <div className="qx-status" data-testid="explorer-status">Connecting to the dataframe in the kernel… (showing the output's {n(localRows)} rows meanwhile)</div>;
    case 'fallback':
      return <div className="qx-status qx-fallback" data-testid="explorer-status" role="note">Exploring only the {n(localRows)} rows in the output{partial}: {status.message.replace(/\.$/, '')}.</div>;
    case 'local':
      return partial ? <div className="qx-status" data-testid="explorer-status">Exploring the {n(localRows)} rows in the output{partial}.</div> : null;
  }
}

function ExplorerSettings(): React.JSX.Element {
  const enabled = useSetting('explorer.pandasTableSchema');
  return (
    <details className="qx-settings">
      <summary title="Explorer settings" aria-label="Explorer settings">⚙</summary>
      <label>
        <input type="checkbox" checked={enabled} onChange={(e) => setPandasTableSchemaEnabled(e.target.checked)} />
        Turn on pandas&apos; table schema output in new Python kernels (applies from the next kernel start)
      </label>
    </details>
  );
}
