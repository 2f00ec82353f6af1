import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src/host/contract';
import type { RunIndexEntry } from '../runIndex/runIndexJournal';
import { overlayIndex } from './indexedRuns';

describe('overlayIndex', () => {
  const entry = {
    runId: 'r1', notebook: '/w/job.ipynb', output: '/w/runs/out.ipynb', parameters: { n: 7 }, startedAt: '2026-12-08T00:00:00.000Z',
    pid: 1, host: 'cli', hostname: 'h', status: 'running',
  } as unknown as RunIndexEntry;
  const onDisk = (parameters: Record<string, unknown>): RunInfo => ({
    runId: 'file:/w/runs/out.ipynb', inputPath: '/w/job.ipynb', outputPath: '/w/runs/out.ipynb', parameters, kernelName: 'python3',
    status: 'running', startTime: '2026-12-08T00:00:00.000Z', totalCells: 0, completedCells: 0,
  } as RunInfo);

  it('a run whose output is still its placeholder (no parameters recorded yet) shows the index entry\'s parameters', () => {
    expect(overlayIndex(onDisk({}), entry)).toMatchObject({ runId: 'r1', parameters: { n: 7 }, status: 'running', origin: { host: 'cli', pid: 1, hostname: 'h' } });
  });

  it('once the output records its parameters (typed, as injected), those are shown', () => {
    expect(overlayIndex(onDisk({ n: 7.5 }), entry).parameters).toEqual({ n: 7.5 });
  });
});
