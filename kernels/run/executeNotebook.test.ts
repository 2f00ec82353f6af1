/**
 * Integration: papermill-style runs against Debian's real ipykernel. One kernel per run, as in
 * production; the notebooks are tiny so the suite stays a few seconds per case.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cell, CodeCell, Notebook } from '../../src/jupyter/nbformat';
import { joinSource } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { KernelManager } from '../kernelManager';
import { LocalKernelProvider } from '../localKernelProvider';
import { requirePython3Spec } from '../testing/realKernel';
import { executeNotebook, type ExecuteNotebookOptions } from './executeNotebook';
import { defaultRunNotebookIo } from './notebookIo';

/** Only the system kernelspec (Debian's ipykernel), whatever the developer has installed. */
const SPEC_SEARCH = { env: { PATH: process.env.PATH, JUPYTER_PATH: '', JUPYTER_DATA_DIR: '/nonexistent-quire-test' } };
let dir: string;
let manager: KernelManager;
let provider: LocalKernelProvider;

beforeAll(async () => {
  await requirePython3Spec();
  dir = mkdtempSync(join(tmpdir(), 'quire-run-'));
  manager = new KernelManager({ handleSignals: false, specSearch: SPEC_SEARCH });
  provider = new LocalKernelProvider(manager);
});
afterAll(async () => {
  provider?.dispose();
  await manager?.shutdownAll();
  manager?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** Writes a python3 notebook (4.5) whose cells are code unless they start with `md:`. */
function writeNotebook(cells: Array<string | { source: string; tags: string[] }>): string {
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    cells: cells.map((c, i): Cell => {
      const { source, tags } = typeof c === 'string' ? { source: c, tags: undefined } : c;
      const base = { id: `cell-${i}`, metadata: (tags ? { tags } : {}) as Cell['metadata'], source };
      if (source.startsWith('md:')) return { ...base, cell_type: 'markdown', source: source.slice(3) };
      return { ...base, cell_type: 'code', execution_count: null, outputs: [] };
    }),
  };
  const path = join(dir, `in-${++n}.ipynb`);
  writeFileSync(path, serializeNotebook(nb));
  return path;
}

const run = (inputPath: string, extra: Partial<ExecuteNotebookOptions> = {}) => {
  const outputPath = join(dir, `out-${++n}.ipynb`);
  return executeNotebook({ inputPath, outputPath, provider, autosaveIntervalMs: 100, ...extra });
};
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Notebook;
const pm = (cell: Cell) => cell.metadata.papermill as { status: string; exception: boolean | null; duration: number | null };

function validateWithNbformat(path: string): void {
  execFileSync('/usr/bin/python3', ['-c', 'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))', path], { stdio: 'pipe' });
}

describe('executeNotebook (real ipykernel)', () => {
  it('runs a parameterized notebook and writes papermill\'s metadata; the input stays byte-identical', async () => {
    const input = writeNotebook(['md:# Report', { source: 'n = 2  # count\nname = "a"', tags: ['parameters'] }, 'print(name * n)', 'n * 10', '']);
    const before = readFileSync(input);
    const result = await run(input, { parameters: { n: 3, extra: 'x' } });
    expect(result.status).toBe('completed');
    expect(result.exitCode).toBe(0);
    expect(readFileSync(input).equals(before)).toBe(true);

    const out = readJson(result.outputPath);
    validateWithNbformat(result.outputPath);
    const meta = out.metadata.papermill as Record<string, unknown>;
    expect(meta).toMatchObject({ parameters: { n: 3, extra: 'x' }, input_path: input, output_path: result.outputPath, exception: null, default_parameters: {}, environment_variables: {} });
    expect(typeof meta.duration).toBe('number');
    expect(meta.start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect((out.metadata.language_info as { name: string; version: string }).version).toMatch(/^3\./);
    expect(out.cells.map((c) => c.metadata.tags)).toEqual([[], ['parameters'], ['injected-parameters'], [], [], []]);
    expect(joinSource(out.cells[2].source)).toBe('# Parameters\nn = 3\nextra = "x"\n');
    expect(out.cells.every((c) => pm(c).status === 'completed')).toBe(true);
    const code = out.cells.filter((c): c is CodeCell => c.cell_type === 'code');
    expect(code.map((c) => c.execution_count)).toEqual([1, 2, 3, 4, null]);
    expect(code[2].outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: ['aaa\n'] }]);
    expect(code[3].outputs[0]).toMatchObject({ output_type: 'execute_result', data: { 'text/plain': ['30'] }, execution_count: 4 });
    expect(Object.keys(code[3].metadata.execution as object).sort()).toEqual(['iopub.execute_input', 'iopub.status.busy', 'iopub.status.idle', 'shell.execute_reply']);
  });

  it('stops at a failing cell (input() is refused like nbclient): banners, statuses, exit 1', async () => {
    const input = writeNotebook(['a = 1', 'b = 2', 'name = input("who? ")', 'c = 3', 'd = 4']);
    const result = await run(input);
    expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(result.error).toMatchObject({ cellIndex: 2, ename: 'StdinNotImplementedError' });
    const out = readJson(result.outputPath);
    validateWithNbformat(result.outputPath);
    expect(out.cells.map((c) => c.cell_type)).toEqual(['markdown', 'code', 'code', 'markdown', 'code', 'code', 'code']);
    expect(joinSource(out.cells[0].source)).toContain(`An Exception was encountered at '<a href="#papermill-error-cell">In [3]</a>'.`);
    expect(joinSource(out.cells[3].source)).toContain('id="papermill-error-cell"');
    expect(out.cells[0].metadata.tags).toEqual(['papermill-error-cell-tag']);
    const code = out.cells.filter((c) => c.cell_type === 'code');
    expect(code.map((c) => pm(c).status)).toEqual(['completed', 'completed', 'failed', 'pending', 'pending']);
    expect(pm(code[2]).exception).toBe(true);
    expect((out.metadata.papermill as { exception: boolean }).exception).toBe(true);

    // Re-running the output notebook removes the old banners instead of stacking them.
    const again = await run(result.outputPath);
    expect(readJson(again.outputPath).cells.filter((c) => c.cell_type === 'markdown')).toHaveLength(2);
  });

  it('treats sys.exit(0) as papermill does: stops, exit 0, no banner, exception recorded', async () => {
    const result = await run(writeNotebook(['print(get_ipython().history_manager.hist_file)', 'import sys; sys.exit(0)', 'print("never")']));
    expect(result).toMatchObject({ status: 'completed', exitCode: 0 });
    const out = readJson(result.outputPath);
    // Like nbclient, run kernels keep their history in memory (no shared SQLite file).
    expect((out.cells[0] as CodeCell).outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: [':memory:\n'] }]);
    expect(out.cells.map((c) => pm(c).status)).toEqual(['completed', 'failed', 'pending']);
    expect((out.metadata.papermill as { exception: boolean }).exception).toBe(true);
    expect(out.cells.some((c) => c.cell_type === 'markdown')).toBe(false);
  });

  it('records a dead kernel (os._exit) with its stderr and exit code 138', async () => {
    const result = await run(writeNotebook(['import sys; sys.__stderr__.write("last words\\n"); sys.__stderr__.flush()', 'import os; os._exit(1)', 'print(1)']));
    expect(result).toMatchObject({ status: 'failed', exitCode: 138 });
    expect(result.error?.name).toBe('DeadKernelError');
    const out = readJson(result.outputPath);
    validateWithNbformat(result.outputPath);
    const quire = (out.metadata.papermill as { quire: { reason: string; stderr_tail: string[] } }).quire;
    expect(quire.reason).toBe('kernel_died');
    expect(quire.stderr_tail).toContain('last words');
    expect(out.cells.map((c) => pm(c).status)).toEqual(['completed', 'failed', 'pending']);
  });

  it('interrupts a cell over the per-cell timeout and fails the run', async () => {
    const result = await run(writeNotebook(['import time', 'time.sleep(20)', 'print(1)']), { executionTimeoutSec: 1 });
    expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(result.error?.name).toBe('CellTimeoutError');
    const out = readJson(result.outputPath);
    const timedOut = out.cells.find((c) => pm(c)?.status === 'failed') as CodeCell;
    expect(timedOut.outputs.some((o) => o.output_type === 'error' && o.ename === 'KeyboardInterrupt')).toBe(true);
    expect((out.metadata.papermill as { quire: object }).quire).toMatchObject({ status: 'failed', reason: 'timeout', interrupted: true });
    expect(pm(out.cells[out.cells.length - 1]).status).toBe('pending');
  });

  it('cancels: interrupt, shut down, keep the partial record (autosaved while running)', async () => {
    const input = writeNotebook(['print("started")', 'import time; time.sleep(30)', 'print("never")']);
    const controller = new AbortController();
    const outputPath = join(dir, `cancel-${++n}.ipynb`);
    const running = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        try {
          const nb = readJson(outputPath);
          if (pm(nb.cells[1]).status === 'running') {
            clearInterval(poll);
            resolve();
          }
        } catch {
          // not written yet
        }
      }, 50);
    });
    const resultPromise = executeNotebook({ inputPath: input, outputPath, provider, signal: controller.signal, autosaveIntervalMs: 100 });
    await running; // the file on disk already says cell 2 is running: a crash would leave this record
    controller.abort();
    const result = await resultPromise;
    expect(result).toMatchObject({ status: 'cancelled', exitCode: 130 });
    const out = readJson(outputPath);
    validateWithNbformat(outputPath);
    expect((out.metadata.papermill as { quire: object }).quire).toEqual({ status: 'cancelled' });
    expect(out.cells.map((c) => pm(c).status)).toEqual(['completed', 'failed', 'pending']);
    expect(manager.list()).toHaveLength(0);
  });

  it('saveDuringRun: false writes the output once, at the end, banners included (papermill\'s stdout/no-save mode)', async () => {
    const writes: Notebook[] = [];
    const io = { ...defaultRunNotebookIo, write: async (_path: string, nb: Notebook) => void writes.push(structuredClone(nb)) };
    const ok = await run(writeNotebook(['print(1)', 'md:text', 'x = 2']), { saveDuringRun: false, io });
    expect(ok.status).toBe('completed');
    expect(writes).toHaveLength(1);
    expect(writes[0].cells.map((c) => pm(c).status)).toEqual(['completed', 'completed', 'completed']);

    writes.length = 0;
    const failed = await run(writeNotebook(['print(1)', 'raise ValueError("no")', 'x = 2']), { saveDuringRun: false, io });
    expect(failed.status).toBe('failed');
    expect(writes).toHaveLength(1);
    expect(writes[0].cells.filter((c) => (c.metadata.tags as string[] | undefined)?.includes('papermill-error-cell-tag'))).toHaveLength(2);
  });

  it('prepare-only injects without running; refuses to overwrite or to write over the input', async () => {
    const input = writeNotebook([{ source: 'x = 1', tags: ['parameters'] }, 'x']);
    const result = await run(input, { parameters: { x: 5 }, prepareOnly: true, reportMode: true });
    const out = readJson(result.outputPath);
    expect(joinSource(out.cells[1].source)).toBe('# Parameters\nx = 5\n');
    expect(out.cells.every((c) => c.metadata.jupyter && (c.metadata.jupyter as { source_hidden: boolean }).source_hidden)).toBe(true);
    await expect(executeNotebook({ inputPath: input, outputPath: result.outputPath, provider })).rejects.toThrow(/already exists/);
    await expect(executeNotebook({ inputPath: input, outputPath: input, provider, overwrite: true })).rejects.toThrow(/never changes its input/);
  });

  it('skips cells tagged skip-execution as nbclient does: not sent to the kernel, no outputs, no execution count', async () => {
    const input = writeNotebook(['x = 1', { source: 'x = 99\nprint("skipped ran")', tags: ['skip-execution'] }, 'print(x)']);
    // The input's skipped cell carries an old result: papermill's notebook_start clears it, nbclient then leaves the cell alone.
    const nb = readJson(input);
    Object.assign(nb.cells[1], { execution_count: 7, outputs: [{ output_type: 'stream', name: 'stdout', text: ['old\n'] }] });
    writeFileSync(input, serializeNotebook(nb));
    const result = await run(input);
    expect(result).toMatchObject({ status: 'completed', exitCode: 0 });
    const out = readJson(result.outputPath);
    validateWithNbformat(result.outputPath);
    const code = out.cells as CodeCell[];
    expect(code[1]).toMatchObject({ execution_count: null, outputs: [] });
    expect(code[1].metadata.execution).toBeUndefined(); // nbclient records timing only for cells it sends
    expect(pm(code[1]).status).toBe('completed');
    expect(code[2]).toMatchObject({ execution_count: 2, outputs: [{ output_type: 'stream', name: 'stdout', text: ['1\n'] }] });
  });

  it('a failed write of the output stops the run: status failed, exit 73, the writer\'s message once, kernel shut down', async () => {
    let writes = 0;
    const io = {
      ...defaultRunNotebookIo,
      // The start is written; the next save (cell 1 started, and cannot end by itself) finds the disk "full".
      write: async (path: string, nb: Notebook) => {
        if (++writes > 1) throw Object.assign(new Error(`Could not save ${path}: no space left on the disk (ENOSPC). The file on disk was not changed.`), { details: { errno: 'ENOSPC' } });
        return defaultRunNotebookIo.write(path, nb);
      },
    };
    const marker = join(dir, `write-fail-${++n}.txt`);
    // Only the run's stop (an interrupt) ends the first cell.
    const input = writeNotebook(['import time\nwhile True:\n    time.sleep(0.05)', `open(${JSON.stringify(marker)}, "w").close()`]);
    const result = await run(input, { io });
    expect(result).toMatchObject({ status: 'failed', exitCode: 73 });
    expect(result.error?.name).toBe('OutputWriteError');
    expect(result.error?.message).toBe(`Could not save ${result.outputPath}: no space left on the disk (ENOSPC). The file on disk was not changed.`);
    expect(existsSync(marker)).toBe(false); // the run stopped: the second cell never ran
    expect(manager.list()).toHaveLength(0);
  });
});
