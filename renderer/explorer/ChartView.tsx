/**
 * The chart tab (lazy-loaded; vega-embed loads separately, see loadVega.ts). Aggregation happens at
 * the data source; vega only draws the result, on a canvas, with expressions evaluated from their
 * ASTs (`ast: true`, vegaExpressions.ts) because the app's CSP forbids eval.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { AGGREGATE_OPS, CHART_MARKS, chartDataRequest, type ChartState } from '../../src/explorer/charts';
import { buildChartSpec, chartNotes, type VegaLiteSpec } from '../../src/explorer/specs';
import { channelsOf } from '../../src/explorer/suggest';
import type { ExplorerColumn } from '../../src/explorer/types';
import { useAppSelector } from '../store/hooks';
import { downloadBlob, downloadUrl } from './download';
import { chartKeyOf, type ExplorerId } from './explorerSlice';
import { loadVega } from './loadVega';
import { useResolvedTheme } from '../features/settings/theme';
import { vegaEmbedThemeOptions } from '../features/settings/vegaTheme';

export interface ChartViewProps {
  explorerId: ExplorerId;
  columns: readonly ExplorerColumn[];
  /** The view's query: the chart data in the store is for one query and chart. */
  queryKey: string;
  chart: ChartState;
  onChangeChart(chart: ChartState): void;
}

interface VegaViewLike {
  toImageURL(type: 'png' | 'svg', scale?: number): Promise<string>;
}

/** Quiet time after the last change before vega draws. */
const RENDER_SETTLE_MS = 80;

const MARK_LABELS: Record<ChartState['mark'], string> = {
  bar: 'Bar', line: 'Line', area: 'Area', scatter: 'Scatter', histogram: 'Histogram', heatmap: 'Heatmap (binned)', boxplot: 'Box plot',
};

export default function ChartView({ explorerId, columns, queryKey, chart, onChangeChart }: ChartViewProps): React.JSX.Element {
  const request = useMemo(() => chartDataRequest(chart, columns), [chart, columns]);
  // The explorer epics fetch the data of the chart the state names (the latest pick wins).
  const key = 'error' in request ? undefined : chartKeyOf(queryKey, request);
  const answer = useAppSelector((s) => s.explorer.byId[explorerId]?.chartData);
  const current = answer !== undefined && answer !== null && answer.key === key ? answer : undefined;
  const [drawError, setError] = useState<string | null>(null);
  const error = current?.error ?? drawError;
  const [status, setStatus] = useState<string | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const vegaView = useRef<VegaViewLike | null>(null);
  // The spec last drawn: the chart counts as drawn only while it is the current one.
  const [drawnSpec, setDrawnSpec] = useState<VegaLiteSpec | undefined>();
  const theme = useResolvedTheme();
  useEffect(() => setError(null), [key]);

  const chartData = current?.data;
  const spec: VegaLiteSpec | undefined = useMemo(() => {
    if ('error' in request || !chartData) return undefined;
    // The store's data is frozen and vega tags each datum it draws: it draws copies.
    return buildChartSpec(chart, columns, request, { ...chartData, rows: chartData.rows.map((row) => ({ ...row })) });
  }, [chart, columns, request, chartData]);
  const notes = !('error' in request) && chartData ? chartNotes(request, chartData, columns) : [];

  useEffect(() => {
    const el = host.current;
    if (!el || !spec) return;
    let finalize: (() => void) | undefined;
    let disposed = false;
    void (async () => {
      const { embed, compileVegaLite, expressions } = await loadVega();
      // Drawing is the one heavy step in the window: wait out a burst of picks and draw once.
      await new Promise((resolve) => setTimeout(resolve, RENDER_SETTLE_MS));
      if (disposed) return;
      // A fixed width measured once: 'container' sizing lays the chart out twice and re-draws on every resize.
      const sized = spec.width === 'container' ? { ...spec, width: Math.max(240, el.clientWidth - 150), autosize: { type: 'pad' } } : spec;
      // vega-lite bakes its white background into the compiled spec; the dark theme shows the page's ground.
      const themed = theme === 'dark' ? { ...sized, background: 'transparent' } : sized;
      // vega-lite compiles in one task, vega parses and draws in the next: no single long task.
      const compiled = compileVegaLite(themed as never).spec;
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (disposed) return;
      const result = await embed(el, compiled, {
        mode: 'vega', renderer: 'canvas', ast: true, expr: expressions as never, actions: false,
        ...vegaEmbedThemeOptions(theme),
      });
      if (disposed) return result.finalize();
      finalize = result.finalize;
      vegaView.current = result.view as unknown as VegaViewLike;
      setDrawnSpec(spec);
    })().catch((e: unknown) => !disposed && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      disposed = true;
      vegaView.current = null;
      finalize?.();
    };
  }, [spec, theme]);

  const drawn = spec !== undefined && drawnSpec === spec;
  const set = (patch: Partial<ChartState>) => onChangeChart({ ...chart, ...patch });
  const channels = channelsOf(chart.mark);
  const picker = (role: 'x' | 'y' | 'color' | 'size' | 'facet', allowNone: boolean) => (
    <label className="qx-pick">
      <span>{role}</span>
      <select aria-label={`Chart ${role}`} value={chart[role] ?? ''} onChange={(e) => set({ [role]: e.target.value === '' ? null : Number(e.target.value) })}>
        {allowNone ? <option value="">–</option> : null}
        {columns.filter((c) => c.type !== 'nested').map((c: ExplorerColumn) => <option key={c.index} value={c.index}>{c.label}</option>)}
      </select>
    </label>
  );
  const exportImage = async (type: 'png' | 'svg') => {
    try {
      const url = await vegaView.current!.toImageURL(type, type === 'png' ? 2 : 1);
      downloadUrl(url, `chart.${type}`);
    } catch (e) {
      setStatus(`Export failed: ${(e as Error).message}`);
    }
  };
  const copySpec = async () => {
    const text = JSON.stringify(spec, null, 2);
    try {
      await navigator.clipboard.writeText(text);
      setStatus('Vega-lite spec copied.');
    } catch {
      downloadBlob(new Blob([text], { type: 'application/json' }), 'chart.vl.json');
      setStatus('Clipboard unavailable: the spec was saved as chart.vl.json.');
    }
  };

  return (
    <div className="qx-chart" data-testid="explorer-chart">
      <div className="qx-chart-controls">
        <label className="qx-pick">
          <span>mark</span>
          <select aria-label="Chart type" value={chart.mark} onChange={(e) => set({ mark: e.target.value as ChartState['mark'] })}>
            {CHART_MARKS.map((m) => <option key={m} value={m}>{MARK_LABELS[m]}</option>)}
          </select>
        </label>
        {picker('x', chart.mark === 'boxplot')}
        {channels.y ? picker('y', chart.mark !== 'scatter' && chart.mark !== 'heatmap') : null}
        {channels.aggregate ? (
          <label className="qx-pick">
            <span>aggregate</span>
            <select aria-label="Chart aggregate" value={chart.aggregate} onChange={(e) => set({ aggregate: e.target.value as ChartState['aggregate'] })}>
              {AGGREGATE_OPS.map((op) => <option key={op} value={op}>{op}</option>)}
            </select>
          </label>
        ) : null}
        {channels.color ? picker('color', true) : null}
        {channels.size ? picker('size', true) : null}
        {channels.facet ? picker('facet', true) : null}
        <span className="qx-spacer" />
        <button type="button" disabled={!drawn} onClick={() => void exportImage('png')}>PNG</button>
        <button type="button" disabled={!drawn} onClick={() => void exportImage('svg')}>SVG</button>
        <button type="button" disabled={!spec} onClick={() => void copySpec()}>Copy spec</button>
      </div>
      {'error' in request ? <div className="qx-notice" role="status">{request.error}</div> : null}
      {error ? <div className="qx-notice qx-error" role="alert">Could not draw the chart: {error}</div> : null}
      {!('error' in request) && !spec && !error ? <div className="qx-notice" role="status">Computing…</div> : null}
      {notes.map((note) => <div key={note} className="qx-note" role="note">{note}</div>)}
      {status ? <div className="qx-note" role="status">{status}</div> : null}
      <div className="qx-vega" ref={host} data-drawn={drawn ? 'true' : undefined} />
    </div>
  );
}
