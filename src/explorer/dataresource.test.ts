import { describe, expect, it } from 'vitest';
import { DataResourceError, parseDataResource, uniqueLabels } from './dataresource';
import { formatCell } from './format';

const pandasLike = {
  schema: {
    fields: [
      { name: 'index', type: 'integer' }, { name: 'price', type: 'number' }, { name: 'when', type: 'datetime', tz: 'US/Eastern' },
      { name: 'name', type: 'string' }, { name: 'meta', type: 'string' },
    ],
    primaryKey: ['index'],
    pandas_version: '1.4.0',
  },
  data: [
    { index: 0, price: 1.5, when: '2020-01-01T05:00:00.000Z', name: 'a', meta: { k: [1, 2] } },
    { index: 1, price: null, when: null, name: null, meta: null },
    { index: 2, price: 'Infinity', when: '2020-06-01T04:00:00.000Z', name: 'x'.repeat(100_000), meta: { k: [] } },
  ],
};

describe('parseDataResource', () => {
  it('parses pandas output into typed columns with the index marked', () => {
    const t = parseDataResource(pandasLike);
    expect(t.rowCount).toBe(3);
    expect(t.columns.map((c) => [c.label, c.type])).toEqual([
      ['index', 'quantitative'], ['price', 'quantitative'], ['when', 'temporal'], ['name', 'nominal'], ['meta', 'nested'],
    ]);
    expect(t.columns[0].isIndex).toBe(true);
    expect(t.data[1]).toEqual([1.5, null, Infinity]);
    expect(t.columns[2].tz).toBe('US/Eastern');
    expect(formatCell(t.data[2][0], t.columns[2])).toBe('2020-01-01 00:00:00');
    expect(formatCell(t.data[2][2], t.columns[2])).toBe('2020-06-01 00:00:00');
    expect(t.data[4][0]).toBe('{"k":[1,2]}');
    expect((t.data[3][2] as string).length).toBe(100_000);
    expect(t.warnings).toEqual([]);
  });

  it('handles zero rows', () => {
    const t = parseDataResource({ schema: pandasLike.schema, data: [] });
    expect(t.rowCount).toBe(0);
    expect(t.columns).toHaveLength(5);
    expect(t.columns[1].type).toBe('quantitative');
  });

  it('warns about duplicate names and labels them apart', () => {
    const t = parseDataResource({ schema: { fields: [{ name: 'a' }, { name: 'a' }, { name: '' }] }, data: [{ a: 1, '': 2 }] });
    expect(t.columns.map((c) => c.label)).toEqual(['a', 'a (2)', '(column 3)']);
    expect(t.warnings[0]).toMatch(/Duplicate column name "a"/);
  });

  it('takes array rows, missing schemas, JSON text, and skips junk rows', () => {
    const t = parseDataResource(JSON.stringify({ data: [[1, 'x'], [2, 'y'], 7, null] }));
    expect(t.columns.map((c) => c.name)).toEqual(['column 1', 'column 2']);
    expect(t.rowCount).toBe(2);
    expect(t.warnings.join(' ')).toMatch(/no schema.*2 rows were not an object/s);
    const keyed = parseDataResource({ data: [{ b: 1 }, { c: 'z' }] });
    expect(keyed.columns.map((c) => c.name)).toEqual(['b', 'c']);
    expect(keyed.data[1]).toEqual([null, 'z']);
  });

  it('MultiIndex levels and non-string names become ordinary columns', () => {
    const t = parseDataResource({
      schema: { fields: [{ name: 'level_0', type: 'string' }, { name: 'level_1', type: 'integer' }, { name: 0, type: 'number' }], primaryKey: ['level_0', 'level_1'] },
      data: [{ level_0: 'a', level_1: 1, 0: 2.5 }],
    });
    expect(t.columns.map((c) => [c.label, c.isIndex === true])).toEqual([['level_0', true], ['level_1', true], ['0', false]]);
    expect(t.data[2]).toEqual([2.5]);
  });

  it('rejects what is not a table with a readable message', () => {
    expect(() => parseDataResource(42)).toThrow(DataResourceError);
    expect(() => parseDataResource({ schema: {} })).toThrow(/no "data" array/);
    expect(() => parseDataResource('{oops')).toThrow(/not JSON/);
  });

  it('uniqueLabels', () => {
    expect(uniqueLabels(['x', 'x', 'x', ''])).toEqual(['x', 'x (2)', 'x (3)', '(column 4)']);
  });
});
