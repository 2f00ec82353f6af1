/**
 * The host's run service plans with the run planner `quire run` uses (kernels/run/runPlanner.ts):
 * the same messages, and runs through any kernel provider (here an in-memory one, so no kernel
 * process is needed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src/host/contract';
import type { Notebook } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { runPlanMessages } from '../../src/parameterize/planRuns';
import { FakeKernelProvider } from '../testing/fakeKernelProvider';
import { RunService } from './runService';

let dir: string;
let input: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-host-plan-'));
  input = join(dir, 'analysis.ipynb');
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'fakelang', display_name: 'Fake', language: 'python' } },
    cells: [{ id: 'p', cell_type: 'code', execution_count: null, outputs: [], metadata: { tags: ['parameters'] }, source: 'alpha = 0.1' }],
  };
  writeFileSync(input, serializeNotebook(nb));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the host run service plans with the same planner', () => {
  it('same messages as quire run; a run through a non-local provider completes', async () => {
    const provider = new FakeKernelProvider(() => ({ kind: 'ok', stdout: 'hi\n' }));
    const service = new RunService({ provider });
    const dup = join(dir, 'host_dup.ipynb');
    await expect(service.startBatch([{ inputPath: input, outputPath: dup, parameters: {} }, { inputPath: input, outputPath: dup, parameters: {} }]))
      .rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: runPlanMessages.duplicateOutput(1, 2, dup) });
    await expect(service.startRun({ inputPath: input, outputPath: input, parameters: {} }))
      .rejects.toMatchObject({ message: runPlanMessages.outputIsInput('', input) });

    const done = new Promise<RunInfo>((resolve) => service.onDidChangeRun((e) => e.status === 'completed' && resolve(e)));
    const info = await service.startRun({ inputPath: input, outputPath: 'host_{alpha}.ipynb', parameters: { alpha: 0.5 } });
    expect(info.outputPath).toBe(join(dir, 'host_0.5.ipynb'));
    expect((await done).runId).toBe(info.runId);
    expect(provider.startRequests[0]).toMatchObject({ specName: 'fakelang', options: { oneShot: true, cwd: dir } });
    await expect(service.startRun({ inputPath: input, outputPath: 'host_{alpha}.ipynb', parameters: { alpha: 0.5 } }))
      .rejects.toMatchObject({ code: 'FILE_EXISTS', message: runPlanMessages.outputExists('', join(dir, 'host_0.5.ipynb')) });
    service.dispose();
  });
});
