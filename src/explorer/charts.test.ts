import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { chartDataRequest, CHART_LIMITS, CHART_MARKS, type ChartDataRequest, type ChartState } from './charts';
import { parseDataResource } from './dataresource';
import { applyView, chartData } from './localEngine';
import { buildChartSpec, chartNotes } from './specs';
import { suggestChart } from './suggest';
import type { ExplorerColumn } from './types';

const col = (index: number, type: ExplorerColumn['type'], extra: Partial<ExplorerColumn> = {}): ExplorerColumn => ({ index, name: `c${index}`, label: `c${index}`, type, ...extra });

describe('suggestChart', () => {
  it('picks by column types, skipping the index', () => {
    const idx = col(0, 'quantitative', { isIndex: true });
    expect(suggestChart([idx, col(1, 'temporal'), col(2, 'quantitative')], 10)).toMatchObject({ mark: 'line', x: 1, y: 2, aggregate: 'mean' });
    expect(suggestChart([idx, col(1, 'nominal'), col(2, 'quantitative')], 10)).toMatchObject({ mark: 'bar', x: 1, y: 2 });
    expect(suggestChart([idx, col(1, 'quantitative'), col(2, 'quantitative')], 10)).toMatchObject({ mark: 'scatter', x: 1, y: 2 });
    expect(suggestChart([idx, col(1, 'quantitative'), col(2, 'quantitative')], 1_000_000)).toMatchObject({ mark: 'heatmap' });
    expect(suggestChart([idx, col(1, 'quantitative')], 10)).toMatchObject({ mark: 'histogram', x: 1 });
    expect(suggestChart([idx, col(1, 'nominal')], 10)).toMatchObject({ mark: 'bar', x: 1, y: null, aggregate: 'count' });
    expect(suggestChart([idx], 10)).toMatchObject({ mark: 'histogram', x: 0 });
    expect(suggestChart([col(0, 'nested')], 10)).toMatchObject({ mark: 'bar', x: null });
  });
});

describe('chartDataRequest', () => {
  const cols = [col(0, 'quantitative'), col(1, 'nominal'), col(2, 'temporal'), col(3, 'nested'), col(4, 'quantitative')];
  it('bins continuous axes and caps categories', () => {
    expect(chartDataRequest({ mark: 'histogram', x: 0, aggregate: 'count' }, cols)).toEqual({
      kind: 'aggregate', groups: [{ column: 0, bins: CHART_LIMITS.histogramBins }], op: 'count', roles: ['x'],
    });
    expect(chartDataRequest({ mark: 'bar', x: 1, y: 0, color: 2, aggregate: 'sum' }, cols)).toEqual({
      kind: 'aggregate', groups: [{ column: 1, limit: CHART_LIMITS.categories }, { column: 2, bins: 8 }], op: 'sum', column: 0, roles: ['x', 'color'],
    });
    expect(chartDataRequest({ mark: 'line', x: 2, y: 4, aggregate: 'median' }, cols)).toMatchObject({ groups: [{ column: 2, binAbove: 500, bins: 100 }], op: 'median' });
  });
  it('counts when the measure is not numeric, samples scatters, boxes numbers', () => {
    expect(chartDataRequest({ mark: 'bar', x: 1, y: 1, aggregate: 'mean' }, cols)).toMatchObject({ op: 'count' });
    expect(chartDataRequest({ mark: 'scatter', x: 0, y: 4, size: 0, aggregate: 'count' }, cols)).toEqual({ kind: 'points', columns: [0, 4, 0], limit: CHART_LIMITS.points, roles: ['x', 'y', 'size'] });
    expect(chartDataRequest({ mark: 'boxplot', x: 1, y: 0, aggregate: 'count' }, cols)).toEqual({ kind: 'box', group: { column: 1, limit: CHART_LIMITS.categories }, column: 0 });
  });
  it('explains what is missing instead of drawing nothing', () => {
    expect(chartDataRequest({ mark: 'scatter', x: 0, aggregate: 'count' }, cols)).toEqual({ error: 'Choose columns for x and y.' });
    expect(chartDataRequest({ mark: 'bar', x: 3, aggregate: 'count' }, cols)).toEqual({ error: 'Choose a column for x.' });
    expect(chartDataRequest({ mark: 'boxplot', x: 1, y: 1, aggregate: 'count' }, cols)).toHaveProperty('error');
  });
});

describe('local chart data + specs', () => {
  const rows = Array.from({ length: 12_000 }, (_, i) => ({
    index: i, x: (i % 100) / 10, y: Math.sin(i) * 10, cat: ['a', 'b', 'c'][i % 3], t: new Date(Date.UTC(2021, 0, 1) + i * 3_600_000).toISOString(),
  }));
  const table = parseDataResource({
    schema: { fields: [{ name: 'index', type: 'integer' }, { name: 'x', type: 'number' }, { name: 'y', type: 'number' }, { name: 'cat', type: 'string' }, { name: 't', type: 'datetime' }], primaryKey: ['index'] },
    data: rows,
  });
  const all = applyView(table, { filters: [], sort: [] });

  it('every mark yields a spec that vega-lite compiles', () => {
    const states: ChartState[] = CHART_MARKS.map((mark) => ({ mark, x: mark === 'boxplot' ? 3 : 1, y: 2, color: mark === 'scatter' || mark === 'bar' ? 3 : null, facet: mark === 'area' ? 3 : null, aggregate: 'mean' }));
    states.push({ mark: 'line', x: 4, y: 2, color: 3, aggregate: 'max' }, { mark: 'heatmap', x: 4, y: 3, aggregate: 'count' });
    for (const state of states) {
      const request = chartDataRequest(state, table.columns) as ChartDataRequest;
      const data = chartData(table, all, request);
      const spec = buildChartSpec(state, table.columns, request, data);
      expect(() => compile(spec as never), state.mark).not.toThrow();
      expect(JSON.stringify(spec).length, state.mark).toBeLessThan(2_000_000);
    }
  });

  it('aggregates correctly (mean by category) and bins temporal lines when dense', () => {
    const request = chartDataRequest({ mark: 'bar', x: 3, y: 1, aggregate: 'mean' }, table.columns) as ChartDataRequest;
    const data = chartData(table, all, request);
    const expected = ['a', 'b', 'c'].map((c, k) => rows.filter((_, i) => i % 3 === k).reduce((s, r) => s + r.x, 0) / 4000);
    expect(data.rows.map((r) => r.g0)).toEqual(['a', 'b', 'c']);
    data.rows.forEach((r, k) => expect(r.value).toBeCloseTo(expected[k], 9));
    const line = chartDataRequest({ mark: 'line', x: 4, y: 2, aggregate: 'mean' }, table.columns) as ChartDataRequest;
    const lineData = chartData(table, all, line);
    expect(lineData.binnedKeys).toEqual([0]);
    expect(lineData.rows).toHaveLength(100);
    expect(chartNotes(line, lineData, table.columns)[0]).toMatch(/too many distinct values.*100 intervals/);
  });

  it('samples scatters above the limit and notes it', () => {
    const request = chartDataRequest({ mark: 'scatter', x: 1, y: 2, aggregate: 'count' }, table.columns) as ChartDataRequest;
    const data = chartData(table, all, request);
    expect(data.sampled).toEqual({ shown: 3000, total: 12_000 });
    expect(data.rows[1]).toEqual({ c0: rows[4].x, c1: rows[4].y }); // floor(1 * 12000 / 3000) = 4
    expect(chartNotes(request, data, table.columns)[0]).toBe('Sampled 3,000 of 12,000 points (evenly spaced); use a heatmap to see every row.');
  });

  it('stacks only what adds up: means by colour go side by side', () => {
    const spec = (aggregate: ChartState['aggregate']) => {
      const state: ChartState = { mark: 'bar', x: 3, y: 1, color: 3, aggregate };
      const request = chartDataRequest(state, table.columns) as ChartDataRequest;
      return buildChartSpec(state, table.columns, request, chartData(table, all, request)) as { encoding: Record<string, Record<string, unknown>> };
    };
    expect(spec('mean').encoding.y.stack).toBeNull();
    expect(spec('mean').encoding.xOffset).toEqual({ field: 'g1', type: 'nominal' });
    expect(spec('sum').encoding.y.stack).toBeUndefined();
    expect(spec('sum').encoding.xOffset).toBeUndefined();
  });

  it('temporal encodings use UTC scales; binned bars draw ranges', () => {
    const state: ChartState = { mark: 'histogram', x: 4, aggregate: 'count' };
    const request = chartDataRequest(state, table.columns) as ChartDataRequest;
    const spec = buildChartSpec(state, table.columns, request, chartData(table, all, request)) as { encoding: Record<string, Record<string, unknown>> };
    expect(spec.encoding.x).toMatchObject({ field: 'g0', type: 'temporal', scale: { type: 'utc' }, bin: { binned: true } });
    expect(spec.encoding.x2).toEqual({ field: 'g0_end' });
    expect(spec.encoding.y).toMatchObject({ field: 'value', title: 'count of rows' });
  });
});
