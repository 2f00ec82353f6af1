import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Notebook } from '../../src/jupyter/nbformat';
import { canonicalizeNotebook, serializeNotebook } from '../../src/jupyter/notebookFormat';
import { readStdin, StdioNotebookIo } from './stdioNotebookIo';
import { StreamTee } from './streamTee';

const dir = mkdtempSync(join(tmpdir(), 'quire-stdio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: 'a', cell_type: 'markdown', metadata: {}, source: 'hi' }] };

describe('StdioNotebookIo', () => {
  it('reads stdin once, gives each reader its own copy, and leaves files to the file IO', async () => {
    let reads = 0;
    const io = new StdioNotebookIo(async () => (reads++, serializeNotebook(nb)));
    const first = await io.read('-');
    first.cells = [];
    expect((await io.read('-')).cells).toHaveLength(1);
    expect(reads).toBe(1);
    expect(await io.exists('-')).toBe(false);
    await expect(io.read(join(dir, 'missing.ipynb'))).rejects.toThrow(/missing\.ipynb does not exist/);
  });

  it('names stdin in parse errors, and says so when stdin was empty', async () => {
    await expect(new StdioNotebookIo(async () => '{"cells": [').read('-')).rejects.toThrow(/^<stdin>: .*not valid JSON/);
    await expect(new StdioNotebookIo(async () => '  \n').read('-')).rejects.toThrow(/<stdin>: no notebook was given on stdin/);
  });

  it('keeps only the last write to stdout and hands it over once; file writes go to disk', async () => {
    const io = new StdioNotebookIo(async () => '');
    await io.write('-', { ...nb, cells: [] });
    await io.write('-', nb);
    expect(io.takeStdout()).toBe(serializeNotebook(canonicalizeNotebook(nb))); // as a file would be written
    expect(io.takeStdout()).toBeUndefined();
    await io.write(join(dir, 'sub', 'f.ipynb'), nb);
    expect(readFileSync(join(dir, 'sub', 'f.ipynb'), 'utf8')).toBe(serializeNotebook(canonicalizeNotebook(nb)));
  });

  it('readStdin collects a stream to its end', async () => {
    expect(await readStdin(Readable.from([Buffer.from('{"a"'), Buffer.from(': 1}')]))).toBe('{"a": 1}');
  });
});

describe('StreamTee', () => {
  it('empties the files at start, appends each chunk, and refuses a file it cannot create', () => {
    const out = join(dir, 'tee', 'out.txt');
    const errs: string[] = [];
    const first = new StreamTee({ stdout: out }, (m) => errs.push(m));
    first.write('stdout', 'old run\n');
    first.close();
    const tee = new StreamTee({ stdout: out, stderr: join(dir, 'tee', 'err.txt') }, (m) => errs.push(m));
    expect(readFileSync(out, 'utf8')).toBe(''); // an earlier run's text never passes for this run's
    tee.write('stdout', 'a\n');
    tee.write('stderr', 'warn\n');
    tee.write('stdout', 'b\n');
    tee.close();
    expect(readFileSync(out, 'utf8')).toBe('a\nb\n');
    expect(readFileSync(join(dir, 'tee', 'err.txt'), 'utf8')).toBe('warn\n');
    expect(errs).toEqual([]);
    expect(() => new StreamTee({ stderr: join(out, 'not-a-dir.txt') }, () => undefined)).toThrow(/Cannot write --stderr-file .*not-a-dir\.txt/);
  });
});
