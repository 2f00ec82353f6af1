/**
 * The explorer's saved state, kept in the output's metadata under `quire.explorer` so it comes
 * back when the notebook is reopened. Reading validates loosely: anything unexpected falls back
 * to defaults rather than breaking the output.
 */
import type { JsonObject, JsonValue } from '../jupyter/messages';
import { AGGREGATE_OPS, CHART_MARKS, type ChartState } from './charts';
import { DATA_RESOURCE_MIME } from './dataresource';
import type { ColumnFilter, SortKey, TableView } from './types';

export type ExplorerTab = 'table' | 'grid' | 'summary' | 'chart';

export interface ExplorerViewState {
  /** Which view shows: `table` is the output's normal rendering (explorer off). */
  tab: ExplorerTab;
  view: TableView;
  chart?: ChartState;
}

export const DEFAULT_VIEW_STATE: ExplorerViewState = { tab: 'table', view: { filters: [], sort: [] } };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const optIndex = (v: unknown): number | null => (isIndex(v) ? v : null);

function readFilter(v: unknown): ColumnFilter | undefined {
  if (!isObject(v) || !isIndex(v.column)) return undefined;
  const cs = v.caseSensitive === true;
  switch (v.op) {
    case 'contains': case 'equals': case 'regex':
      return typeof v.value === 'string' ? { column: v.column, op: v.op, value: v.value, ...(cs ? { caseSensitive: true } : {}) } : undefined;
    case 'range': {
      const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
      return { column: v.column, op: 'range', min: num(v.min), max: num(v.max) };
    }
    case 'missing':
      return { column: v.column, op: 'missing', missing: v.missing === true };
    default:
      return undefined;
  }
}

function readChart(v: unknown): ChartState | undefined {
  if (!isObject(v) || !CHART_MARKS.includes(v.mark as never)) return undefined;
  return {
    mark: v.mark as ChartState['mark'],
    x: optIndex(v.x), y: optIndex(v.y), color: optIndex(v.color), size: optIndex(v.size), facet: optIndex(v.facet),
    aggregate: AGGREGATE_OPS.includes(v.aggregate as never) ? (v.aggregate as ChartState['aggregate']) : 'count',
  };
}

/** Reads the saved explorer state from an output's metadata; undefined when none was saved. */
export function readViewState(metadata: JsonObject | undefined): ExplorerViewState | undefined {
  const quire = metadata?.quire;
  if (!isObject(quire) || !isObject(quire.explorer)) return undefined;
  const saved = quire.explorer;
  const tab: ExplorerTab = ['table', 'grid', 'summary', 'chart'].includes(saved.tab as string) ? (saved.tab as ExplorerTab) : 'grid';
  const view = isObject(saved.view) ? saved.view : {};
  const filters = Array.isArray(view.filters) ? view.filters.map(readFilter).filter((f): f is ColumnFilter => !!f) : [];
  const sort = Array.isArray(view.sort)
    ? (view.sort as unknown[]).filter(isObject).filter((k) => isIndex(k.column)).map((k): SortKey => ({ column: k.column as number, descending: k.descending === true }))
    : [];
  const chart = readChart(saved.chart);
  return { tab, view: { filters, sort }, ...(chart ? { chart } : {}) };
}

/** Returns new metadata with the state stored under `quire.explorer`, other keys untouched. */
export function writeViewState(metadata: JsonObject | undefined, state: ExplorerViewState): JsonObject {
  const quire = isObject(metadata?.quire) ? (metadata.quire as JsonObject) : {};
  return { ...(metadata ?? {}), quire: { ...quire, explorer: JSON.parse(JSON.stringify(state)) as JsonValue } };
}

/**
 * The kernel-side frame id the output was made from, set by the kernel helper's display
 * formatter: IPython files formatter metadata under the mime type
 * (`metadata["application/vnd.dataresource+json"].quire.frame_id`); a top-level
 * `metadata.quire.frame_id` is accepted too.
 */
export function frameIdOf(metadata: JsonObject | undefined): string | undefined {
  const candidates = [metadata?.quire, isObject(metadata?.[DATA_RESOURCE_MIME]) ? (metadata[DATA_RESOURCE_MIME] as JsonObject).quire : undefined];
  for (const c of candidates) if (isObject(c) && typeof c.frame_id === 'string') return c.frame_id;
  return undefined;
}

/**
 * Whether the output should open in the explorer: the user explored it and did not switch back
 * to the table. For the output's explore toggle (renderer/outputs/DataResourceOutput.tsx).
 */
export function isExplorerOpen(metadata: JsonObject | undefined): boolean {
  const state = readViewState(metadata);
  return state !== undefined && state.tab !== 'table';
}

/** Metadata recording that the user opened (or closed) the explorer; keeps the saved view. */
export function setExplorerOpen(metadata: JsonObject | undefined, open: boolean): JsonObject {
  const state = readViewState(metadata) ?? DEFAULT_VIEW_STATE;
  return writeViewState(metadata, { ...state, tab: open ? (state.tab === 'table' ? 'grid' : state.tab) : 'table' });
}
