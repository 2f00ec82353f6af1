/**
 * The run engine against an in-memory kernel provider: it reaches kernels only through the
 * provider port, so a provider with no processes, no sockets, no stderr tail and a kernelspec no
 * Jupyter path holds (like a remote one) runs notebooks the same way.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cell, CodeCell, Notebook } from '../../src/jupyter/nbformat';
import { joinSource } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { FakeKernelProvider, type FakeCellScript } from '../testing/fakeKernelProvider';
import { DeadKernelError } from './errors';
import { executeNotebook } from './executeNotebook';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-run-provider-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** A notebook for the fake kernelspec; the first cell is tagged parameters. */
function writeNotebook(sources: string[]): string {
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'fakelang', display_name: 'Fake', language: 'python' } },
    cells: sources.map((source, i): Cell => ({
      id: `c${i}`, cell_type: 'code', execution_count: null, outputs: [], source, metadata: i === 0 ? { tags: ['parameters'] } : {},
    })),
  };
  const path = join(dir, `in-${++n}.ipynb`);
  writeFileSync(path, serializeNotebook(nb));
  return path;
}

/** `print X` prints X, `fail` raises, `hang` runs until interrupted, `die` kills the kernel. */
const script: FakeCellScript = (code) => {
  if (code.startsWith('print ')) return { kind: 'ok', stdout: `${code.slice(6)}\n` };
  if (code === 'fail') return { kind: 'error', ename: 'ValueError', evalue: 'no' };
  if (code === 'hang') return { kind: 'hang' };
  if (code === 'die') return { kind: 'die', reason: 'the server says the kernel died', stderrTail: ['Segmentation fault'] };
  return { kind: 'ok' };
};

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Notebook;
const outputPath = () => join(dir, `out-${++n}.ipynb`);

describe('executeNotebook through a kernel provider (in memory)', () => {
  it('runs a parameterized notebook: a one-shot kernel from the provider, parameters sent, outputs and language_info recorded, the kernel shut down', async () => {
    const provider = new FakeKernelProvider(script);
    const input = writeNotebook(['x = 1', 'print hello', 'y = 2']);
    const result = await executeNotebook({ inputPath: input, outputPath: outputPath(), parameters: { x: 5 }, cwd: dir, provider });
    expect(result).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(provider.startRequests).toEqual([{ specName: 'fakelang', options: { cwd: dir, startTimeoutSec: 60, oneShot: true } }]);
    const [kernel] = provider.started;
    const codes = kernel.received.filter((m) => m.header.msg_type === 'execute_request').map((m) => (m.content as { code: string }).code);
    expect(codes).toEqual(['x = 1', '# Parameters\nx = 5\n', 'print hello', 'y = 2']);
    expect(kernel.closed).toBe(true);
    expect(kernel.shutdownCalls).toBe(1);

    const out = readJson(result.outputPath);
    const code = out.cells as CodeCell[];
    expect(code.map((c) => c.execution_count)).toEqual([1, 2, 3, 4]);
    expect(code[2].outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: ['hello\n'] }]);
    expect((out.metadata.language_info as { version: string }).version).toBe('3.99-fake');
    expect(out.metadata.papermill).toMatchObject({ parameters: { x: 5 }, exception: null });
  });

  it('a cell error fails the run with papermill\'s banners; later cells are not sent', async () => {
    const provider = new FakeKernelProvider(script);
    const result = await executeNotebook({ inputPath: writeNotebook(['x = 1', 'fail', 'print never']), outputPath: outputPath(), provider });
    expect(result).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(result.error?.message).toContain('ValueError');
    const sent = provider.started[0].received.filter((m) => m.header.msg_type === 'execute_request');
    expect(sent).toHaveLength(2);
    const out = readJson(result.outputPath);
    expect(out.cells.filter((c) => (c.metadata.tags as string[] | undefined)?.includes('papermill-error-cell-tag'))).toHaveLength(2);
  });

  it('a kernel that dies without a local stderr tail: DeadKernelError with what its status event said (exit 138)', async () => {
    const provider = new FakeKernelProvider(script);
    const result = await executeNotebook({ inputPath: writeNotebook(['x = 1', 'die', 'print never']), outputPath: outputPath(), provider });
    expect(result).toMatchObject({ status: 'failed', exitCode: 138 });
    expect(result.error).toBeInstanceOf(DeadKernelError);
    const out = readJson(result.outputPath);
    const died = out.cells[1] as CodeCell;
    expect(died.outputs).toMatchObject([{ output_type: 'error', ename: 'DeadKernelError', traceback: ['Segmentation fault'] }]);
    expect((out.metadata.papermill as { quire: object }).quire).toMatchObject({ status: 'failed', reason: 'kernel_died', stderr_tail: ['Segmentation fault'] });
  });

  it('cancelling interrupts the running cell through the handle, keeps its KeyboardInterrupt and shuts the kernel down', async () => {
    const provider = new FakeKernelProvider(script);
    const controller = new AbortController();
    const result = await executeNotebook({
      inputPath: writeNotebook(['x = 1', 'hang', 'print never']), outputPath: outputPath(), provider, signal: controller.signal,
      listener: { cellStart: (index) => index === 1 && queueMicrotask(() => controller.abort()) },
    });
    expect(result).toMatchObject({ status: 'cancelled', exitCode: 130 });
    const kernel = provider.started[0];
    expect(kernel.interrupts.length).toBeGreaterThanOrEqual(1);
    expect(kernel.closed).toBe(true);
    const hung = readJson(result.outputPath).cells[1] as CodeCell;
    expect(hung.outputs).toMatchObject([{ output_type: 'error', ename: 'KeyboardInterrupt' }]);
  });

  it('a kernelspec the provider does not have: the run throws and its output records why', async () => {
    const provider = new FakeKernelProvider(script, []);
    const out = outputPath();
    await expect(executeNotebook({ inputPath: writeNotebook(['x = 1']), outputPath: out, provider })).rejects.toMatchObject({ code: 'KERNELSPEC_NOT_FOUND' });
    expect((readJson(out).metadata.papermill as { quire: object }).quire).toMatchObject({ status: 'failed', reason: 'kernel_start_failed' });
    expect(joinSource(readJson(out).cells[0].source)).toBe('x = 1');
  });
});
