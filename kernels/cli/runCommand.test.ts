/**
 * `quire run` / `quire params` in-process (the same `main` bin/quire.js calls), with real files
 * and, where a run happens, the real ipykernel.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CodeCell, Notebook } from '../../src/jupyter/nbformat';
import { joinSource } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { main } from '../cli';
import { pidAlive, requirePython3Spec, waitUntil } from '../testing/realKernel';
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
    expect(again.stderr).toContain('already exists or another run has claimed it (pass --overwrite');
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

describe('quire run: saving OUTPUT while a cell runs (papermill\'s save flags)', () => {
  /**
   * A notebook whose cell touches MARK, waits for GO, prints, then waits for GO2: the test looks
   * at OUTPUT at each step (files, not timing, decide when the cell moves on).
   */
  function blockingNotebook(name: string): string {
    const path = join(dir, name);
    writeFileSync(path, serializeNotebook({
      nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      cells: [
        { id: 'p', cell_type: 'code', execution_count: null, outputs: [], metadata: { tags: ['parameters'] }, source: 'MARK = ""\nGO = ""' },
        {
          id: 'b', cell_type: 'code', execution_count: null, outputs: [], metadata: {},
          source: 'import os, pathlib, time\ndef wait(path):\n    while not os.path.exists(path):\n        time.sleep(0.02)\npathlib.Path(MARK).touch()\nwait(GO)\nprint("early output", flush=True)\nwait(GO + "2")',
        },
      ],
    }));
    return path;
  }
  const go = (path: string) => {
    writeFileSync(path, '');
    writeFileSync(`${path}2`, '');
  };

  it('--no-request-save-on-cell-execute writes OUTPUT only at the end, over the claim\'s placeholder (and --engine nbclient is accepted)', async () => {
    const [mark, goFile, output] = [join(dir, 'nosave.mark'), join(dir, 'nosave.go'), join(dir, 'nosave.ipynb')];
    const running = cli('run', blockingNotebook('nosave-in.ipynb'), output, '-r', 'MARK', mark, '-r', 'GO', goFile, '--no-request-save-on-cell-execute', '--engine', 'nbclient');
    try {
      await waitUntil(() => existsSync(mark), 30_000, 'the cell to start');
      // The cell is running: nothing of the run is written yet, only the claim's placeholder (no cells).
      expect(JSON.parse(readFileSync(output, 'utf8'))).toMatchObject({ cells: [], metadata: { papermill: { end_time: null } } });
    } finally {
      go(goFile);
    }
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(output, 'utf8')).cells[2].metadata.papermill.status).toBe('completed');
  }, 90_000);

  it('by default OUTPUT is written from the start; --autosave-cell-every 1 writes output that arrives inside a running cell', async () => {
    const [mark, goFile, output] = [join(dir, 'autosave.mark'), join(dir, 'autosave.go'), join(dir, 'autosave.ipynb')];
    const running = cli('run', blockingNotebook('autosave-in.ipynb'), output, '-r', 'MARK', mark, '-r', 'GO', goFile, '--autosave-cell-every', '1');
    try {
      const cellOnDisk = () => {
        try {
          return (JSON.parse(readFileSync(output, 'utf8')) as Notebook).cells[2] as CodeCell;
        } catch {
          return undefined; // not written yet
        }
      };
      await waitUntil(() => existsSync(mark), 30_000, 'the cell to start');
      await waitUntil(() => (cellOnDisk()?.metadata.papermill as { status?: string } | undefined)?.status === 'running', 30_000, 'the cell-start save');
      expect(cellOnDisk()!.outputs).toEqual([]);
      writeFileSync(goFile, ''); // now it prints, after the cell-start save: only the output autosave can write it
      await waitUntil(() => JSON.stringify(cellOnDisk()?.outputs ?? []).includes('early output'), 30_000, 'the output autosave');
      expect((cellOnDisk()!.metadata.papermill as { status: string }).status).toBe('running');
    } finally {
      go(goFile);
    }
    expect((await running).code).toBe(0);
  }, 120_000);
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
  /** The pid `--log-level DEBUG` reports for the kernel launched early, if one was. */
  const earlyPid = (stderr: string) => {
    const m = /Launched kernel python3 early \(pid (\d+)\)/.exec(stderr);
    return m ? Number(m[1]) : undefined;
  };

  async function withRuntimeDir(body: (runtimeDir: string) => Promise<void>): Promise<void> {
    const runtimeDir = mkdtempSync(join(tmpdir(), 'quire-cli-runtime-'));
    const saved = process.env.JUPYTER_RUNTIME_DIR;
    process.env.JUPYTER_RUNTIME_DIR = runtimeDir;
    try {
      await body(runtimeDir);
    } finally {
      if (saved === undefined) delete process.env.JUPYTER_RUNTIME_DIR;
      else process.env.JUPYTER_RUNTIME_DIR = saved;
      rmSync(runtimeDir, { recursive: true, force: true });
    }
  }

  // No polling: `quire run` returns only once every kernel process it started has exited, so
  // the checks right after it returns are exact, however loaded the machine is.
  it('is the kernel the run uses, and is gone when quire run returns; a run refused after the launch killed it; an existing output launches none', async () => {
    await withRuntimeDir(async (runtimeDir) => {
      const pidNotebook = join(dir, 'pid.ipynb');
      writeFileSync(pidNotebook, serializeNotebook({
        nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
        cells: [{ id: 'a', cell_type: 'code', execution_count: null, outputs: [], metadata: {}, source: 'import os\nprint(os.getpid())' }],
      }));
      const output = join(dir, 'early.ipynb');
      const ok = await cli('run', pidNotebook, output, '--log-level', 'DEBUG', '--no-progress-bar');
      expect(ok.code, ok.stderr).toBe(0);
      const pid = earlyPid(ok.stderr);
      expect(pid, ok.stderr).toBeDefined();
      const cell = (JSON.parse(readFileSync(output, 'utf8')) as Notebook).cells[0];
      expect(cell.cell_type === 'code' ? cell.outputs.map((o) => ('text' in o ? joinSource(o.text) : '')).join('') : '').toBe(`${pid}\n`);
      expect(pidAlive(pid!)).toBe(false);
      expect(kernelsIn(runtimeDir)).toBe('');
      expect(readdirSync(runtimeDir)).toEqual([]);

      // An existing output is refused before anything starts (the output is claimed first).
      const taken = await cli('run', pidNotebook, output, '--log-level', 'DEBUG');
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain('already exists');
      expect(earlyPid(taken.stderr)).toBeUndefined();

      // A plan refused after the launch (here: --stdout-file names the input) kills the early kernel.
      const refused = await cli('run', pidNotebook, join(dir, 'early-refused.ipynb'), '--stdout-file', pidNotebook, '--log-level', 'DEBUG');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('is the input notebook');
      expect(existsSync(join(dir, 'early-refused.ipynb'))).toBe(false); // its claimed placeholder is removed
      const refusedPid = earlyPid(refused.stderr);
      expect(refusedPid, refused.stderr).toBeDefined(); // it was launched before the refusal...
      expect(refused.stderr).toContain(`Kernel process ${refusedPid} has exited`);
      expect(pidAlive(refusedPid!)).toBe(false); // ...and is gone
      expect(kernelsIn(runtimeDir)).toBe('');
      expect(readdirSync(runtimeDir)).toEqual([]);
    });
  });

  it('is never launched when OUTPUT names a missing parameter: the template is checked first', async () => {
    await withRuntimeDir(async (runtimeDir) => {
      const result = await cli('run', input, join(dir, 'out_{region}_{pm[run_uuid]}.ipynb'), '-p', 'n', '3', '--log-level', 'DEBUG');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Missing parameter 'region' in path template");
      // The launch is logged synchronously when it begins, so a launch before the check would show here.
      expect(result.stderr).not.toMatch(/early/);
      expect(readdirSync(runtimeDir)).toEqual([]);
    });
  });
});
