import { describe, expect, it } from 'vitest';
import type { UnknownAction } from '@reduxjs/toolkit';
import type { RunInfo, RunOutputEvent, RunRequest } from '../../../src/host/contract';
import { buildScheduler } from '../../testing/buildScheduler';
import { fakeHost } from '../../testing/fakeHost';
import { eventOf, later } from '../../testing/hostEvents';
import { codeCell, notebookOf, openedState, stateObservable } from '../../testing/stateFactory';
import { KernelRegistry } from '../kernels/kernelRegistry';
import { filesActions, openSucceeded } from '../files/filesSlice';
import type { DocumentState } from '../../store/documentState';
import type { EpicDependencies } from '../../store/dependencies';
import type { HostApi } from '../../../src/host/contract';
import {
  cancelRunEpic, copyPath, followRunChangesEpic, listRunsEpic, openEditableCopyEpic, openRunOutputEpic, reloadOutputWhenRunEndsEpic, runAgainEpic, runOutputsEpic, startRunEpic,
} from './runsEpics';
import { workspaceActions } from '../workspace/workspaceSlice';
import { runsActions } from './runsSlice';
import { DEFAULT_OUTPUT_TEMPLATE } from './parameterForm';
import { outputNotebook, runInfo } from './testing/runFixtures';

const opened = (): DocumentState => openedState([codeCell('a', 'x = 1')]);
const dirty = (): DocumentState => { const s = opened(); return { ...s, notebook: { ...s.notebook, version: 3 } }; };
const state$ = (s: DocumentState = opened()) => stateObservable(s);
const request: RunRequest = { inputPath: '/w/nb.ipynb', parameters: { x: 2 }, outputPath: DEFAULT_OUTPUT_TEMPLATE };
const openAction = openSucceeded({ path: '/w/nb.ipynb', notebook: notebookOf([codeCell('a')]), mtimeMs: 1 });

function deps(host: HostApi, sched: ReturnType<typeof buildScheduler>, outputBatchMs?: number): EpicDependencies {
  return { host, scheduler: sched, kernels: new KernelRegistry(() => { throw new Error('no kernels in runs tests'); }), outputBatchMs };
}

describe('startRunEpic', () => {
  it('starts the run and reports the RunInfo (no save when nothing is unsaved)', () => {
    const sched = buildScheduler();
    const calls: RunRequest[] = [];
    sched.run(({ hot, cold, expectObservable }) => {
      const host = fakeHost({ runs: { startRun: (r) => { calls.push(r); return later(cold('--a|', { a: runInfo({ status: 'queued' }) })); } } });
      const action$ = hot<UnknownAction>('-s', { s: runsActions.startRequested({ request, saveFirst: true, cellPreviews: ['p'] }) });
      expectObservable(startRunEpic(action$, state$(), deps(host, sched))).toBe('----a', {
        a: runsActions.startSucceeded({ info: runInfo({ status: 'queued' }), cellPreviews: ['p'] }),
      });
    });
    expect(calls).toEqual([request]);
  });

  it('saves unsaved changes first and starts once the save succeeded', () => {
    const sched = buildScheduler();
    sched.run(({ hot, cold, expectObservable }) => {
      const host = fakeHost({ runs: { startRun: () => later(cold('-a|', { a: runInfo() })) } });
      const action$ = hot<UnknownAction>('-s--v', {
        s: runsActions.startRequested({ request, saveFirst: true }),
        v: filesActions.saveSucceeded({ path: '/w/nb.ipynb', mtimeMs: 2, version: 3, at: 4 }),
      });
      expectObservable(startRunEpic(action$, state$(dirty()), deps(host, sched))).toBe('-q----a', {
        q: filesActions.saveRequested({}),
        a: runsActions.startSucceeded({ info: runInfo() }),
      });
    });
  });

  it('does not start when the save fails, and says why', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const host = fakeHost();
      const action$ = hot<UnknownAction>('-s-f', {
        s: runsActions.startRequested({ request, saveFirst: true }),
        f: filesActions.saveFailed({ code: 'FILE_CHANGED_ON_DISK', message: 'changed on disk' }),
      });
      expectObservable(startRunEpic(action$, state$(dirty()), deps(host, sched))).toBe('-q-e', {
        q: filesActions.saveRequested({}),
        e: runsActions.startFailed({ code: 'FILE_CHANGED_ON_DISK', message: 'Could not save before the run: changed on disk' }),
      });
    });
  });

  it('maps a refused request (QuireError code) to startFailed', () => {
    const sched = buildScheduler();
    sched.run(({ hot, cold, expectObservable }) => {
      const refusal = Object.assign(new Error('Output notebook exists'), { code: 'FILE_EXISTS' });
      const host = fakeHost({ runs: { startRun: () => later(cold<RunInfo>('--#', undefined, refusal)) } });
      const action$ = hot<UnknownAction>('-s', { s: runsActions.startRequested({ request }) });
      expectObservable(startRunEpic(action$, state$(), deps(host, sched))).toBe('---e', {
        e: runsActions.startFailed({ code: 'FILE_EXISTS', message: 'Output notebook exists' }),
      });
    });
  });
});

describe('runAgainEpic and cancelRunEpic', () => {
  it('run again asks for a run with the same notebook, parameters and kernel', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const s = opened();
      const other = runInfo({ runId: 'r2', inputPath: '/w/other.ipynb', parameters: {}, kernelName: 'python3' });
      const withRun: DocumentState = { ...s, runs: { ...s.runs, runs: { r1: runInfo({ parameters: { a: 5 }, kernelName: 'python3' }), r2: other } } };
      const action$ = hot<UnknownAction>('-a-b-c', {
        a: runsActions.runAgainRequested({ runId: 'r1' }), b: runsActions.runAgainRequested({ runId: 'nope' }), c: runsActions.runAgainRequested({ runId: 'r2' }),
      });
      expectObservable(runAgainEpic(action$, state$(withRun), deps(fakeHost(), sched))).toBe('-x-y-z', {
        // The open notebook: saved first, and its cells previewed with the injected cell on top (it has no parameters cell).
        x: runsActions.startRequested({
          request: { inputPath: '/w/nb.ipynb', parameters: { a: 5 }, outputPath: DEFAULT_OUTPUT_TEMPLATE, kernelName: 'python3' }, saveFirst: true, cellPreviews: ['# Parameters', 'x = 1'],
        }),
        y: runsActions.startFailed({ code: 'RUN_NOT_FOUND', message: 'Run nope is not known' }),
        z: runsActions.startRequested({ request: { inputPath: '/w/other.ipynb', parameters: {}, outputPath: DEFAULT_OUTPUT_TEMPLATE, kernelName: 'python3' }, saveFirst: false }),
      });
    });
  });

  it('cancel calls the host and reports only failures', () => {
    const sched = buildScheduler();
    const cancelled: string[] = [];
    sched.run(({ hot, cold, expectObservable }) => {
      const host = fakeHost({ runs: { cancelRun: (id) => { cancelled.push(id); return id === 'bad' ? later(cold<void>('-#', undefined, new Error('gone'))) : later(cold<void>('-(a|)', { a: undefined })); } } });
      const action$ = hot<UnknownAction>('-a-b', { a: runsActions.cancelRequested({ runId: 'r1' }), b: runsActions.cancelRequested({ runId: 'bad' }) });
      expectObservable(cancelRunEpic(action$, state$(), deps(host, sched))).toBe('----e', {
        e: runsActions.cancelFailed({ runId: 'bad', message: 'gone' }),
      });
    });
    expect(cancelled).toEqual(['r1', 'bad']);
  });
});

describe('following runs', () => {
  it('lists the runs of the notebook that opened, and again on request', () => {
    const sched = buildScheduler();
    const filters: unknown[] = [];
    sched.run(({ hot, cold, expectObservable }) => {
      const host = fakeHost({ runs: { listRuns: (f) => { filters.push(f); return later(cold('-a|', { a: [runInfo()] })); } } });
      const action$ = hot<UnknownAction>('-o---r', { o: openAction, r: runsActions.listRequested() });
      expectObservable(listRunsEpic(action$, state$(), deps(host, sched))).toBe('---a---a', {
        a: runsActions.runsListed({ inputPath: '/w/nb.ipynb', runs: [runInfo()] }),
      });
    });
    expect(filters).toEqual([{ inputPath: '/w/nb.ipynb' }, { inputPath: '/w/nb.ipynb' }]);
  });

  it('passes on changes to this notebook\'s runs and ignores other notebooks\'', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const changes = hot<RunInfo>('--a-b-c', { a: runInfo(), b: runInfo({ runId: 'x', inputPath: '/w/other.ipynb' }), c: runInfo({ status: 'completed' }) });
      const host = fakeHost({ runs: { onDidChangeRun: eventOf(changes) } });
      const action$ = hot<UnknownAction>('-o', { o: openAction });
      expectObservable(followRunChangesEpic(action$, state$(), deps(host, sched))).toBe('--a---c', {
        a: runsActions.runChanged(runInfo()),
        c: runsActions.runChanged(runInfo({ status: 'completed' })),
      });
    });
  });

  it('batches live outputs of known runs', () => {
    const sched = buildScheduler();
    const out = (runId: string, text: string): RunOutputEvent => ({ runId, cellIndex: 1, output: { output_type: 'stream', name: 'stdout', text } });
    sched.run(({ hot, expectObservable }) => {
      const s = opened();
      const known: DocumentState = { ...s, runs: { ...s.runs, runs: { r1: runInfo() } } };
      const outputs = hot<RunOutputEvent>('--ab-z------c', { a: out('r1', '1'), b: out('r1', '2'), z: out('zz', 'other'), c: out('r1', '3') });
      const host = fakeHost({ runs: { onDidRunOutput: eventOf(outputs) } });
      const action$ = hot<UnknownAction>('-o', { o: openAction });
      const output$ = runOutputsEpic(action$, state$(known), deps(host, sched, 5));
      // bufferTime(5) windows close at 5, 10 (empty: nothing emitted) and 15; the other run's output is dropped.
      expectObservable(output$, '^ 20ms !').toBe('-----x---------y', {
        x: runsActions.runOutputsReceived([out('r1', '1'), out('r1', '2')]),
        y: runsActions.runOutputsReceived([out('r1', '3')]),
      });
    });
  });
});

describe('output notebooks', () => {
  it('re-reads the output on show when its run ends', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const s = opened();
      const showing: DocumentState = { ...s, runs: { ...s.runs, viewer: { path: '/w/runs/nb-1.ipynb', runId: 'r1', loading: false, focusFailed: false, focusToken: 1 } } };
      const action$ = hot<UnknownAction>('-a-b-c', {
        a: runsActions.runChanged(runInfo({ completedCells: 2 })),
        b: runsActions.runChanged(runInfo({ runId: 'other', status: 'completed' })),
        c: runsActions.runChanged(runInfo({ status: 'failed' })),
      });
      expectObservable(reloadOutputWhenRunEndsEpic(action$, state$(showing), deps(fakeHost(), sched))).toBe('-----r', {
        r: runsActions.outputOpenRequested({ path: '/w/runs/nb-1.ipynb', runId: 'r1', focusFailed: false }),
      });
    });
  });

  it('reads an output notebook for the read-only view, or says why not', () => {
    const sched = buildScheduler();
    sched.run(({ hot, cold, expectObservable }) => {
      const nb = outputNotebook([codeCell('c', '1/0')]);
      const host = fakeHost({ files: { readNotebook: (path) => (path === '/o.ipynb'
        ? later(cold('-a|', { a: { path, notebook: nb, mtimeMs: 1, size: 1, warnings: [] } }))
        : later(cold<never>('-#', undefined, Object.assign(new Error('no such file'), { code: 'FILE_NOT_FOUND' })))) } });
      const loading = (path: string): DocumentState => { const s = opened(); return { ...s, runs: { ...s.runs, viewer: { path, loading: true, focusFailed: false, focusToken: 1 } } }; };
      const action$ = hot<UnknownAction>('-a', { a: runsActions.outputOpenRequested({ path: '/o.ipynb' }) });
      expectObservable(openRunOutputEpic(action$, state$(loading('/o.ipynb')), deps(host, sched))).toBe('---l', { l: runsActions.outputLoaded({ path: '/o.ipynb', notebook: nb }) });
      const missing$ = hot<UnknownAction>('-a', { a: runsActions.outputOpenRequested({ path: '/gone.ipynb' }) });
      expectObservable(openRunOutputEpic(missing$, state$(loading('/gone.ipynb')), deps(host, sched))).toBe('--f', {
        f: runsActions.outputLoadFailed({ path: '/gone.ipynb', message: 'no such file' }),
      });
    });
  });

  it('writes an editable copy under a free name next to the output and opens it in a tab of its own', () => {
    const sched = buildScheduler();
    const writes: Array<[string, unknown]> = [];
    sched.run(({ hot, cold, expectObservable }) => {
      const nb = outputNotebook([codeCell('c', 'x')]);
      const host = fakeHost({ files: {
        readNotebook: (path) => later(cold('-(a|)', { a: { path, notebook: nb, mtimeMs: 1, size: 1, warnings: [] } })),
        writeNotebook: (path, notebook, options) => {
          writes.push([path, options]);
          return path.endsWith('-copy.ipynb')
            ? later(cold<never>('-#', undefined, Object.assign(new Error('exists'), { code: 'FILE_EXISTS' })))
            : later(cold('-(a|)', { a: { path, exists: true } }));
        },
      } });
      const action$ = hot<UnknownAction>('-c', { c: runsActions.editableCopyRequested({ path: '/w/runs/out.ipynb' }) });
      expectObservable(openEditableCopyEpic(action$, state$(), deps(host, sched))).toBe('----(vo)', {
        v: runsActions.viewerClosed(),
        o: workspaceActions.openPathRequested({ path: '/w/runs/out-copy2.ipynb' }),
      });
    });
    expect(writes).toEqual([['/w/runs/out-copy.ipynb', { overwrite: false }], ['/w/runs/out-copy2.ipynb', { overwrite: false }]]);
    expect(copyPath('out.ipynb', 3)).toBe('out-copy3.ipynb');
  });
});
