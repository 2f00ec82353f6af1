/** Sample data resources for the harness: a realistic table and the bad inputs the issue lists. */
import type { JsonObject, JsonValue } from '../../../src/jupyter/messages';

type Case = () => { resource: JsonValue; metadata?: JsonObject };

/** Literal test data as JSON (optional-property unions are not JsonValue to TypeScript). */
const json = (value: unknown): JsonValue => value as JsonValue;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function sales(n: number): JsonValue {
  const r = rng(42);
  const regions = ['North', 'South', 'East', 'West'];
  const products = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  const data = Array.from({ length: n }, (_, i) => ({
    index: i,
    date: new Date(Date.UTC(2023, 0, 1) + Math.floor(r() * 365) * 86_400_000).toISOString().replace('Z', ''),
    region: regions[Math.floor(r() * 4)],
    product: products[Math.floor(r() * 5)],
    units: Math.floor(r() * 100),
    price: Math.round((5 + r() * 45) * 100) / 100,
    discount: r() < 0.1 ? null : Math.round(r() * 30) / 100,
    returned: r() < 0.07,
  }));
  return {
    schema: {
      fields: [
        { name: 'index', type: 'integer' }, { name: 'date', type: 'datetime' }, { name: 'region', type: 'string' }, { name: 'product', type: 'string' },
        { name: 'units', type: 'integer' }, { name: 'price', type: 'number' }, { name: 'discount', type: 'number' }, { name: 'returned', type: 'boolean' },
      ],
      primaryKey: ['index'],
      pandas_version: '1.4.0',
    },
    data,
  };
}

export const harnessCases: Record<string, Case> = {
  sales: () => ({ resource: sales(60), metadata: { 'application/vnd.dataresource+json': { quire: { rows: 5000 } } } }),
  big: () => ({ resource: sales(100_000) }),
  saved: () => ({
    resource: sales(60),
    metadata: { quire: { explorer: { tab: 'chart', view: { filters: [{ column: 2, op: 'equals', value: 'north' }], sort: [] }, chart: { mark: 'bar', x: 3, y: 4, color: null, size: null, facet: null, aggregate: 'sum' } } } },
  }),
  bad: () => ({
    resource: json({
      schema: {
        fields: [
          { name: 'index', type: 'integer' }, { name: 'mixed', type: 'string' }, { name: 'lies', type: 'number' }, { name: 'dup', type: 'number' },
          { name: 'dup', type: 'number' }, { name: 'nested', type: 'string' }, { name: 'huge', type: 'string' }, { name: 'when', type: 'datetime', tz: 'Asia/Tokyo' },
          { name: 'special', type: 'number' },
        ],
        primaryKey: ['index'],
      },
      data: [
        { index: 0, mixed: 1, lies: 'apple', dup: 1, nested: { a: [1, 2], b: { c: null } }, huge: 'x'.repeat(200_000), when: '2020-01-01T00:00:00.000Z', special: 'NaN' },
        { index: 1, mixed: 'two', lies: 'pear', dup: 2, nested: [1, 'two'], huge: 'short', when: null, special: 'Infinity' },
        { index: 2, mixed: true, lies: 3, dup: null, nested: null, huge: null, when: '2020-06-30T15:00:00.000Z', special: '-Infinity' },
        { index: 3, mixed: null, lies: 'fig', dup: 4, nested: 'text', huge: '', when: 'not a date', special: 4.5 },
      ],
    }),
  }),
  empty: () => ({ resource: { schema: { fields: [{ name: 'index', type: 'integer' }, { name: 'a', type: 'number' }, { name: 'b', type: 'string' }], primaryKey: ['index'] }, data: [] } }),
  multiindex: () => ({
    resource: {
      schema: { fields: [{ name: 'city', type: 'string' }, { name: 'year', type: 'integer' }, { name: 'pop / total', type: 'number' }, { name: 'pop / urban', type: 'number' }], primaryKey: ['city', 'year'] },
      data: [
        { city: 'Oslo', year: 2020, 'pop / total': 693, 'pop / urban': 690 }, { city: 'Oslo', year: 2021, 'pop / total': 697, 'pop / urban': 694 },
        { city: 'Bergen', year: 2020, 'pop / total': 285, 'pop / urban': 270 }, { city: 'Bergen', year: 2021, 'pop / total': 286, 'pop / urban': 272 },
      ],
    },
  }),
  notatable: () => ({ resource: 'just a string' }),
  wide: () => ({
    resource: {
      schema: { fields: Array.from({ length: 60 }, (_, c) => ({ name: `c${c}`, type: 'string' })) },
      data: Array.from({ length: 300 }, (_, r) => Object.fromEntries(Array.from({ length: 60 }, (_, c) => [`c${c}`, `r${r}c${c}`]))),
    },
  }),
  // Taller than a browser lets an element be at 26 px a row: the grid compresses its scroll range.
  tall: () => ({ resource: { schema: { fields: [{ name: 'n', type: 'integer' }, { name: 'twice', type: 'integer' }] }, data: Array.from({ length: 1_500_000 }, (_, i) => [i, 2 * i]) } }),
};
