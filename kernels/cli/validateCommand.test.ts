import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  dir = mkdtempSync(join(tmpdir(), 'quire-validate-'));
}, 120_000);
afterAll(() => {
  fx?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const quire = runQuire;

describe('quire validate', () => {
  it('exits 0 and prints nothing for notebooks written by Jupyter', () => {
    const files = ['rich-4.5.ipynb', 'rich-4.4.ipynb', 'minimal-4.0.ipynb', 'numbers-4.5.ipynb'].map((f) => fx.files[f]);
    expect(quire('validate', ...files)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('prints FILE:LINE:COL: /pointer: message for each problem and exits 1', () => {
    const file = join(dir, 'bad.ipynb');
    const nb = { cells: [{ cell_type: 'code', id: 'a', metadata: {}, source: [], execution_count: null }, { cell_type: 'markdown', id: 'b', metadata: {}, source: [], extra: true }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    const text = JSON.stringify(nb, null, 1);
    writeFileSync(file, text);
    const extraLine = text.split('\n').findIndex((l) => l.includes('"extra"')) + 1;
    const result = quire('validate', fx.files['rich-4.5.ipynb'], file);
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      `${file}:3:3: /cells/0: missing required property "outputs"`,
      `${file}:${extraLine}:4: /cells/1/extra: unexpected property "extra"`,
    ]);
  });

  it('reports broken JSON at the line and column Python reports, and nbformat 3 with the convert hint', () => {
    const file = join(dir, 'truncated.ipynb');
    writeFileSync(file, readFileSync(fx.files['rich-4.5.ipynb'], 'utf8').slice(0, 3000));
    const [line, column] = runJupyterPython(
      'import json,sys\ntry:\n json.loads(sys.stdin.read())\nexcept json.JSONDecodeError as e:\n print(e.lineno, e.colno)',
      readFileSync(file, 'utf8'),
    ).trim().split(' ');
    const result = quire('validate', file, fx.files['old-v3.ipynb']);
    expect(result.code).toBe(1);
    const [first, second] = result.stdout.trimEnd().split('\n');
    expect(first).toMatch(new RegExp(`^${file}:${line}:\\d+: The notebook is not valid JSON`));
    expect(Math.abs(Number(first.split(':')[2]) - Number(column))).toBeLessThanOrEqual(2);
    expect(second).toBe(`${fx.files['old-v3.ipynb']}:3:14: /nbformat: nbformat 3 is not supported; convert it with \`jupyter nbconvert --to notebook --nbformat 4\``);
  });

  it('a newer minor version (4.99) is valid with a warning line, exit 0; a real error still fails it', () => {
    const file = join(dir, 'future.ipynb');
    const nb = { extra: 'future', cells: [{ cell_type: 'sketch', id: 's', metadata: {}, source: '' }], metadata: {}, nbformat: 4, nbformat_minor: 99 };
    writeFileSync(file, JSON.stringify(nb, null, 1));
    const result = quire('validate', file);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^${file}:\\d+:\\d+: /nbformat_minor: warning: nbformat 4\\.99 is newer than the 4\\.5 Quire knows.*\\n$`));
    writeFileSync(file, JSON.stringify({ ...nb, cells: [{ ...nb.cells[0], metadata: { tags: 'x' } }] }, null, 1));
    const bad = quire('validate', file);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('/cells/0/metadata/tags: must be array');
  });

  it('missing files are problems too', () => {
    const result = quire('validate', join(dir, 'missing.ipynb'));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`${join(dir, 'missing.ipynb')}: no such file or folder (ENOENT)\n`);
  });
});
