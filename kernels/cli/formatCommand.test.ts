import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runQuire } from '../testing/buildCli';
import { generateJupyterFixtures, runJupyterPython, type JupyterFixtures } from '../testing/notebookFixtures';

let fx: JupyterFixtures;
let dir: string;
beforeAll(() => {
  buildCli();
  fx = generateJupyterFixtures();
  dir = mkdtempSync(join(tmpdir(), 'quire-format-'));
}, 120_000);
afterAll(() => {
  fx?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const quire = runQuire;

/** A valid notebook written the way other tools do: 2-space indent, unsorted keys, string sources. */
function nonCanonical(): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { language_info: { name: 'python' }, kernelspec: { name: 'python3', display_name: 'Python 3' }, ratio: 1.0, tiny: 1e-7 },
    cells: [
      { id: 'c1', cell_type: 'code', source: 'x = 1\nprint(x)\n', metadata: { trusted: true }, execution_count: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n2\n' }] },
      { id: 'm1', cell_type: 'markdown', source: 'Ünïcode — 🎉\nline 2', metadata: {} },
    ],
  }, null, 2);
}

describe('quire format', () => {
  it('--check accepts notebooks written by Jupyter and changes nothing', () => {
    const files = ['rich-4.5.ipynb', 'rich-4.4.ipynb', 'minimal-4.0.ipynb', 'numbers-4.5.ipynb'].map((f) => copyFileSync(fx.files[f], join(dir, f)) ?? join(dir, f));
    const mtimes = files.map((f) => statSync(f).mtimeMs);
    expect(quire('format', '--check', ...files)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(quire('format', ...files).code).toBe(0);
    expect(files.map((f) => statSync(f).mtimeMs)).toEqual(mtimes);
  });

  it('lists non-canonical files with --check (exit 1), then rewrites them exactly as nbformat.write does', () => {
    const file = join(dir, 'other-tool.ipynb');
    const text = nonCanonical();
    writeFileSync(file, text);
    expect(quire('format', '--check', file)).toEqual({ code: 1, stdout: `${file}\n`, stderr: '' });
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(quire('format', file)).toEqual({ code: 0, stdout: `formatted ${file}\n`, stderr: '' });
    const expected = runJupyterPython(
      'import nbformat,sys,io; nb = nbformat.reads(sys.stdin.read(), as_version=nbformat.NO_CONVERT); f = io.StringIO(); nbformat.write(nb, f); print(f.getvalue(), end="")',
      text,
    );
    expect(readFileSync(file, 'utf8')).toBe(expected);
    expect(quire('format', '--check', file).code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.includes('quire-tmp'))).toEqual([]);
  });

  it('reports unparsable files and leaves them untouched', () => {
    const file = join(dir, 'broken.ipynb');
    writeFileSync(file, '{"cells": [');
    const before = readFileSync(file);
    for (const args of [['format', file], ['format', '--check', file]]) {
      const result = quire(...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/broken\.ipynb: The notebook is not valid JSON: .* at line 1, column 12 \(left untouched\)/);
      expect(readFileSync(file).equals(before)).toBe(true);
    }
  });
});
