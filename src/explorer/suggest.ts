/** Picks a sensible first chart from the column types (and the row count, to avoid overplotting). */
import { CHART_LIMITS, type ChartMark, type ChartState } from './charts';
import type { ExplorerColumn } from './types';

/**
 * Suggests a chart: temporal + number → line of the mean; category + number → bar of the mean;
 * two numbers → scatter (a binned heatmap when there are more rows than a scatter draws);
 * one number → histogram; only categories → bar of counts.
 */
export function suggestChart(columns: readonly ExplorerColumn[], rowCount: number): ChartState {
  // Prefer data columns over the index (pandas puts a RangeIndex first as "index").
  const data = columns.filter((c) => !c.isIndex);
  const pool = data.length > 0 ? data : [...columns];
  const of = (type: ExplorerColumn['type']): ExplorerColumn[] => pool.filter((c) => c.type === type);
  const indexTemporal = columns.filter((c) => c.isIndex && c.type === 'temporal');
  const numbers = of('quantitative');
  const times = [...of('temporal'), ...indexTemporal];
  const categories = [...of('nominal'), ...of('boolean')];
  const chart = (mark: ChartMark, x?: ExplorerColumn, y?: ExplorerColumn, extra: Partial<ChartState> = {}): ChartState => ({
    mark, x: x?.index ?? null, y: y?.index ?? null, color: null, size: null, facet: null, aggregate: y ? 'mean' : 'count', ...extra,
  });
  if (times.length > 0 && numbers.length > 0) return chart('line', times[0], numbers[0]);
  if (categories.length > 0 && numbers.length > 0) return chart('bar', categories[0], numbers[0]);
  if (numbers.length >= 2) {
    return rowCount > CHART_LIMITS.points
      ? chart('heatmap', numbers[0], numbers[1], { aggregate: 'count' })
      : chart('scatter', numbers[0], numbers[1], { aggregate: 'count' });
  }
  if (numbers.length === 1) return chart('histogram', numbers[0]);
  if (times.length > 0) return chart('histogram', times[0]);
  if (categories.length > 0) return chart('bar', categories[0]);
  return chart('bar');
}

/** Which channels a mark uses, so the controls show only meaningful pickers. */
export function channelsOf(mark: ChartMark): { y: boolean; color: boolean; size: boolean; facet: boolean; aggregate: boolean } {
  switch (mark) {
    case 'histogram': return { y: false, color: true, size: false, facet: true, aggregate: false };
    case 'heatmap': return { y: true, color: false, size: false, facet: false, aggregate: false };
    case 'scatter': return { y: true, color: true, size: true, facet: true, aggregate: false };
    case 'boxplot': return { y: true, color: false, size: false, facet: false, aggregate: false };
    default: return { y: true, color: true, size: false, facet: true, aggregate: true };
  }
}
