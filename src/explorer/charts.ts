/**
 * The chart model: what the user picks (`ChartState`), the data request derived from it
 * (`ChartDataRequest`, answered by the local engine or by the kernel), and the answer
 * (`ChartData`). Aggregation always happens at the data (in the kernel for live frames), so a
 * chart over a million rows ships tens or thousands of points, never the rows.
 */
import type { CellValue, ColumnType, ExplorerColumn } from './types';

/** Which encoding channel each group key or point column feeds. */
export type ChartRole = 'x' | 'y' | 'color' | 'size' | 'facet';

export type ChartMark = 'bar' | 'line' | 'area' | 'scatter' | 'histogram' | 'heatmap' | 'boxplot';
export type AggregateOp = 'count' | 'sum' | 'mean' | 'median' | 'min' | 'max';

export const CHART_MARKS: readonly ChartMark[] = ['bar', 'line', 'area', 'scatter', 'histogram', 'heatmap', 'boxplot'];
export const AGGREGATE_OPS: readonly AggregateOp[] = ['count', 'sum', 'mean', 'median', 'min', 'max'];

/** The user's chart choices; columns by position. Saved in the output's metadata. */
export interface ChartState {
  mark: ChartMark;
  x?: number | null;
  y?: number | null;
  color?: number | null;
  size?: number | null;
  facet?: number | null;
  aggregate: AggregateOp;
}

/** Limits on what a chart may draw; beyond them the data is binned, sampled or truncated. */
export const CHART_LIMITS = {
  /** Raw points drawn by a scatter before sampling (vega draws ~3,000 points within the 100 ms budget). */
  points: 3000,
  /** Bars/categories on a nominal axis (top N by row count). */
  categories: 50,
  /** Series in the colour legend. */
  colors: 20,
  /** Facet panels. */
  facets: 12,
  /** Distinct x values a line/area draws unbinned. */
  lineDistinct: 500,
  lineBins: 100,
  histogramBins: 30,
  heatmapBins: 40,
} as const;

/** One grouping key: a column, optionally cut into equal-width bins; nominal keys are capped at `limit` (top by count). */
export interface GroupKey {
  column: number;
  bins?: number;
  /** For unbinned keys: bin anyway when there are more distinct values than this. */
  binAbove?: number;
  limit?: number;
}

export type ChartDataRequest =
  | { kind: 'aggregate'; groups: GroupKey[]; op: AggregateOp; column?: number | null; roles?: ChartRole[] }
  | { kind: 'points'; columns: number[]; limit: number; roles?: ChartRole[] }
  | { kind: 'box'; group?: GroupKey | null; column: number };

/**
 * Rows of chart data. Aggregates: `g0…gN` keys (binned keys also `gK_end`) and `value`.
 * Points: `c0…cN` in request order. Box: `group`, `min`, `q1`, `median`, `q3`, `max`, `lower`, `upper`, `count`.
 */
export interface ChartData {
  rows: Record<string, CellValue>[];
  /** Rows of the (filtered) table the chart describes. */
  totalRows: number;
  /** Set when a scatter was sampled: `shown` of `total` points. */
  sampled?: { shown: number; total: number };
  /** Keys that were binned (index into `groups`), so the spec draws ranges. */
  binnedKeys?: number[];
  /** Keys whose categories were cut to the top N: key index → distinct count before cutting. */
  truncated?: Record<string, number>;
}

const chartable = (t: ColumnType): boolean => t !== 'nested';
const isContinuous = (t: ColumnType): boolean => t === 'quantitative' || t === 'temporal';

function categoryKey(column: number, limit: number): GroupKey {
  return { column, limit };
}

/**
 * Derives the data request for a chart. Returns a message instead when the choice cannot be
 * drawn (e.g. a scatter without two columns).
 */
export function chartDataRequest(state: ChartState, columns: readonly ExplorerColumn[]): ChartDataRequest | { error: string } {
  const col = (i: number | null | undefined): ExplorerColumn | undefined =>
    i === null || i === undefined ? undefined : columns[i] && chartable(columns[i].type) ? columns[i] : undefined;
  const x = col(state.x);
  const y = col(state.y);
  const color = col(state.color);
  const facet = col(state.facet);
  const extraRoles: ChartRole[] = [];
  const extraKeys = (): GroupKey[] => {
    const keys: GroupKey[] = [];
    extraRoles.length = 0;
    if (color) {
      keys.push(isContinuous(color.type) ? { column: color.index, bins: 8 } : categoryKey(color.index, CHART_LIMITS.colors));
      extraRoles.push('color');
    }
    if (facet) {
      keys.push(isContinuous(facet.type) ? { column: facet.index, bins: 6 } : categoryKey(facet.index, CHART_LIMITS.facets));
      extraRoles.push('facet');
    }
    return keys;
  };
  const measure = (): { op: AggregateOp; column?: number | null } => {
    if (!y || state.aggregate === 'count') return { op: 'count' };
    if (y.type !== 'quantitative' && state.aggregate !== 'min' && state.aggregate !== 'max') return { op: 'count' };
    return { op: state.aggregate, column: y.index };
  };
  switch (state.mark) {
    case 'histogram': {
      if (!x) return { error: 'Choose a column for x.' };
      const key: GroupKey = isContinuous(x.type) ? { column: x.index, bins: CHART_LIMITS.histogramBins } : categoryKey(x.index, CHART_LIMITS.categories);
      return { kind: 'aggregate', groups: [key, ...extraKeys()], op: 'count', roles: ['x', ...extraRoles] };
    }
    case 'bar': {
      if (!x) return { error: 'Choose a column for x.' };
      const key: GroupKey = isContinuous(x.type)
        ? { column: x.index, binAbove: CHART_LIMITS.categories, bins: CHART_LIMITS.histogramBins }
        : categoryKey(x.index, CHART_LIMITS.categories);
      return { kind: 'aggregate', groups: [key, ...extraKeys()], ...measure(), roles: ['x', ...extraRoles] };
    }
    case 'line':
    case 'area': {
      if (!x) return { error: 'Choose a column for x.' };
      const key: GroupKey = isContinuous(x.type)
        ? { column: x.index, binAbove: CHART_LIMITS.lineDistinct, bins: CHART_LIMITS.lineBins }
        : categoryKey(x.index, CHART_LIMITS.categories);
      return { kind: 'aggregate', groups: [key, ...extraKeys()], ...measure(), roles: ['x', ...extraRoles] };
    }
    case 'heatmap': {
      if (!x || !y) return { error: 'Choose columns for x and y.' };
      const bin = (c: ExplorerColumn): GroupKey => isContinuous(c.type) ? { column: c.index, bins: CHART_LIMITS.heatmapBins } : categoryKey(c.index, CHART_LIMITS.categories);
      return { kind: 'aggregate', groups: [bin(x), bin(y)], op: 'count', roles: ['x', 'y'] };
    }
    case 'scatter': {
      if (!x || !y) return { error: 'Choose columns for x and y.' };
      const cols = [x.index, y.index];
      const roles: ChartRole[] = ['x', 'y'];
      const size = col(state.size);
      if (color) { cols.push(color.index); roles.push('color'); }
      if (size) { cols.push(size.index); roles.push('size'); }
      if (facet) { cols.push(facet.index); roles.push('facet'); }
      return { kind: 'points', columns: cols, limit: CHART_LIMITS.points, roles };
    }
    case 'boxplot': {
      const value = y && y.type === 'quantitative' ? y : x && x.type === 'quantitative' && !y ? x : undefined;
      if (!value) return { error: 'Choose a numeric column for y.' };
      const group = value === y && x && !isContinuous(x.type) ? categoryKey(x.index, CHART_LIMITS.categories) : null;
      return { kind: 'box', group, column: value.index };
    }
  }
}
