/**
 * Vega-lite spec builders. The data arrives pre-aggregated (`ChartData`), so specs encode the
 * computed fields directly (`bin: { binned: true }` for bins made at the data) instead of asking
 * vega to aggregate again. Temporal values are epoch ms drawn on UTC scales.
 */
import { type ChartData, type ChartDataRequest, type ChartRole, type ChartState } from './charts';
import type { ExplorerColumn } from './types';

/** A vega-lite spec as plain JSON (src/ may not import vega-lite's types). */
export type VegaLiteSpec = Record<string, unknown>;

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

type Encoding = Record<string, unknown>;

function vlType(column: ExplorerColumn): 'quantitative' | 'temporal' | 'nominal' {
  return column.type === 'quantitative' ? 'quantitative' : column.type === 'temporal' ? 'temporal' : 'nominal';
}

function fieldEncoding(field: string, column: ExplorerColumn, binned: boolean, endField?: string): { main: Encoding; end?: Encoding } {
  const type = vlType(column);
  const main: Encoding = { field, type, title: column.label };
  if (type === 'temporal') main.scale = { type: 'utc' };
  if (binned && type !== 'nominal') {
    main.bin = { binned: true };
    return { main, end: { field: endField } };
  }
  return { main };
}

function measureTitle(state: ChartState, request: ChartDataRequest, columns: readonly ExplorerColumn[]): string {
  if (request.kind !== 'aggregate' || request.op === 'count' || request.column === undefined || request.column === null) return 'count of rows';
  return `${request.op} of ${columns[request.column]?.label ?? '?'}`;
}

/** Builds the vega-lite spec for a chart from its state and the data answering its request. */
export function buildChartSpec(state: ChartState, columns: readonly ExplorerColumn[], request: ChartDataRequest, data: ChartData): VegaLiteSpec {
  const base: VegaLiteSpec = {
    $schema: VEGA_LITE_SCHEMA,
    data: { values: data.rows },
    config: { view: { stroke: null }, axis: { labelLimit: 160 } },
  };
  const enc: Encoding = {};
  let mark: unknown;
  let hasFacet = false;
  if (request.kind === 'box') {
    const value = columns[request.column];
    const y = (field: string): Encoding => ({ field, type: 'quantitative', title: value.label, scale: { zero: false } });
    const x = request.group ? { field: 'group', type: 'nominal', title: columns[request.group.column].label, axis: { labelAngle: data.rows.length > 12 ? -45 : 0 } } : undefined;
    const layer = [
      { mark: { type: 'rule' }, encoding: { ...(x ? { x } : {}), y: y('lower'), y2: { field: 'upper' } } },
      { mark: { type: 'bar', size: 28 }, encoding: { ...(x ? { x } : {}), y: y('q1'), y2: { field: 'q3' }, tooltip: boxTooltip(value.label) } },
      { mark: { type: 'tick', color: 'white', size: 28 }, encoding: { ...(x ? { x } : {}), y: y('median') } },
    ];
    return { ...base, width: x ? { step: 40 } : 120, height: 300, layer };
  }
  const roles: ChartRole[] = request.roles ?? [];
  const tooltip: Encoding[] = [];
  if (request.kind === 'points') {
    request.columns.forEach((c, i) => {
      const role = roles[i];
      const column = columns[c];
      const { main } = fieldEncoding(`c${i}`, column, false);
      if (role === 'size') main.type = column.type === 'quantitative' ? 'quantitative' : 'ordinal';
      if (role === 'facet') { main.columns = 4; hasFacet = true; }
      if (role) enc[role] = main;
      tooltip.push({ field: `c${i}`, type: vlType(column), title: column.label });
    });
    mark = { type: 'point', filled: true, opacity: data.rows.length > 1000 ? 0.4 : 0.8, size: enc.size ? undefined : 20 };
  } else {
    const binned = new Set(data.binnedKeys ?? []);
    request.groups.forEach((g, i) => {
      const role = roles[i];
      const column = columns[g.column];
      const isBinned = binned.has(i);
      const { main, end } = fieldEncoding(`g${i}`, column, isBinned && (role === 'x' || role === 'y'), `g${i}_end`);
      if (role === 'x') {
        enc.x = main;
        if (end && state.mark !== 'line' && state.mark !== 'area') enc.x2 = end;
        else delete main.bin;
      } else if (role === 'y') {
        enc.y = main;
        if (end) enc.y2 = end;
      } else if (role === 'color') {
        enc.color = { ...main, type: isBinned ? 'ordinal' : main.type === 'quantitative' ? 'ordinal' : main.type };
        delete (enc.color as Encoding).bin;
      } else if (role === 'facet') {
        enc.facet = { field: `g${i}`, type: isBinned || main.type !== 'nominal' ? 'ordinal' : 'nominal', title: column.label, columns: 4 };
        hasFacet = true;
      }
      tooltip.push({ field: `g${i}`, type: isBinned ? 'quantitative' : vlType(column), title: column.label, ...(vlType(column) === 'temporal' ? { format: '%Y-%m-%d %H:%M', formatType: 'utc' } : {}) });
    });
    const measure = { field: 'value', type: 'quantitative', title: measureTitle(state, request, columns) };
    tooltip.push(measure);
    if (state.mark === 'heatmap') {
      enc.color = { ...measure, scale: { scheme: 'viridis' } };
      mark = { type: 'rect' };
    } else {
      enc.y = measure;
      mark = state.mark === 'line' ? { type: 'line', point: data.rows.length <= 100 } : state.mark === 'area' ? { type: 'area', opacity: 0.8 } : { type: 'bar' };
      if (state.mark === 'bar' && enc.x && (enc.x as Encoding).type === 'nominal') (enc.x as Encoding).sort = null;
    }
    // Means, medians and extremes do not add up: side by side (bars) or overlapping (areas), never stacked.
    const additive = request.op === 'count' || request.op === 'sum';
    if (enc.color && !additive && state.mark !== 'heatmap') {
      (enc.y as Encoding).stack = null;
      if (state.mark === 'bar' && (enc.x as Encoding | undefined)?.type === 'nominal') {
        enc.xOffset = { field: (enc.color as Encoding).field, type: 'nominal' };
      }
      if (state.mark === 'area') mark = { type: 'area', opacity: 0.45 };
    }
    if (enc.x && (enc.x as Encoding).type === 'nominal') {
      // Few categories read best level; many need the slant.
      const categories = new Set(data.rows.map((r) => r.g0)).size;
      (enc.x as Encoding).axis = { labelAngle: categories > 12 ? -45 : 0 };
    }
  }
  enc.tooltip = tooltip;
  return { ...base, mark, encoding: enc, ...(hasFacet ? { width: 180, height: 140 } : { width: 'container', height: 300, autosize: { type: 'fit-x', contains: 'padding' } }) };
}

function boxTooltip(label: string): Encoding[] {
  return ['count', 'min', 'q1', 'median', 'q3', 'max'].map((f) => ({ field: f, type: 'quantitative', title: `${f} of ${label}` }));
}

/** The notes a chart must show: sampling, binning, truncated categories. */
export function chartNotes(request: ChartDataRequest, data: ChartData, columns: readonly ExplorerColumn[]): string[] {
  const notes: string[] = [];
  const n = (v: number): string => v.toLocaleString('en-US');
  if (data.sampled) notes.push(`Sampled ${n(data.sampled.shown)} of ${n(data.sampled.total)} points (evenly spaced); use a heatmap to see every row.`);
  if (request.kind === 'aggregate') {
    for (const k of data.binnedKeys ?? []) {
      const g = request.groups[k];
      if (g.binAbove !== undefined) notes.push(`${columns[g.column].label} has too many distinct values to draw one by one; binned into ${g.bins} intervals.`);
    }
  }
  for (const [k, total] of Object.entries(data.truncated ?? {})) {
    const g = request.kind === 'aggregate' ? request.groups[Number(k)] : request.kind === 'box' ? request.group : undefined;
    if (g) notes.push(`${columns[g.column].label}: showing the ${g.limit} most frequent of ${n(total)} values.`);
  }
  if (data.totalRows === 0) notes.push('No rows to chart.');
  return notes;
}

