/**
 * Integration: the host run service over real ipykernel kernels (batch concurrency, progress and
 * output events, cancel, runs found on disk).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo, RunOutputEvent } from '../../src/host/contract';
import type { Cell, Notebook } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { KernelManager } from '../kernelManager';
import type { IKernelHandle, IKernelProvider } from '../../src/kernels/kernelProvider';
import { LocalKernelProvider } from '../localKernelProvider';
import { requirePython3Spec } from '../testing/realKernel';
import { RunService } from './runService';

/** Only the system kernelspec (Debian's ipykernel), whatever the developer has installed. */
const SPEC_SEARCH = { env: { PATH: process.env.PATH, JUPYTER_PATH: '', JUPYTER_DATA_DIR: '/nonexistent-quire-test' } };
let dir: string;
let manager: KernelManager;
let provider: LocalKernelProvider;
let live = 0;
let maxLive = 0;
/** Counts kernels from the start request until their shutdown finished. */
const countingProvider: IKernelProvider = {
  get id() { return provider.id; },
  get onDidOpenKernel() { return provider.onDidOpenKernel; },
  listSpecs: (o) => provider.listSpecs(o),
  listKernels: () => provider.listKernels(),
  attach: (id) => provider.attach(id),
  openKernels: () => provider.openKernels(),
  shutdownAll: () => provider.shutdownAll(),
  async start(specName, options) {
    live++;
    maxLive = Math.max(maxLive, live);
    try {
      const handle = await provider.start(specName, options);
      return Object.assign(Object.create(handle) as IKernelHandle, {
        shutdown: async (o?: { graceMs?: number }) => {
          try {
            await handle.shutdown(o);
          } finally {
            live--;
          }
        },
      });
    } catch (error) {
      live--;
      throw error;
    }
  },
};

beforeAll(async () => {
  await requirePython3Spec();
  dir = mkdtempSync(join(tmpdir(), 'quire-runsvc-'));
  manager = new KernelManager({ handleSignals: false, specSearch: SPEC_SEARCH });
  provider = new LocalKernelProvider(manager);
});
afterAll(async () => {
  provider?.dispose();
  await manager?.shutdownAll();
  manager?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function writeNotebook(name: string, sources: string[], parametersIndex = 0): string {
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: sources.map((source, i) => ({ id: `c${i}`, cell_type: 'code', execution_count: null, outputs: [], source, metadata: i === parametersIndex ? { tags: ['parameters'] } : ({} as { tags?: string[] }) } as Cell)),
  };
  const path = join(dir, name);
  writeFileSync(path, serializeNotebook(nb));
  return path;
}

const until = (service: RunService, runIds: string[]) => new Promise<RunInfo[]>((resolve) => {
  const done = new Map<string, RunInfo>();
  const sub = service.onDidChangeRun((info) => {
    if (runIds.includes(info.runId) && ['completed', 'failed', 'cancelled'].includes(info.status)) done.set(info.runId, info);
    if (done.size === runIds.length) {
      sub.dispose();
      resolve(runIds.map((id) => done.get(id)!));
    }
  });
});

describe('RunService (real ipykernel)', () => {
  it('runs a batch of 6 with at most 2 kernels at once, each with its own output', async () => {
    const input = writeNotebook('batch.ipynb', ['i = 0', 'import time; time.sleep(0.2)', 'print(i * i)']);
    const service = new RunService({ provider: countingProvider });
    maxLive = 0;
    const requests = [0, 1, 2, 3, 4, 5].map((i) => ({ inputPath: input, outputPath: 'out/batch_{i}.ipynb', parameters: { i } }));
    const started = await service.startBatch(requests, { concurrency: 2 });
    expect(started.map((r) => r.status)).toEqual(Array(6).fill('queued'));
    const finished = await until(service, started.map((r) => r.runId));
    expect(finished.map((r) => r.status)).toEqual(Array(6).fill('completed'));
    expect(maxLive).toBe(2);
    expect(new Set(finished.map((r) => r.outputPath)).size).toBe(6);
    expect(finished[5].outputPath).toBe(join(dir, 'out', 'batch_5.ipynb'));
    // The host's own runs, not doubled by their output files on disk.
    expect(await service.listRuns({ inputPath: input })).toHaveLength(6);
    service.dispose();
  });

  it('reports progress and live outputs, records scraps, and lists runs found on disk', async () => {
    const input = writeNotebook('live.ipynb', [
      'x = 1',
      'print("line", x)',
      'from IPython.display import display\ndisplay({"application/scrapbook.scrap.json+json": {"name": "answer", "data": x * 42, "encoder": "json", "version": 1}}, raw=True)',
    ]);
    const service = new RunService({ provider });
    const events: RunInfo[] = [];
    const outputs: RunOutputEvent[] = [];
    service.onDidChangeRun((e) => events.push(e));
    service.onDidRunOutput((e) => outputs.push(e));
    const info = await service.startRun({ inputPath: input, parameters: { x: 2 } });
    expect(info.outputPath).toMatch(/runs\/live_\d{8}T\d{6}Z_[0-9a-f]{8}\.ipynb$/);
    const [done] = await until(service, [info.runId]);
    expect(done).toMatchObject({ status: 'completed', completedCells: 4, totalCells: 4, scraps: { answer: 84 } });
    expect(events.map((e) => e.status)).toEqual(expect.arrayContaining(['queued', 'starting', 'running', 'completed']));
    expect(outputs.find((o) => o.output.output_type === 'stream')).toMatchObject({ runId: info.runId, cellIndex: 2, output: { text: 'line 2\n' } });

    // A fresh service (e.g. after a restart) still finds the run through its output notebook.
    const fresh = new RunService({ provider });
    const listed = await fresh.listRuns({ inputPath: input });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ runId: `file:${done.outputPath}`, status: 'completed', parameters: { x: 2 }, scraps: { answer: 84 } });
    // Outputs outside the input's folder and runs/ are only known to the host that wrote them.
    expect(await fresh.listRuns({ inputPath: join(dir, 'batch.ipynb') })).toHaveLength(0);
    service.dispose();
    fresh.dispose();
  });

  it('cancels a running run and rejects bad requests before starting', async () => {
    const input = writeNotebook('slow.ipynb', ['n = 1', 'import time; time.sleep(30)']);
    const service = new RunService({ provider });
    const running = new Promise<void>((resolve) => service.onDidChangeRun((e) => e.currentCellIndex === 1 && resolve()));
    const info = await service.startRun({ inputPath: input, outputPath: 'slow_out.ipynb', parameters: {} });
    await running;
    await service.cancelRun(info.runId);
    expect(await service.getRun(info.runId)).toMatchObject({ status: 'cancelled' });
    await expect(service.startRun({ inputPath: input, outputPath: 'slow_out.ipynb', parameters: {} })).rejects.toThrow(/already exists/);
    await expect(service.startRun({ inputPath: join(dir, 'missing.ipynb'), parameters: {} })).rejects.toThrow(/does not exist/);
    await expect(service.startBatch([{ inputPath: input, outputPath: 'same.ipynb', parameters: { n: 1 } }, { inputPath: input, outputPath: 'same.ipynb', parameters: { n: 2 } }])).rejects.toThrow(/runs 1 and 2 would both write/);
    service.dispose();
  });
});

describe('RunService: claiming outputs, finding batch outputs', () => {
  it('of two runs started at once on one output, exactly one is accepted (FILE_EXISTS for the other); with overwrite both run', async () => {
    const input = writeNotebook('claim.ipynb', ['who = ""', 'print(who)']);
    const service = new RunService({ provider });
    const request = (who: string, overwrite = false) => ({ inputPath: input, outputPath: 'claimed.ipynb', parameters: { who }, overwrite });
    const settled = await Promise.allSettled([service.startRun(request('a')), service.startRun(request('b'))]);
    const accepted = settled.filter((r): r is PromiseFulfilledResult<RunInfo> => r.status === 'fulfilled');
    const refused = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toMatchObject({ code: 'FILE_EXISTS' });
    const [done] = await until(service, [accepted[0].value.runId]);
    expect(done.status).toBe('completed');
    const winner = accepted[0].value.parameters.who as string;
    expect((JSON.parse(readFileSync(join(dir, 'claimed.ipynb'), 'utf8')) as Notebook).metadata.papermill).toMatchObject({ parameters: { who: winner } });

    const both = await Promise.all([service.startRun(request('c', true)), service.startRun(request('d', true))]);
    expect((await until(service, both.map((r) => r.runId))).map((r) => r.status)).toEqual(['completed', 'completed']);
    service.dispose();
  });

  it('a refused batch leaves no placeholder behind, and a cancelled queued run removes its own', async () => {
    const input = writeNotebook('claim2.ipynb', ['n = 1', 'n']);
    writeFileSync(join(dir, 'taken.ipynb'), '{}');
    const service = new RunService({ provider });
    // The second output is taken: the first, claimed a moment before, is released again.
    await expect(service.startBatch([
      { inputPath: input, outputPath: 'free.ipynb', parameters: {} }, { inputPath: input, outputPath: 'taken.ipynb', parameters: {} },
    ])).rejects.toMatchObject({ code: 'FILE_EXISTS' });
    expect(existsSync(join(dir, 'free.ipynb'))).toBe(false);
    const [first, queued] = await service.startBatch([
      { inputPath: input, outputPath: 'q1.ipynb', parameters: {} }, { inputPath: input, outputPath: 'q2.ipynb', parameters: {} },
    ], { concurrency: 1 });
    expect(existsSync(join(dir, 'q2.ipynb'))).toBe(true); // claimed while queued
    await service.cancelRun(queued.runId);
    await until(service, [first.runId]);
    expect(existsSync(join(dir, 'q2.ipynb'))).toBe(false);
    service.dispose();
  });

  it('after a restart, lists outputs in sub-folders of runs/ (batches such as quire run --batch write there)', async () => {
    const input = writeNotebook('sweep.ipynb', ['i = 0', 'print(i)']);
    const service = new RunService({ provider });
    const started = await service.startBatch([1, 2].map((i) => ({ inputPath: input, outputPath: 'runs/sweep/{i}/out.ipynb', parameters: { i } })));
    await until(service, started.map((r) => r.runId));
    service.dispose();
    const fresh = new RunService({ provider });
    const listed = await fresh.listRuns({ inputPath: input });
    expect(listed.map((r) => r.outputPath).sort()).toEqual([join(dir, 'runs', 'sweep', '1', 'out.ipynb'), join(dir, 'runs', 'sweep', '2', 'out.ipynb')]);
    fresh.dispose();
  });
});
