import { describe, expect, it } from 'vitest';
import { inferColumnType, normalizeCell, parseNumber, parseTemporal } from './inferType';

describe('inferColumnType', () => {
  it('trusts a declared type the values back up', () => {
    expect(inferColumnType([1, 2.5, null, 3], 'number')).toEqual({ type: 'quantitative' });
    expect(inferColumnType(['2020-01-01T00:00:00.000Z', null], 'datetime')).toEqual({ type: 'temporal' });
    expect(inferColumnType([true, false], 'boolean')).toEqual({ type: 'boolean' });
    expect(inferColumnType(['a', 'b'], 'string')).toEqual({ type: 'nominal' });
  });

  it('does not believe a schema that lies, and says so', () => {
    const r = inferColumnType(['apple', 'pear', 'fig', 'kiwi'], 'number');
    expect(r.type).toBe('nominal');
    expect(r.note).toMatch(/schema says number.*100% text/);
    const d = inferColumnType([1, 2, 3], 'datetime');
    expect(d.type).toBe('temporal'); // epoch numbers are valid datetimes
    const b = inferColumnType(['x', 'y'], 'boolean');
    expect(b).toMatchObject({ type: 'nominal' });
    const s = inferColumnType([1, 2, 3.5], 'string');
    expect(s).toMatchObject({ type: 'quantitative', note: expect.stringMatching(/says text/) });
  });

  it('keeps numeric-looking text declared as string as text (zip codes)', () => {
    expect(inferColumnType(['02139', '10001'], 'string').type).toBe('nominal');
  });

  it('infers without a schema and flags mixed columns', () => {
    expect(inferColumnType([1, 2, 'NaN', 'Infinity']).type).toBe('quantitative');
    expect(inferColumnType(['2021-03-04', '2021-03-05 10:00']).type).toBe('temporal');
    expect(inferColumnType([{ a: 1 }, [1, 2]]).type).toBe('nested');
    const mixed = inferColumnType([1, 'a', 2, 'b', 3]);
    expect(mixed.type).toBe('nominal');
    expect(mixed.note).toMatch(/Mixed types: 60% numbers, 40% text/);
    expect(inferColumnType([null, null], 'integer')).toEqual({ type: 'quantitative' });
    expect(inferColumnType([])).toEqual({ type: 'nominal' });
  });
});

describe('parsing and normalizing cells', () => {
  it('parses numbers including NaN/Infinity spellings', () => {
    expect(parseNumber('1.5')).toBe(1.5);
    expect(parseNumber('-Infinity')).toBe(-Infinity);
    expect(parseNumber('inf')).toBe(Infinity);
    expect(Number.isNaN(parseNumber('NaN'))).toBe(true);
    expect(parseNumber('abc')).toBeUndefined();
    expect(parseNumber('')).toBeUndefined();
  });

  it('reads zone-less datetimes as UTC, honours offsets', () => {
    expect(parseTemporal('2020-01-01')).toBe(Date.UTC(2020, 0, 1));
    expect(parseTemporal('2020-01-01T12:30:00.000')).toBe(Date.UTC(2020, 0, 1, 12, 30));
    expect(parseTemporal('2020-01-01T00:00:00-05:00')).toBe(Date.UTC(2020, 0, 1, 5));
    expect(parseTemporal('2020-01-01T00:00:00.123456Z')).toBe(Date.UTC(2020, 0, 1, 0, 0, 0, 123));
    expect(parseTemporal('yesterday')).toBeUndefined();
  });

  it('normalizes per type: NaN is missing, Infinity stays, junk stays visible', () => {
    expect(normalizeCell('NaN', 'quantitative')).toBeNull();
    expect(normalizeCell('Infinity', 'quantitative')).toBe(Infinity);
    expect(normalizeCell('n/a', 'quantitative')).toBe('n/a');
    expect(normalizeCell(true, 'quantitative')).toBe(1);
    expect(normalizeCell({ a: [1] }, 'nominal')).toBe('{"a":[1]}');
    expect(normalizeCell('2020-01-02', 'temporal')).toBe(Date.UTC(2020, 0, 2));
    expect(normalizeCell('False', 'boolean')).toBe(false);
    expect(normalizeCell(undefined, 'nominal')).toBeNull();
  });
});
