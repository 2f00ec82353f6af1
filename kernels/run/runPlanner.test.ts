/**
 * The run planner's disk half (real files): inputs read once, existing outputs refused with the
 * planner's one message, every problem said at once, claims taken and given back.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notebook } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { runPlanMessages, type RunPlanRequest } from '../../src/parameterize/planRuns';
import { defaultRunNotebookIo, type RunNotebookIo } from './notebookIo';
import { checkRunPlan, claimPlannedRuns, planRunsFor } from './runPlanner';

let dir: string;
let input: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-plan-'));
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

const plan = (requests: Array<Partial<RunPlanRequest>>) => planRunsFor(
  requests.map((r) => ({ inputPath: input, outputTemplate: join(dir, 'out_{index}.ipynb'), parameters: {}, ...r })),
  { now: new Date(), newRunId: () => Math.random().toString(16).slice(2) },
);
/** Counts reads per path. */
function countingIo(): RunNotebookIo & { reads: string[] } {
  const reads: string[] = [];
  return { ...defaultRunNotebookIo, reads, read: (path) => (reads.push(path), defaultRunNotebookIo.read(path)) };
}

describe('checkRunPlan / claimPlannedRuns', () => {
  it('reads each input once and type-checks every run', async () => {
    const io = countingIo();
    const p = plan([{ parameters: { alpha: 0.5 } }, { parameters: { alpha: 'x' } }, {}]);
    await expect(checkRunPlan(p, { io, typeCheck: true })).rejects.toMatchObject({
      code: 'PARAMETER_INVALID', message: 'run 2: Parameter \'alpha\' expects float (default 0.1) but got str "x"',
    });
    expect(io.reads).toEqual([input]);
    await expect(checkRunPlan(p, { io })).resolves.toBeInstanceOf(Map);
  });

  it('a missing input fails before anything else', async () => {
    const p = plan([{ inputPath: join(dir, 'missing.ipynb') }]);
    await expect(checkRunPlan(p, { io: defaultRunNotebookIo })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('existing outputs: refused with the one message, unless overwrite or already claimed by us; all problems at once', async () => {
    const taken = join(dir, 'taken.ipynb');
    writeFileSync(taken, '{}');
    const single = plan([{ outputTemplate: taken }]);
    await expect(checkRunPlan(single, { io: defaultRunNotebookIo })).rejects.toMatchObject({ code: 'FILE_EXISTS', message: runPlanMessages.outputExists('', taken) });
    await expect(checkRunPlan(plan([{ outputTemplate: taken, overwrite: true }]), { io: defaultRunNotebookIo })).resolves.toBeDefined();
    await expect(checkRunPlan(single, { io: defaultRunNotebookIo, claimed: true })).resolves.toBeDefined();

    const batch = plan([{ outputTemplate: taken }, { outputTemplate: join(dir, 'dup.ipynb') }, { outputTemplate: join(dir, 'dup.ipynb') }]);
    const error = await checkRunPlan(batch, { io: defaultRunNotebookIo, extraProblems: ['--stdout-file x is the input notebook'] }).then(() => new Error('accepted'), (e: Error) => e);
    expect(error.message.split('\n')).toEqual([
      runPlanMessages.outputExists('run 1: ', taken),
      runPlanMessages.duplicateOutput(2, 3, join(dir, 'dup.ipynb')),
      '--stdout-file x is the input notebook',
    ]);
  });

  it('claims: placeholders for each claimable output; a refused claim gives back the ones taken', async () => {
    const p = plan([{}, {}]);
    const claims = await claimPlannedRuns(p);
    expect(claims.map((c) => existsSync(c.path))).toEqual([true, true]);
    await expect(claimPlannedRuns(plan([{ outputTemplate: join(dir, 'fresh.ipynb') }, { outputTemplate: claims[0].path }]))).rejects.toMatchObject({ code: 'FILE_EXISTS' });
    expect(existsSync(join(dir, 'fresh.ipynb'))).toBe(false);
    await Promise.all(claims.map((c) => c.release()));
    expect(claims.map((c) => existsSync(c.path))).toEqual([false, false]);
  });
});
