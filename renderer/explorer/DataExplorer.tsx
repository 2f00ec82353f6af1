/**
 * The data explorer for `application/vnd.dataresource+json` outputs: a virtualized grid (sort,
 * per-column filters), per-column summaries, and vega-lite charts. Over a live kernel frame it
 * queries the kernel for pages and aggregates; otherwise it works on the output's rows. The
 * chosen tab, filters, sort and chart are saved in the output's metadata (`quire.explorer`),
 * written only when the user changes something.
 */
import { useContext, useEffect, useMemo, useState } from 'react';
import type { ChartState } from '../../src/explorer/charts';
import { DATA_RESOURCE_MIME } from '../../src/explorer/dataresource';
import { suggestChart } from '../../src/explorer/suggest';
import type { ColumnSummary, TableView } from '../../src/explorer/types';
import { DEFAULT_VIEW_STATE, frameIdOf, readViewState, writeViewState, type ExplorerTab, type ExplorerViewState } from '../../src/explorer/viewState';
import type { JsonObject, JsonValue } from '../../src/jupyter/messages';
import { lazyComponent, useLazyComponent } from '../components/lazyComponent';
import { KernelClientContext } from '../features/kernels/KernelClientContext';
import { downloadBlob } from './download';
import { setPandasTableSchemaEnabled } from './explorerPreferences';
import { useSetting } from '../features/settings/settingsBridge';
import { Grid } from './Grid';
import { warmUpVega } from './loadVega';
import { Summary } from './Summary';
import { useExplorerSource, type SourceStatus } from './useExplorerSource';
import { useLocalSource } from './useLocalSource';
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
}

const n = (v: number): string => v.toLocaleString('en-US');

/** Total rows of the frame as the kernel helper recorded them at display time, if known. */
function frameRows(metadata: JsonObject): number | undefined {
  const md = (metadata[DATA_RESOURCE_MIME] as JsonObject | undefined)?.quire as JsonObject | undefined;
  return typeof md?.rows === 'number' ? md.rows : undefined;
}

export default function DataExplorer({ resource, metadata, onChangeMetadata }: DataExplorerProps): React.JSX.Element {
  const local = useLocalSource(resource);
  const kernel = useContext(KernelClientContext);
  const frameId = frameIdOf(metadata);
  const { source, status } = useExplorerSource(local.source, kernel, frameId);
  const saved = useMemo(() => readViewState(metadata), [metadata]);
  const [state, setState] = useState<ExplorerViewState>(() => {
    const s = saved ?? DEFAULT_VIEW_STATE;
    return { ...s, tab: s.tab === 'table' ? 'grid' : s.tab };
  });
  const [rowCount, setRowCount] = useState<number | undefined>();
  const [countError, setCountError] = useState<string | null>(null);
  const [summaries, setSummaries] = useState<{ for: unknown; value?: ColumnSummary[]; error?: string }>();
  const [busy, setBusy] = useState<string | null>(null);
  useChartPreload();
  const { Component: ChartView, error: chartLoadError } = useLazyComponent(chartModule, state.tab === 'chart');

  const columns = source?.columns ?? [];
  // Drop filters/sort keys that point past the columns (the frame may have changed since saving).
  const view: TableView = useMemo(() => ({
    filters: state.view.filters.filter((f) => f.column < columns.length),
    sort: state.view.sort.filter((k) => k.column < columns.length),
  }), [state.view, columns.length]);
  const chart: ChartState = useMemo(() => state.chart ?? suggestChart(columns, source?.totalRows ?? 0), [state.chart, columns, source]);

  /** A user change: update and persist. */
  const update = (patch: Partial<ExplorerViewState>) => {
    const next = { ...state, ...patch };
    setState(next);
    onChangeMetadata(writeViewState(metadata, next));
  };

  useEffect(() => {
    if (!source) return;
    let live = true;
    setRowCount(undefined);
    setCountError(null);
    source.count(view).then((c) => live && setRowCount(c), (e: unknown) => live && setCountError(e instanceof Error ? e.message : String(e)));
    return () => { live = false; };
  }, [source, view]);

  useEffect(() => {
    if (!source || state.tab !== 'summary') return;
    let live = true;
    const key = { source, view };
    setSummaries({ for: key });
    source.summary(view).then((value) => live && setSummaries({ for: key, value }), (e: unknown) => live && setSummaries({ for: key, error: e instanceof Error ? e.message : String(e) }));
    return () => { live = false; };
  }, [source, view, state.tab]);

  if (local.error !== undefined) {
    return <div className="qx-root"><div className="qx-notice qx-error" role="alert">This output cannot be explored: {local.error}</div></div>;
  }
  if (!source) return <div className="qx-root"><div className="qx-notice" role="status">Reading the table…</div></div>;

  const exportCsv = async () => {
    setBusy('Exporting CSV…');
    try {
      const csv = await source.csv(view);
      downloadBlob(new Blob([csv], { type: 'text/csv' }), 'data.csv');
      setBusy(null);
    } catch (e) {
      setBusy(`CSV export failed: ${(e as Error).message}`);
    }
  };
  const tab = (id: Exclude<ExplorerTab, 'table'>, label: string) => (
    <button type="button" role="tab" aria-selected={state.tab === id} className="qx-tab" onClick={() => update({ tab: id })}>{label}</button>
  );
  const filtered = view.filters.length > 0;

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
        {filtered ? <button type="button" onClick={() => update({ view: { ...state.view, filters: [] } })}>Clear filters</button> : null}
        <ExplorerSettings />
        <button type="button" onClick={() => void exportCsv()} title={filtered ? 'Export the filtered rows as CSV' : 'Export the rows as CSV'}>Export CSV</button>
      </div>
      <StatusLine status={status} localRows={local.source?.totalRows ?? 0} frameRows={frameRows(metadata)} />
      {local.warnings.map((w) => <div key={w} className="qx-note" role="note">⚠ {w}</div>)}
      {countError ? <div className="qx-notice qx-error" role="alert">{countError}</div> : null}
      {busy ? <div className="qx-note" role="status">{busy}</div> : null}
      {state.tab === 'grid' ? <Grid source={source} view={view} rowCount={countError ? 0 : rowCount} onChangeView={(v) => update({ view: v })} /> : null}
      {state.tab === 'summary' ? <Summary columns={columns} summaries={summaries?.value} error={summaries?.error ?? null} /> : null}
      {state.tab === 'chart' ? (
        ChartView ? <ChartView source={source} view={view} chart={chart} onChangeChart={(c) => update({ chart: c })} />
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
