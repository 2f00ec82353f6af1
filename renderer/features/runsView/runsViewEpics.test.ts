import { describe, expect, it } from 'vitest';
import type { UnknownAction } from '@reduxjs/toolkit';
import type { HostApi, RunInfo, RunRequest } from '../../../src/host/contract';
import { buildScheduler } from '../../testing/buildScheduler';
import { fakeHost } from '../../testing/fakeHost';
import { eventOf, later } from '../../testing/hostEvents';
import { codeCell, openedState, stateObservable } from '../../testing/stateFactory';
import type { EpicDependencies } from '../../store/dependencies';
import type { DocumentState } from '../../store/documentState';
import { filesActions } from '../files/filesSlice';
import { KernelRegistry } from '../kernels/kernelRegistry';
import { DEFAULT_OUTPUT_TEMPLATE } from '../runs/parameterForm';
import { runsActions } from '../runs/runsSlice';
import { outputNotebook, runInfo } from '../runs/testing/runFixtures';
import { uiActions } from '../ui/uiSlice';
import { workspaceActions } from '../workspace/workspaceSlice';
import {
  cancelFromViewEpic, editableCopyFromViewEpic, followAllRunsEpic, listAllRunsEpic, loadOnOpenEpic, openFromViewEpic, runAgainFromViewEpic,
} from './runsViewEpics';
import { runsViewActions } from './runsViewSlice';

const deps = (host: HostApi, sched: ReturnType<typeof buildScheduler>): EpicDependencies =>
  ({ host, scheduler: sched, kernels: new KernelRegistry(() => { throw new Error('no kernels in runs view tests'); }) });

/** The open notebook is /w/nb.ipynb; the runs view knows `runs`. */
function withRuns(runs: RunInfo[], patch: (s: DocumentState) => DocumentState = (s) => s): DocumentState {
  const s = openedState([codeCell('a', 'x = 1')]);
  return patch({ ...s, runsView: { ...s.runsView, runs: Object.fromEntries(runs.map((r) => [r.runId, r])) } });
}
const state$ = (s: DocumentState) => stateObservable(s);

describe('loading and following every run', () => {
  it('opening the view lists again; other panels do not', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const action$ = hot<UnknownAction>('-a-b', { a: uiActions.panelOpened('settings'), b: uiActions.panelOpened('runs') });
      expectObservable(loadOnOpenEpic(action$, state$(withRuns([])), deps(fakeHost(), sched))).toBe('---l', { l: runsViewActions.listRequested() });
    });
  });

  it('lists without a filter (every notebook); a newer request wins; a failure says why', () => {
    const sched = buildScheduler();
    const filters: unknown[] = [];
    let calls = 0;
    sched.run(({ hot, cold, expectObservable }) => {
      const host = fakeHost({ runs: { listRuns: (...args) => {
        filters.push(args);
        calls += 1;
        return calls === 3 ? later(cold<RunInfo[]>('-#', undefined, new Error('host gone'))) : later(cold('---(a|)', { a: [runInfo({ runId: `r${calls}` })] }));
      } } });
      const action$ = hot<UnknownAction>('-a-b-------c', { a: runsViewActions.listRequested(), b: runsViewActions.listRequested(), c: runsViewActions.listRequested() });
      expectObservable(listAllRunsEpic(action$, state$(withRuns([])), deps(host, sched))).toBe('------l-----f', {
        l: runsViewActions.runsListed({ runs: [runInfo({ runId: 'r2' })] }),
        f: runsViewActions.listFailed({ message: 'host gone' }),
      });
    });
    expect(filters).toEqual([[], [], []]);
  });

  it('from the first listing on, passes on every run change, of every notebook', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const changes = hot<RunInfo>('-x-a-b', { x: runInfo({ runId: 'early' }), a: runInfo(), b: runInfo({ runId: 'cli', inputPath: '/elsewhere/job.ipynb', origin: { host: 'cli', pid: 9, hostname: 'h' } }) });
      const host = fakeHost({ runs: { onDidChangeRun: eventOf(changes) } });
      const action$ = hot<UnknownAction>('--l---l', { l: runsViewActions.listRequested() });
      expectObservable(followAllRunsEpic(action$, state$(withRuns([])), deps(host, sched))).toBe('---a-b', {
        a: runsViewActions.runChanged(runInfo()),
        b: runsViewActions.runChanged(runInfo({ runId: 'cli', inputPath: '/elsewhere/job.ipynb', origin: { host: 'cli', pid: 9, hostname: 'h' } })),
      });
    });
  });
});

describe('row actions', () => {
  const other = runInfo({ runId: 'o', inputPath: '/w/other.ipynb', parameters: { n: 3 }, kernelName: 'python3', status: 'completed' });
  const mine = runInfo({ runId: 'm', inputPath: '/w/nb.ipynb', parameters: { a: 5 }, kernelName: '', status: 'failed' });

  it('run again starts the same notebook, parameters and kernel; the open notebook is saved first when it has changes', () => {
    const sched = buildScheduler();
    const started: RunRequest[] = [];
    sched.run(({ hot, cold, expectObservable }) => {
      const host = fakeHost({ runs: { startRun: (r) => { started.push(r); return later(cold('-(a|)', { a: runInfo({ runId: 'new', inputPath: r.inputPath, status: 'queued' }) })); } } });
      const dirty = withRuns([other, mine], (s) => ({ ...s, notebook: { ...s.notebook, version: s.notebook.version + 1 } }));
      const action$ = hot<UnknownAction>('-a-b--s-x', {
        a: runsViewActions.runAgainRequested({ runId: 'o' }),
        b: runsViewActions.runAgainRequested({ runId: 'm' }),
        s: filesActions.saveSucceeded({ path: '/w/nb.ipynb', mtimeMs: 2, version: 1, at: 3 }),
        x: runsViewActions.runAgainRequested({ runId: 'nope' }),
      });
      expectObservable(runAgainFromViewEpic(action$, state$(dirty), deps(host, sched))).toBe('--ab---cx', {
        a: runsViewActions.runAgainStarted({ info: runInfo({ runId: 'new', inputPath: '/w/other.ipynb', status: 'queued' }) }),
        b: filesActions.saveRequested({}),
        c: runsViewActions.runAgainStarted({ info: runInfo({ runId: 'new', inputPath: '/w/nb.ipynb', status: 'queued' }) }),
        x: runsViewActions.actionFailed({ runId: 'nope', message: 'Run nope is not known' }),
      });
    });
    expect(started).toEqual([
      { inputPath: '/w/other.ipynb', parameters: { n: 3 }, outputPath: DEFAULT_OUTPUT_TEMPLATE, kernelName: 'python3' },
      { inputPath: '/w/nb.ipynb', parameters: { a: 5 }, outputPath: DEFAULT_OUTPUT_TEMPLATE },
    ]);
  });

  it('a refused run again says why', () => {
    const sched = buildScheduler();
    sched.run(({ hot, cold, expectObservable }) => {
      const refusal = Object.assign(new Error('The notebook is gone'), { code: 'NOT_FOUND' });
      const host = fakeHost({ runs: { startRun: () => later(cold<RunInfo>('-#', undefined, refusal)) } });
      const action$ = hot<UnknownAction>('-a', { a: runsViewActions.runAgainRequested({ runId: 'o' }) });
      expectObservable(runAgainFromViewEpic(action$, state$(withRuns([other])), deps(host, sched))).toBe('--f', {
        f: runsViewActions.actionFailed({ runId: 'o', message: 'Could not run o again: The notebook is gone' }),
      });
    });
  });

  it('cancel asks the host (a terminal run too) and reports only refusals', () => {
    const sched = buildScheduler();
    const cancelled: string[] = [];
    sched.run(({ hot, cold, expectObservable }) => {
      const host = fakeHost({ runs: { cancelRun: (id) => {
        cancelled.push(id);
        return id === 'far' ? later(cold<void>('-#', undefined, new Error('This run was started by another machine'))) : later(cold<void>('-(a|)', { a: undefined }));
      } } });
      const action$ = hot<UnknownAction>('-a-b', { a: runsViewActions.cancelRequested({ runId: 'cli' }), b: runsViewActions.cancelRequested({ runId: 'far' }) });
      expectObservable(cancelFromViewEpic(action$, state$(withRuns([])), deps(host, sched))).toBe('----f', {
        f: runsViewActions.actionFailed({ runId: 'far', message: 'Could not cancel: This run was started by another machine' }),
      });
    });
    expect(cancelled).toEqual(['cli', 'far']);
  });

  it('editable copy writes next to the output under a free name and asks for it to be opened', () => {
    const sched = buildScheduler();
    const writes: string[] = [];
    sched.run(({ hot, cold, expectObservable }) => {
      const nb = outputNotebook([codeCell('c', 'x')]);
      const host = fakeHost({ files: {
        readNotebook: (path) => (path === '/w/runs/gone.ipynb'
          ? later(cold<never>('-#', undefined, Object.assign(new Error('no such file'), { code: 'NOT_FOUND' })))
          : later(cold('-(a|)', { a: { path, notebook: nb, mtimeMs: 1, size: 1, warnings: [] } }))),
        writeNotebook: (path) => {
          writes.push(path);
          return path.endsWith('-copy.ipynb')
            ? later(cold<never>('-#', undefined, Object.assign(new Error('exists'), { code: 'FILE_EXISTS' })))
            : later(cold('-(a|)', { a: { path, exists: true } }));
        },
      } });
      const runs = [runInfo({ runId: 'a', outputPath: '/w/runs/out.ipynb', status: 'completed' }), runInfo({ runId: 'g', outputPath: '/w/runs/gone.ipynb', status: 'completed' })];
      const action$ = hot<UnknownAction>('-a-------g', { a: runsViewActions.editableCopyRequested({ runId: 'a' }), g: runsViewActions.editableCopyRequested({ runId: 'g' }) });
      expectObservable(editableCopyFromViewEpic(action$, state$(withRuns(runs)), deps(host, sched))).toBe('----o-----f', {
        o: runsViewActions.openPathRequested({ path: '/w/runs/out-copy2.ipynb' }),
        f: runsViewActions.actionFailed({ runId: 'g', message: 'Could not make an editable copy: no such file' }),
      });
    });
    expect(writes).toEqual(['/w/runs/out-copy.ipynb', '/w/runs/out-copy2.ipynb']);
  });

  it('opening closes the view: a record in the read-only view over the open notebook, anything else in a tab of its own', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const action$ = hot<UnknownAction>('-r----e', {
        r: runsViewActions.openPathRequested({ path: '/w/runs/out.ipynb', readOnly: true, runId: 'a' }),
        e: runsViewActions.openPathRequested({ path: '/w/runs/out-copy.ipynb' }),
      });
      expectObservable(openFromViewEpic(action$, state$(withRuns([])), deps(fakeHost(), sched))).toBe('-(cr)-(co)', {
        c: uiActions.panelOpened('none'),
        r: runsActions.outputOpenRequested({ path: '/w/runs/out.ipynb', runId: 'a' }),
        o: workspaceActions.openPathRequested({ path: '/w/runs/out-copy.ipynb' }),
      });
    });
  });
});
