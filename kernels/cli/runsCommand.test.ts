/**
 * The run index end to end, through the built CLI in its own processes with the real ipykernel:
 * `quire run` records its runs (completed, failed, cancelled by SIGTERM, batches) and `quire runs`
 * lists them; an index that cannot be written or is of a newer Quire never fails a run. Every
 * step waits for files the test or the cell writes, never a timer.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notebook } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { cellTags } from '../../src/jupyter/notebookOps';
import { ERROR_MARKER_TAG } from '../../src/parameterize/parameterizeNotebook';
import type { RunIndexEntry } from '../runIndex/runIndexJournal';
import { buildCli } from '../testing/buildCli';
import { requirePython3Spec, waitUntil } from '../testing/realKernel';

let dir: string;

beforeAll(async () => {
  await requirePython3Spec();
  buildCli();
  dir = mkdtempSync(join(tmpdir(), 'quire-runs-cli-'));
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A python3 notebook: a parameters cell `alpha = 0.1; MARK = ""; GO = ""`, then `cells`. */
function notebook(name: string, cells: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, serializeNotebook({
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      { id: 'p', cell_type: 'code', execution_count: null, outputs: [], metadata: { tags: ['parameters'] }, source: 'alpha = 0.1\nMARK = ""\nGO = ""' },
      ...cells.map((source, i) => ({ id: `c${i}`, cell_type: 'code' as const, execution_count: null, outputs: [], metadata: {}, source })),
    ],
  }));
  return path;
}

/** A fresh data folder (QUIRE_DATA_DIR) per test: each sees only its own runs. */
const dataDir = (name: string) => join(dir, `data-${name}`);
const quire = (data: string, ...args: string[]) => {
  const result = spawnSync(process.execPath, ['bin/quire.js', ...args], { encoding: 'utf8', env: { ...process.env, QUIRE_DATA_DIR: data } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};
const listRuns = (data: string, ...args: string[]): RunIndexEntry[] => {
  const result = quire(data, 'runs', '--json', ...args);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as RunIndexEntry[];
};
const count = (text: string, part: string) => text.split(part).length - 1;

describe('quire runs', () => {
  it('lists nothing, with exit 0, when there is no index yet', () => {
    const data = dataDir('empty');
    expect(listRuns(data)).toEqual([]);
    const table = quire(data, 'runs');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('No runs recorded.');
    expect(existsSync(data)).toBe(false);
  });

  it('shows a completed `quire run` with its parameters, output and where it ran; --notebook and --status filter', () => {
    const data = dataDir('completed');
    const input = notebook('ok.ipynb', ['print(alpha * 2)']);
    const output = join(dir, 'ok-out.ipynb');
    const run = quire(data, 'run', input, output, '-p', 'alpha', '0.5');
    expect(run.code, run.stderr).toBe(0);
    const [entry, ...rest] = listRuns(data);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ notebook: input, output, status: 'completed', parameters: { alpha: 0.5 }, host: 'cli', kernelName: 'python3' });
    expect(entry.durationMs).toBeGreaterThan(0);
    expect(Date.parse(entry.endedAt!)).toBeGreaterThanOrEqual(Date.parse(entry.startedAt));
    expect(listRuns(data, '--notebook', join(dir, '.', 'ok.ipynb'))).toHaveLength(1);
    expect(listRuns(data, '--notebook', join(dir, 'other.ipynb'))).toEqual([]);
    expect(listRuns(data, '--status', 'failed')).toEqual([]);
    const table = quire(data, 'runs');
    expect(table.stdout).toMatch(new RegExp(`${entry.runId}\\s+completed`));
    expect(table.stdout).toContain('alpha=0.5');
    expect(quire(data, 'runs', '--status', 'nope').code).toBe(2);
  });

  it('shows a failed run as failed, with the cell that raised and its error', () => {
    const data = dataDir('failed');
    const input = notebook('bad.ipynb', ['x = 1', 'raise ValueError("boom")', 'print("never")']);
    const output = join(dir, 'bad-out.ipynb');
    const run = quire(data, 'run', input, output);
    expect(run.code).toBe(1);
    const [entry] = listRuns(data);
    // The index in the run's notebook, as the app's RunError.cellIndex: papermill's error banners are not counted.
    const cells = (JSON.parse(readFileSync(output, 'utf8')) as Notebook).cells.filter((c) => !cellTags(c).includes(ERROR_MARKER_TAG));
    const raised = cells.findIndex((c) => c.cell_type === 'code' && c.outputs.some((o) => o.output_type === 'error'));
    expect(raised).toBeGreaterThan(0);
    expect(entry).toMatchObject({ status: 'failed', failedCell: raised, error: 'ValueError: boom' });
  });

  it('shows a run as running while it runs, and as cancelled after SIGTERM', async () => {
    const data = dataDir('cancelled');
    const mark = join(dir, 'cancel.mark');
    const input = notebook('block.ipynb', ['import os, pathlib, time\npathlib.Path(MARK).write_text("x")\nwhile not (GO and os.path.exists(GO)):\n    time.sleep(0.02)']);
    const child = spawn(process.execPath, ['bin/quire.js', 'run', input, join(dir, 'block-out.ipynb'), '-r', 'MARK', mark], {
      stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, QUIRE_DATA_DIR: data },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    let exited = false;
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => ((exited = true), resolve(code))));
    await waitUntil(() => existsSync(mark) || exited, 60_000, 'the cell started');
    expect(existsSync(mark), stderr).toBe(true);
    const live = listRuns(data);
    expect(live.map((e) => [e.status, e.pid])).toEqual([['running', child.pid]]);
    child.kill('SIGTERM');
    expect(await done, stderr).toBe(130);
    expect(listRuns(data).map((e) => [e.runId, e.status])).toEqual([[live[0].runId, 'cancelled']]);
  }, 120_000);

  it('adds one entry per run of a --grid batch', () => {
    const data = dataDir('grid');
    const input = notebook('grid.ipynb', ['print(alpha)']);
    const run = quire(data, 'run', input, join(dir, 'grid', 'out_{alpha}.ipynb'), '--grid', '-y', 'alpha: [1, 2]', '-j', '2');
    expect(run.code, run.stderr).toBe(0);
    const entries = listRuns(data);
    expect(entries.map((e) => [e.status, e.parameters.alpha, e.output]).sort()).toEqual([
      ['completed', 1, join(dir, 'grid', 'out_1.ipynb')],
      ['completed', 2, join(dir, 'grid', 'out_2.ipynb')],
    ]);
  });

  it('a data folder that cannot be written: one warning, and the run still succeeds', () => {
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    const data = join(dir, 'not-a-folder', 'quire'); // its parent is a file: even root cannot create it
    const input = notebook('ro.ipynb', ['print(alpha)']);
    const output = join(dir, 'ro-out.ipynb');
    const run = quire(data, 'run', input, output);
    expect(run.code, run.stderr).toBe(0);
    expect(count(run.stderr, 'warning: Cannot write the run index')).toBe(1);
    expect(run.stderr).toContain('the run goes on: its output notebook is its record');
    expect(existsSync(output)).toBe(true);
    expect(listRuns(data)).toEqual([]);
  });

  it('an index of a newer Quire: `quire runs` says so and exits 1; `quire run` warns, succeeds, and leaves it as it was', () => {
    const data = dataDir('newer');
    mkdirSync(join(data, 'run-index'), { recursive: true });
    const journal = join(data, 'run-index', 'runs.jsonl');
    const text = '{"quireRunIndex":7}\n{"v":7,"kind":"future"}\n';
    writeFileSync(journal, text);
    const runs = quire(data, 'runs');
    expect(runs.code).toBe(1);
    expect(runs.stderr).toContain('was written by a newer version of Quire (schema 7; this Quire reads 1)');
    const input = notebook('newer.ipynb', ['print(alpha)']);
    const run = quire(data, 'run', input, join(dir, 'newer-out.ipynb'));
    expect(run.code, run.stderr).toBe(0);
    expect(count(run.stderr, 'newer version of Quire')).toBe(1);
    expect(readFileSync(journal, 'utf8')).toBe(text);
  });
});
