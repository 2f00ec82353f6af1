import { describe, expect, it } from 'vitest';
import { parseRunArgs, resolveRunPaths } from './runArgs';

describe('resolveRunPaths (papermill\'s positionals and pipes)', () => {
  const terminal = { inputPiped: false, stdoutIsTerminal: true };
  const stdoutPiped = { inputPiped: false, stdoutIsTerminal: false };
  const stdinPiped = { inputPiped: true, stdoutIsTerminal: true };
  const bothPiped = { inputPiped: true, stdoutIsTerminal: false };

  it.each([
    [['in.ipynb', 'out.ipynb'], terminal, { input: 'in.ipynb', output: 'out.ipynb' }],
    [['in.ipynb', 'out.ipynb'], bothPiped, { input: 'in.ipynb', output: 'out.ipynb' }],
    [['-', '-'], terminal, { input: '-', output: '-' }],
    [['in.ipynb'], stdoutPiped, { input: 'in.ipynb', output: '-' }],
    [['out.ipynb'], stdinPiped, { input: '-', output: 'out.ipynb' }], // stdin piped: one path is OUTPUT
    [['out.ipynb'], bothPiped, { input: '-', output: 'out.ipynb' }],
    [[], bothPiped, { input: '-', output: '-' }],
    [[], stdinPiped, { input: '-', output: '-' }],
  ])('%j with %j', (positionals, stdio, expected) => {
    expect(resolveRunPaths(positionals, stdio)).toEqual(expected);
  });

  it('still asks for what a terminal cannot imply', () => {
    expect(() => resolveRunPaths([], terminal)).toThrow(/missing INPUT/);
    expect(() => resolveRunPaths([], stdoutPiped)).toThrow(/missing INPUT/);
    expect(() => resolveRunPaths(['in.ipynb'], terminal)).toThrow(/missing OUTPUT path \(or '-' for stdout/);
    expect(() => resolveRunPaths(['a', 'b', 'c'], terminal)).toThrow(/too many arguments: c/);
  });
});

describe('parseRunArgs: papermill\'s saving, engine and tee options', () => {
  it('has papermill\'s defaults', () => {
    const args = parseRunArgs(['in', 'out']);
    expect(args).toMatchObject({ requestSave: true, autosaveCellEvery: 30 });
    expect([args.engine, args.stdoutFile, args.stderrFile]).toEqual([undefined, undefined, undefined]);
  });

  it('parses the flags (both spellings of the save switch, = values)', () => {
    expect(parseRunArgs(['in', 'out', '--no-request-save-on-cell-execute', '--autosave-cell-every', '0', '--stdout-file', 'o.txt', '--stderr-file=e.txt', '--engine', 'nbclient']))
      .toMatchObject({ requestSave: false, autosaveCellEvery: 0, stdoutFile: 'o.txt', stderrFile: 'e.txt', engine: 'nbclient', positionals: ['in', 'out'] });
    expect(parseRunArgs(['--no-request-save-on-cell-execute', '--request-save-on-cell-execute', '--engine=quire'])).toMatchObject({ requestSave: true, engine: 'quire' });
  });

  it('refuses other engines and bad values with a clear message', () => {
    expect(() => parseRunArgs(['--engine', 'papermill_spark'])).toThrow(/--engine papermill_spark: no such engine.*nbclient.*papermill\.engine/);
    expect(() => parseRunArgs(['--autosave-cell-every', '1.5'])).toThrow(/--autosave-cell-every needs a whole number/);
    expect(() => parseRunArgs(['--autosave-cell-every', '-3'])).toThrow(/needs a whole number/);
    expect(() => parseRunArgs(['--stdout-file'])).toThrow(/--stdout-file needs a value/);
    expect(() => parseRunArgs(['--stderr-file', ''])).toThrow(/--stderr-file needs a file path/);
  });
});
