/**
 * The host's run service and the run index: the app records its runs there, and lists the runs of
 * `quire run` (another process) and its own runs from before a restart (real ipykernel, real files).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src/host/contract';
import type { Cell, Notebook } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { KernelManager } from '../kernelManager';
import { LocalKernelProvider } from '../localKernelProvider';
import { RunIndex } from '../runIndex/runIndex';
import type { RunStartedEvent } from '../runIndex/runIndexJournal';
import { requirePython3Spec } from '../testing/realKernel';
import { RunService } from './runService';
import { guardRunService, WorkspaceGuard } from './workspaceGuard';

const SPEC_SEARCH = { env: { PATH: process.env.PATH, JUPYTER_PATH: '', JUPYTER_DATA_DIR: '/nonexistent-quire-test' } };
let dir: string;
let manager: KernelManager;
let provider: LocalKernelProvider;

beforeAll(async () => {
  await requirePython3Spec();
  dir = mkdtempSync(join(tmpdir(), 'quire-indexed-runs-'));
  manager = new KernelManager({ handleSignals: false, specSearch: SPEC_SEARCH });
  provider = new LocalKernelProvider(manager);
});
afterAll(async () => {
  await manager?.shutdownAll();
  manager?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function writeNotebook(name: string, sources: string[]): string {
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: sources.map((source, i) => ({ id: `c${i}`, cell_type: 'code', execution_count: null, outputs: [], source, metadata: i === 0 ? { tags: ['parameters'] } : {} } as Cell)),
  };
  const path = join(dir, name);
  writeFileSync(path, serializeNotebook(nb));
  return path;
}

const finished = (service: RunService, runId: string) => new Promise<RunInfo>((resolve) => {
  const sub = service.onDidChangeRun((info) => {
    if (info.runId === runId && ['completed', 'failed', 'cancelled'].includes(info.status)) {
      sub.dispose();
      resolve(info);
    }
  });
});

const cliStart = (runId: string, notebook: string, output: string, pid: number, startedAt: string): RunStartedEvent => ({
  v: 1, t: 'started', runId, notebook, output, parameters: { n: 3 }, startedAt, pid, host: 'cli', hostname: hostname(), kernelName: 'python3',
});

describe('RunService with a run index', () => {
  it('records its runs, and after a restart lists them once (output file and index entry are one run)', async () => {
    const runIndex = new RunIndex({ path: join(dir, 'index-a', 'runs.jsonl') });
    const input = writeNotebook('app.ipynb', ['n = 1', 'print(n)']);
    const service = new RunService({ provider, runIndex });
    const info = await service.startRun({ inputPath: input, parameters: { n: 2 } });
    const done = await finished(service, info.runId);
    expect(done.status).toBe('completed');
    expect(runIndex.list()).toEqual([expect.objectContaining({ runId: info.runId, host: 'app', status: 'completed', notebook: input, output: done.outputPath, parameters: { n: 2 } })]);
    service.dispose();

    const restarted = new RunService({ provider, runIndex });
    const listed = await restarted.listRuns({ inputPath: input });
    // One row: the index's run id, with what the output notebook records (cells, scraps).
    expect(listed.map((r) => [r.runId, r.outputPath, r.status])).toEqual([[info.runId, done.outputPath, 'completed']]);
    expect(listed[0]).toMatchObject({ totalCells: done.totalCells, completedCells: done.completedCells, origin: { host: 'app', pid: process.pid, hostname: hostname() } });
    expect(info.origin).toEqual({ host: 'app', pid: process.pid, hostname: hostname() });
    expect(await restarted.getRun(info.runId)).toEqual(listed[0]);
    restarted.dispose();
  });

  it('lists runs of `quire run` from the index: live, ended, and interrupted (its process is gone), and gets one by id', async () => {
    const runIndex = new RunIndex({ path: join(dir, 'index-b', 'runs.jsonl') });
    const input = writeNotebook('cli.ipynb', ['n = 1']);
    const elsewhere = join(dir, 'far', 'away');
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    runIndex.append(cliStart('live', input, join(elsewhere, 'live.ipynb'), process.pid, '2026-01-01T00:00:03.000Z'));
    runIndex.append(cliStart('done', input, join(elsewhere, 'done.ipynb'), deadPid, '2026-01-01T00:00:02.000Z'));
    runIndex.append({ v: 1, t: 'ended', runId: 'done', status: 'failed', endedAt: '2026-01-01T00:00:04.000Z', durationMs: 2000, failedCell: 1, error: 'ValueError: boom' });
    runIndex.append(cliStart('gone', input, join(elsewhere, 'gone.ipynb'), deadPid, '2026-01-01T00:00:01.000Z'));
    runIndex.append(cliStart('other', join(dir, 'other.ipynb'), join(elsewhere, 'other.ipynb'), deadPid, '2026-01-01T00:00:05.000Z'));
    const service = new RunService({ provider, runIndex });
    const listed = await service.listRuns({ inputPath: input });
    expect(listed.map((r) => [r.runId, r.status])).toEqual([['live', 'running'], ['done', 'failed'], ['gone', 'failed']]);
    expect(listed[1]).toMatchObject({ durationSec: 2, error: { cellIndex: 1, ename: 'ValueError', evalue: 'boom' }, parameters: { n: 3 } });
    expect(listed[2].error?.ename).toBe('Interrupted');
    // Where each ran, for the Runs view's "where" column.
    expect(listed[0].origin).toEqual({ host: 'cli', pid: process.pid, hostname: hostname() });
    expect(await service.getRun('done')).toMatchObject({ status: 'failed', outputPath: join(elsewhere, 'done.ipynb') });
    expect((await service.listRuns()).map((r) => r.runId)).toEqual(['other', 'live', 'done', 'gone']);
    // A browser host restricted to a folder lists only the runs of notebooks inside it.
    const guarded = guardRunService(service, new WorkspaceGuard(join(dir, 'far')));
    expect(await guarded.listRuns()).toEqual([]);
    await expect(guarded.getRun('done')).rejects.toThrow(/No run 'done'/);
    service.dispose();
  });

  it('fires onDidChangeRun as another process records a run of it (started, then ended), with the id listRuns gives', async () => {
    const path = join(dir, 'index-d', 'runs.jsonl');
    const input = writeNotebook('watched.ipynb', ['n = 1']);
    const service = new RunService({ provider, runIndex: new RunIndex({ path }), watchRunIndexMs: 20 });
    const events: RunInfo[] = [];
    const next = (status: string) => new Promise<RunInfo>((resolve) => {
      const sub = service.onDidChangeRun((e) => {
        events.push(e);
        if (e.status === status) {
          sub.dispose();
          resolve(e);
        }
      });
    });
    const guardedEvents: RunInfo[] = [];
    guardRunService(service, new WorkspaceGuard(join(dir, 'far'))).onDidChangeRun((e) => guardedEvents.push(e));
    const other = new RunIndex({ path }); // `quire run` in a terminal
    const running = next('running');
    other.append(cliStart('term', input, join(dir, 'elsewhere', 'term.ipynb'), process.pid, new Date().toISOString()));
    expect(await running).toMatchObject({ runId: 'term', inputPath: input, status: 'running', parameters: { n: 3 } });
    expect((await service.listRuns({ inputPath: input })).map((r) => [r.runId, r.status])).toEqual([['term', 'running']]);
    await expect(service.cancelRun('term')).rejects.toThrow(/started by `quire run` \(process \d+ on .*\); stop it there/);
    const completed = next('completed');
    other.append({ v: 1, t: 'ended', runId: 'term', status: 'completed', endedAt: new Date().toISOString(), durationMs: 5 });
    expect(await completed).toMatchObject({ runId: 'term', status: 'completed' });
    expect(guardedEvents).toEqual([]); // a host restricted to another folder is not told
    service.dispose();
  });

  it('an index of a newer Quire: runs still work and listing gives the host\'s own runs', async () => {
    const path = join(dir, 'index-c', 'runs.jsonl');
    const runIndex = new RunIndex({ path, warn: () => undefined });
    runIndex.append(cliStart('x', '/n.ipynb', '/o.ipynb', process.pid, '2026-01-01T00:00:01.000Z'));
    writeFileSync(path, '{"quireRunIndex":9}\n');
    const input = writeNotebook('newer.ipynb', ['n = 1']);
    const service = new RunService({ provider, runIndex: new RunIndex({ path, warn: () => undefined }) });
    const info = await service.startRun({ inputPath: input, parameters: {} });
    expect((await finished(service, info.runId)).status).toBe('completed');
    expect((await service.listRuns({ inputPath: input })).map((r) => r.runId)).toEqual([info.runId]);
    service.dispose();
  });
});
