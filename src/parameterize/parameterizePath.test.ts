import { describe, expect, it } from 'vitest';
import { parameterizePath, PathDateTime, pathTimestamp, pythonDateTimeStr } from './parameterizePath';

describe('parameterizePath', () => {
  const builtins = { notebook: 'report', timestamp: '20240102T030405Z', run_id: 'abc123' };
  it.each([
    ['out/{notebook}.ipynb', {}, 'out/report.ipynb'],
    ['out/{region}_{year}.ipynb', { region: 'emea', year: 2024 }, 'out/emea_2024.ipynb'],
    ['{notebook}-{run_id}-{timestamp}.ipynb', {}, 'report-abc123-20240102T030405Z.ipynb'],
    ['{alpha}_{flag}_{none}.ipynb', { alpha: 0.5, flag: true, none: null }, '0.5_True_None.ipynb'],
    ['{{literal}}_{i:03}.ipynb', { i: 7 }, '{literal}_007.ipynb'],
    ['plain.ipynb', { unused: 1 }, 'plain.ipynb'],
  ])('%s', (template, params, expected) => {
    expect(parameterizePath(template, params, builtins)).toBe(expected);
  });
  it('names the missing key and what is available', () => {
    expect(() => parameterizePath('out/{region}.ipynb', { year: 1 }, builtins)).toThrow(/Missing parameter 'region'.*available: notebook, timestamp, run_id, year/);
  });
  it('rejects unbalanced braces', () => {
    expect(() => parameterizePath('out/{region.ipynb', {})).toThrow(/Unclosed/);
    expect(() => parameterizePath('out/}x', {})).toThrow(/Single/);
  });
  it('indexes dicts and lists and formats numbers like Python (papermill\'s own path tests)', () => {
    expect(parameterizePath('foo/{bar[baz]}/', { bar: { baz: 'quux' } })).toBe('foo/quux/');
    expect(parameterizePath('foo/{bar[2]}/{bar[0]}', { bar: [1, 2, 3] })).toBe('foo/3/1');
    expect(parameterizePath('foo/bar/{baz:03d}', { baz: 42 })).toBe('foo/bar/042');
    expect(parameterizePath('foo/bar/{baz:.03f}', { baz: 0.3 })).toBe('foo/bar/0.300');
    expect(parameterizePath('{x:07.2f}', { x: -1.5 })).toBe('-001.50');
    expect(() => parameterizePath('{bar[nope]}', { bar: { baz: 1 } })).toThrow(/Missing parameter 'bar\[nope\]'/);
    expect(() => parameterizePath('{s:.2f}', { s: 'text' })).toThrow(/needs a number/);
  });
  it('prints papermill\'s pm built-ins: str(datetime), strftime specs, and refuses the bare group', () => {
    const when = new Date('2024-01-02T03:04:05.678Z');
    const pm = { run_uuid: 'u-1', current_datetime_utc: new PathDateTime(when, true), current_datetime_local: new PathDateTime(when, false) };
    expect(parameterizePath('{pm[run_uuid]}_{pm[current_datetime_utc]}', {}, { pm })).toBe('u-1_2024-01-02 03:04:05.678000');
    expect(parameterizePath('{pm[current_datetime_utc]:%Y%m%d_%H%M%S.%f %j %%}', {}, { pm })).toBe('20240102_030405.678000 002 %');
    expect(pythonDateTimeStr(new PathDateTime(new Date('2024-01-02T03:04:05Z'), true))).toBe('2024-01-02 03:04:05'); // no fraction when zero, as Python
    const local = `${when.getFullYear()}-${String(when.getMonth() + 1).padStart(2, '0')}-${String(when.getDate()).padStart(2, '0')}`;
    expect(parameterizePath('{pm[current_datetime_local]:%Y-%m-%d}', {}, { pm })).toBe(local);
    expect(() => parameterizePath('{pm[current_datetime_utc]:%A}', {}, { pm })).toThrow(/Unsupported date directive '%A'/);
    expect(() => parameterizePath('{pm}', {}, { pm })).toThrow(/group of built-ins; name one, e.g. \{pm\[run_uuid\]\}/);
    expect(() => parameterizePath('{pm[nope]}', {}, { pm })).toThrow(/Missing parameter 'pm\[nope\]'/);
  });
  it('formats timestamps for file names', () => {
    expect(pathTimestamp(new Date('2024-01-02T03:04:05.678Z'))).toBe('20240102T030405Z');
  });
});
