/**
 * `quire run` / `quire params` in-process (the same `main` bin/quire.js calls), with real files
 * and, where a run happens, the real ipykernel.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Notebook } from '../../src/jupyter/nbformat';
import { joinSource } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { main } from '../cli';
import { requirePython3Spec, waitUntil } from '../testing/realKernel';
import { mergeParameters, parseRunArgs } from './runArgs';

let dir: string;
let input: string;

beforeAll(async () => {
  await requirePython3Spec();
  dir = mkdtempSync(join(tmpdir(), 'quire-cli-run-'));
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      { id: 'p', cell_type: 'code', execution_count: null, outputs: [], metadata: { tags: ['parameters'] }, source: 'n = 2  # how many\nlabel = "a=b"\nrate: float = 0.5' },
      { id: 'c', cell_type: 'code', execution_count: null, outputs: [], metadata: {}, source: 'assert n < 100\nprint(label * n)' },
    ],
  };
  input = join(dir, 'nb.ipynb');
  writeFileSync(input, serializeNotebook(nb));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('quire params', () => {
  it('prints the inferred parameters as JSON and as papermill-style help', async () => {
    const json = await cli('params', input, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'n', inferred_type_name: 'int', default: '2', help: 'how many' },
      { name: 'label', inferred_type_name: 'str', default: '"a=b"', help: '' },
      { name: 'rate', inferred_type_name: 'float', default: '0.5', help: '' },
    ]);
    const help = await cli('run', input, '--help-notebook');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`Parameters inferred for notebook '${input}':`);
    expect(help.stdout).toMatch(/ {2}n: int \(default 2\) +how many/);
  });
});

describe('quire run', () => {
  it('runs with -p/-y/-r and exits 0; unknown parameters are injected with papermill\'s log line', async () => {
    const out = join(dir, 'out_{n}.ipynb');
    const result = await cli('run', input, out, '-y', 'n: 5\nlabel: y', '-p', 'n', '3', '-r', 'label', 'xy', '-p', 'extra', '007', '--no-progress-bar');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Passed unknown parameter: extra');
    const nb = JSON.parse(readFileSync(join(dir, 'out_3.ipynb'), 'utf8')) as Notebook;
    expect(joinSource(nb.cells[1].source)).toBe('# Parameters\nn = 3\nlabel = "xy"\nextra = 7\n');
    expect(nb.cells[2].cell_type === 'code' && nb.cells[2].outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: ['xyxyxy\n'] }]);
    // Never overwrites unless asked.
    const again = await cli('run', input, out, '-p', 'n', '3');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists (pass --overwrite');
  });

  it('refuses a value that does not fit the inferred type before starting anything', async () => {
    const out = join(dir, 'typed.ipynb');
    const result = await cli('run', input, out, '-p', 'n', 'abc');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Parameter 'n' expects int (default 2) but got str "abc"`);
    expect(existsSync(out)).toBe(false);
  });

  it('fails clearly on a missing notebook, broken YAML and unknown options', async () => {
    expect((await cli('run', join(dir, 'missing.ipynb'), join(dir, 'x.ipynb'))).stderr).toMatch(/missing\.ipynb.*(does not exist|No such)/);
    const yaml = await cli('run', input, join(dir, 'y.ipynb'), '-y', 'n: [1');
    expect(yaml.code).toBe(1);
    expect(yaml.stderr).toContain('Invalid YAML in -y');
    expect((await cli('run', input, join(dir, 'z.ipynb'), '--frobnicate')).stderr).toContain('Unknown option --frobnicate');
    const broken = join(dir, 'broken.ipynb');
    writeFileSync(broken, '{"cells": [');
    const parse = await cli('run', broken, join(dir, 'b.ipynb'));
    expect(parse.code).toBe(1);
    expect(parse.stderr).toMatch(/broken\.ipynb: .*not valid JSON.*line 1/);
  });

  it('exits 1 with the traceback when a cell fails', async () => {
    const result = await cli('run', input, join(dir, 'fail.ipynb'), '-p', 'n', '500');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('AssertionError');
  });

  it('runs a --grid batch and prints a summary table', async () => {
    const result = await cli('run', input, join(dir, 'grid', '{label}_{n}.ipynb'), '--grid', '-y', 'n: [1, 2]', '-y', 'label: [u, v]', '-j', '2');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('4 of 4 runs completed');
    for (const name of ['u_1', 'u_2', 'v_1', 'v_2']) expect(existsSync(join(dir, 'grid', `${name}.ipynb`))).toBe(true);
  });
});

describe('runArgs', () => {
  it('merges in papermill\'s order: -b, -f, -y, -p, -r (later wins)', () => {
    const file = join(dir, 'p.yaml');
    writeFileSync(file, 'a: file\nb: file\nc: file\nd: 2024-01-01\n');
    const args = parseRunArgs(['-r', 'a', 'raw', '-p', 'a', '1', '-p', 'b', 'True', '-y', 'c: yaml', '-f', file, '-b', Buffer.from('e: b64').toString('base64'), '--inject-paths']);
    expect(mergeParameters(args, 'in.ipynb', 'out.ipynb')).toEqual({
      PAPERMILL_INPUT_PATH: 'in.ipynb', PAPERMILL_OUTPUT_PATH: 'out.ipynb', e: 'b64', a: 'raw', b: true, c: 'yaml', d: '2024-01-01',
    });
  });
});

describe('quire run: the kernel launched early', () => {
  /** Kernel processes whose connection file is in `runtimeDir` (pgrep matches their command line). */
  const kernelsIn = (runtimeDir: string) => spawnSync('pgrep', ['-f', runtimeDir], { encoding: 'utf8' }).stdout.trim();

  it('is used by the run and gone afterwards; a refused run (existing output) kills it too', async () => {
    const runtimeDir = mkdtempSync(join(tmpdir(), 'quire-cli-runtime-'));
    const saved = process.env.JUPYTER_RUNTIME_DIR;
    process.env.JUPYTER_RUNTIME_DIR = runtimeDir;
    try {
      const output = join(dir, 'early.ipynb');
      const ok = await cli('run', input, output, '-p', 'n', '3', '--no-progress-bar');
      expect(ok.code, ok.stderr).toBe(0);
      const cell = (JSON.parse(readFileSync(output, 'utf8')) as Notebook).cells[2];
      expect(cell.cell_type === 'code' ? cell.outputs.map((o) => ('text' in o ? joinSource(o.text) : '')).join('') : '').toBe('a=ba=ba=b\n');
      const refused = await cli('run', input, output, '-p', 'n', '3');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('already exists');
      await waitUntil(() => kernelsIn(runtimeDir) === '', 3000, 'no kernel process left');
      expect(readdirSync(runtimeDir)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.JUPYTER_RUNTIME_DIR;
      else process.env.JUPYTER_RUNTIME_DIR = saved;
      rmSync(runtimeDir, { recursive: true, force: true });
    }
  });
});
