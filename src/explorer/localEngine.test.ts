import { describe, expect, it } from 'vitest';
import { parseDataResource } from './dataresource';
import { applyView, boxStats, compileFilter, pageRows } from './localEngine';
import { summarizeTable } from './summary';

const table = parseDataResource({
  schema: { fields: [{ name: 'n', type: 'number' }, { name: 's', type: 'string' }, { name: 'mixed' }] },
  data: [
    { n: 3, s: 'Banana', mixed: 1 }, { n: null, s: 'apple', mixed: 'x' }, { n: 1, s: null, mixed: true },
    { n: 'Infinity', s: 'cherry', mixed: 2 }, { n: 1, s: 'apple', mixed: null },
  ],
});

describe('applyView', () => {
  it('sorts stably with missing values last in both directions', () => {
    expect([...applyView(table, { filters: [], sort: [{ column: 0, descending: false }] })]).toEqual([2, 4, 0, 3, 1]);
    expect([...applyView(table, { filters: [], sort: [{ column: 0, descending: true }] })]).toEqual([3, 0, 2, 4, 1]);
    expect([...applyView(table, { filters: [], sort: [{ column: 1, descending: false }, { column: 0, descending: true }] })]).toEqual([0, 4, 1, 3, 2]);
    // Mixed column: numbers, then booleans, then text.
    expect([...applyView(table, { filters: [], sort: [{ column: 2, descending: false }] })]).toEqual([0, 3, 2, 1, 4]);
  });

  it('filters: contains/equals (case-insensitive by default), regex, ranges, missing', () => {
    const rows = (f: Parameters<typeof applyView>[1]['filters']) => [...applyView(table, { filters: f, sort: [] })];
    expect(rows([{ column: 1, op: 'contains', value: 'AN' }])).toEqual([0]);
    expect(rows([{ column: 1, op: 'contains', value: 'AN', caseSensitive: true }])).toEqual([]);
    expect(rows([{ column: 1, op: 'equals', value: 'apple' }])).toEqual([1, 4]);
    expect(rows([{ column: 0, op: 'equals', value: '1' }])).toEqual([2, 4]);
    expect(rows([{ column: 1, op: 'regex', value: '^(a|c)' }])).toEqual([1, 3, 4]);
    expect(rows([{ column: 0, op: 'range', min: 2 }])).toEqual([0, 3]);
    expect(rows([{ column: 0, op: 'range', min: 0, max: 2 }])).toEqual([2, 4]);
    expect(rows([{ column: 0, op: 'missing', missing: true }])).toEqual([1]);
    expect(() => compileFilter({ column: 1, op: 'regex', value: '(' }, table.columns[1], table.data[1])).toThrow(/Invalid regular expression/);
  });

  it('pages rows in column order', () => {
    const view = applyView(table, { filters: [], sort: [{ column: 0, descending: false }] });
    expect(pageRows(table, view, 1, 2)).toEqual([[1, 'apple', null], [3, 'Banana', 1]]);
    expect(pageRows(table, view, 4, 10)).toEqual([[null, 'apple', 'x']]);
  });
});

describe('summaries', () => {
  it('counts, distinct, stats excluding infinities, top values', () => {
    const [n, s] = summarizeTable(table, applyView(table, { filters: [], sort: [] }));
    expect(n).toMatchObject({ count: 4, missing: 1, distinct: 3, infinite: 1, min: 1, max: 3, quantiles: [1, 1, 2] });
    expect(n.mean).toBeCloseTo(5 / 3, 12);
    expect(n.std).toBeCloseTo(Math.sqrt(((1 - 5 / 3) ** 2 * 2 + (3 - 5 / 3) ** 2) / 2), 12);
    expect(n.histogram!.reduce((a, b) => a + b.count, 0)).toBe(3);
    expect(s).toMatchObject({ count: 4, missing: 1, distinct: 3, min: 'Banana', max: 'cherry' });
    expect(s.top![0]).toEqual({ value: 'apple', count: 2 });
  });
  it('boxStats uses linear quantiles and 1.5 IQR whiskers', () => {
    expect(boxStats([1, 2, 3, 4, 100])).toEqual({ count: 5, min: 1, q1: 2, median: 3, q3: 4, max: 100, lower: 1, upper: 4 });
  });
});
