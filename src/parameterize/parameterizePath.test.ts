import { describe, expect, it } from 'vitest';
import { parameterizePath, pathTimestamp } from './parameterizePath';

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
  it('formats timestamps for file names', () => {
    expect(pathTimestamp(new Date('2024-01-02T03:04:05.678Z'))).toBe('20240102T030405Z');
  });
});
