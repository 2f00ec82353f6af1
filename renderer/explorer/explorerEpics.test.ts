import type { UnknownAction } from '@reduxjs/toolkit';
import { lastValueFrom, Observable, of, Subject, toArray } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { StateObservable } from 'redux-observable';
import { afterEach, describe, expect, it } from 'vitest';
import { ExplorerQueryError } from '../../src/explorer/protocol';
import type { ExplorerColumn } from '../../src/explorer/types';
import type { RunningKernel } from '../../src/host/contract';
import type { KernelClient } from '../../src/jupyter/kernelClient';
import type { BaseMessage } from '../../src/jupyter/messages';
import { KernelRegistry } from '../features/kernels/kernelRegistry';
import { kernelsActions } from '../features/kernels/kernelsSlice';
import type { DocumentEpic, EpicDependencies } from '../store/dependencies';
import { documentStateReducer as rootReducer, type DocumentState } from '../store/documentState';
import { buildScheduler } from '../testing/buildScheduler';
import type { ExplorerDataSource } from './dataSource';
import { createExplorerSessionsEpic, installExplorerHelperWhenKernelStartsEpic, latestWins, SCROLL_SETTLE_MS } from './explorerEpics';
import { explorerActions } from './explorerSlice';
import type { ExplorerServices } from './explorerSources';
import { setPandasTableSchemaEnabled } from './explorerPreferences';
import { changeSettings, resetSettingsBridge } from '../features/settings/settingsBridge';

const kernel = (language: string): RunningKernel => ({ id: `k-${language}`, specName: language, displayName: language, language, cwd: '/', status: 'idle', startedAt: '' });

async function runEpic(actions: UnknownAction[]): Promise<{ code: string; options: Record<string, unknown> }[]> {
  const executed: { code: string; options: Record<string, unknown> }[] = [];
  const client = {
    execute: (code: string, options: Record<string, unknown>) => {
      executed.push({ code, options });
      return of({ header: { msg_type: 'execute_reply' }, content: { status: 'ok' } } as unknown as BaseMessage);
    },
  };
  const deps = { kernels: { acquire: () => client } } as unknown as EpicDependencies;
  const state$ = new StateObservable<DocumentState>(new Subject(), {} as DocumentState);
  const out = await lastValueFrom(installExplorerHelperWhenKernelStartsEpic(of(...actions), state$, deps).pipe(toArray()));
  expect(out).toEqual([]);
  return executed;
}

afterEach(() => resetSettingsBridge());

describe('installExplorerHelperWhenKernelStartsEpic', () => {
  it('installs the helper silently in Python kernels on start and restart', async () => {
    const runs = await runEpic([kernelsActions.launchSucceeded(kernel('python')), kernelsActions.restartSucceeded(kernel('python'))]);
    expect(runs).toHaveLength(2);
    expect(runs[0].options).toMatchObject({ silent: true, store_history: false });
    expect(runs[0].code).toContain('return mod.install(True, 0)');
  });
  it('leaves other languages alone and honours the preference', async () => {
    expect(await runEpic([kernelsActions.launchSucceeded(kernel('R'))])).toEqual([]);
    setPandasTableSchemaEnabled(false);
    const [run] = await runEpic([kernelsActions.launchSucceeded(kernel('python'))]);
    expect(run.code).toContain('return mod.install(False, 0)');
  });
  it('passes the explorer row limit setting to the helper', async () => {
    changeSettings({ 'explorer.rowLimit': 25 });
    const [run] = await runEpic([kernelsActions.launchSucceeded(kernel('python'))]);
    expect(run.code).toContain('return mod.install(True, 25)');
  });
});

/**
 * A promise-like that settles when a cold observable completes, in the TestScheduler's virtual
 * time (a real Promise would settle in a microtask, outside it). rxjs's `from` only calls `then`.
 */
function later<T>(source: Observable<T>): Promise<T> {
  return {
    then(ok?: (value: T) => void, fail?: (error: unknown) => void) {
      let last: T;
      source.subscribe({ next: (v) => { last = v; }, error: (e: unknown) => fail?.(e), complete: () => ok?.(last) });
      return { then() { /* rxjs chains an error reporter here */ } };
    },
  } as unknown as Promise<T>;
}

/**
 * Runs `epic` as the store would: each action it emits goes through rootReducer, then back into
 * action$. Emits what the epic dispatches.
 */
function loop(epic: DocumentEpic, input$: Observable<UnknownAction>, deps: EpicDependencies, initial: DocumentState): Observable<UnknownAction> {
  return new Observable<UnknownAction>((subscriber) => {
    const actions = new Subject<UnknownAction>();
    const stateIn = new Subject<DocumentState>();
    const state$ = new StateObservable<DocumentState>(stateIn, initial);
    let state = initial;
    const queue: UnknownAction[] = [];
    let busy = false;
    const dispatch = (action: UnknownAction) => {
      queue.push(action);
      if (busy) return;
      busy = true;
      while (queue.length) {
        const next = queue.shift()!;
        state = rootReducer(state, next);
        stateIn.next(state);
        actions.next(next);
      }
      busy = false;
    };
    const out = epic(actions, state$, deps).subscribe((a) => { subscriber.next(a); dispatch(a); });
    const input = input$.subscribe(dispatch);
    return () => { input.unsubscribe(); out.unsubscribe(); };
  });
}

const columns: ExplorerColumn[] = [{ index: 0, name: 'n', label: 'n', type: 'quantitative' }, { index: 1, name: 's', label: 's', type: 'nominal' }];

/** A data source whose answers settle `delay` frames after each question, recording the questions. */
function fakeSource(sched: TestScheduler, kind: 'local' | 'kernel', answer: { count?: () => Promise<number> } = {}): ExplorerDataSource & { asked: string[] } {
  const asked: string[] = [];
  const soon = <T,>(value: T): Promise<T> => later(sched.createColdObservable('-(a|)', { a: value }));
  return {
    kind, columns, totalRows: kind === 'local' ? 60 : 1_000_000, asked,
    count: (v) => { asked.push(`count ${JSON.stringify(v.sort)}`); return answer.count ? answer.count() : soon(60); },
    rows: (_v, offset, limit) => { asked.push(`rows ${offset} ${limit}`); return soon([[offset, 'r']]); },
    summary: () => soon([]),
    chart: () => soon({ rows: [], totalRows: 60 }),
    csv: () => soon('n,s\n'),
  };
}

const typeAt = (sched: TestScheduler, log: string[]) => (a: UnknownAction) => log.push(`${sched.now()} ${a.type.replace('explorer/', '')}`);
const explorerDeps = (sched: TestScheduler, kernels?: KernelRegistry): EpicDependencies =>
  ({ scheduler: sched, kernels: kernels ?? new KernelRegistry(() => { throw new Error('no kernel'); }) }) as unknown as EpicDependencies;
const initialState = (): DocumentState => rootReducer(undefined, { type: 'init' });
const openAction = (frameId: string | null = null) => explorerActions.opened({ id: 'c/0', resource: { data: [] }, frameId });

describe('latestWins', () => {
  it('runs the first value, keeps only the last that arrives meanwhile, and runs it next', () => {
    const sched = buildScheduler();
    sched.run(({ hot, cold, expectObservable }) => {
      const source = hot('a-b-c---------d');
      expectObservable(source.pipe(latestWins((v) => cold('----x|', { x: v.toUpperCase() })))).toBe('----A----C--------D', { A: 'A', C: 'C', D: 'D' });
    });
  });
});

describe('explorer sessions', () => {
  it('opens the output rows, counts, and loads the first screen at once and later ranges where scrolling pauses', () => {
    const sched = buildScheduler();
    const log: string[] = [];
    let source!: ReturnType<typeof fakeSource>;
    sched.run(({ hot, cold }) => {
      source = fakeSource(sched, 'local');
      const services: ExplorerServices = {
        openLocal: () => later(cold('-(a|)', { a: { source, warnings: [] } })),
        connectKernel: () => Promise.reject(new Error('unused')),
        download: () => undefined,
      };
      const want = (first: number) => explorerActions.rowsWanted({ id: 'c/0', first, last: first + 40 });
      // Opened at 0; the grid asks for rows 0-40 at 5, then scrolls at 10 and 20 (pausing after 20).
      const input$ = hot<UnknownAction>('o 4ms a 4ms b 9ms c', { o: openAction(), a: want(0), b: want(250), c: want(400) });
      loop(createExplorerSessionsEpic(services), input$, explorerDeps(sched), initialState()).subscribe(typeAt(sched, log));
    });
    expect(log).toEqual(['1 localReady', '2 countLoaded', '6 rowBlockLoaded', `${20 + SCROLL_SETTLE_MS + 1} rowBlockLoaded`]);
    expect(source.asked).toEqual(['count []', 'rows 0 100', 'rows 400 100']);
  });

  it('explores the live frame in the current kernel, and the output rows once the frame is gone', () => {
    const sched = buildScheduler();
    const log: string[] = [];
    const client = { id: 'client' };
    const connected: unknown[] = [];
    let liveSource!: ReturnType<typeof fakeSource>;
    sched.run(({ hot, cold }) => {
      const localSource = fakeSource(sched, 'local');
      liveSource = fakeSource(sched, 'kernel', { count: () => later(cold('-#', undefined, new ExplorerQueryError('FRAME_GONE', 'The dataframe is no longer in the kernel.'))) });
      const services: ExplorerServices = {
        openLocal: () => later(cold('-(a|)', { a: { source: localSource, warnings: [] } })),
        connectKernel: (kernel, frame) => { connected.push([kernel, frame]); return later(cold('---(a|)', { a: liveSource })); },
        download: () => undefined,
      };
      const kernels = new KernelRegistry(() => client as unknown as KernelClient);
      const running = rootReducer(initialState(), kernelsActions.launchSucceeded(kernel('python')));
      loop(createExplorerSessionsEpic(services), hot<UnknownAction>('o', { o: openAction('frame-1') }), explorerDeps(sched, kernels), running).subscribe(typeAt(sched, log));
    });
    expect(connected).toEqual([[client, 'frame-1']]);
    // The live count fails with FRAME_GONE: the explorer falls back and counts the output rows (the
    // failure belonged to the old query: the new one replaced it before it was reported).
    expect(log).toEqual(['0 connecting', '1 localReady', '2 countLoaded', '3 liveReady', '4 liveLost', '5 countLoaded']);
    expect(liveSource.asked).toEqual(['count []']);
  });

  it('says no kernel is running when the output names a frame but there is none', () => {
    const sched = buildScheduler();
    const log: string[] = [];
    sched.run(({ hot, cold }) => {
      const services: ExplorerServices = {
        openLocal: () => later(cold('-(a|)', { a: { source: fakeSource(sched, 'local'), warnings: [] } })),
        connectKernel: () => Promise.reject(new Error('unused')),
        download: () => undefined,
      };
      loop(createExplorerSessionsEpic(services), hot<UnknownAction>('o', { o: openAction('frame-1') }), explorerDeps(sched), initialState()).subscribe((a) => {
        typeAt(sched, log)(a);
        if (explorerActions.liveLost.match(a)) log.push(a.payload.message);
      });
    });
    expect(log.slice(0, 2)).toEqual(['0 liveLost', 'No kernel is running']);
  });

  it('stops the worker when the explorer closes, even one that starts after it closed', () => {
    const sched = buildScheduler();
    const disposed: string[] = [];
    sched.run(({ hot, cold }) => {
      let n = 0;
      const services: ExplorerServices = {
        openLocal: () => {
          const name = `worker ${++n}`;
          return later(cold(n === 1 ? '-(a|)' : '-----(a|)', { a: { source: fakeSource(sched, 'local'), warnings: [], dispose: () => disposed.push(`${name} at ${sched.now()}`) } }));
        },
        connectKernel: () => Promise.reject(new Error('unused')),
        download: () => undefined,
      };
      const input$ = hot<UnknownAction>('o 9ms c 9ms o c', { o: openAction(), c: explorerActions.closed({ id: 'c/0' }) });
      loop(createExplorerSessionsEpic(services), input$, explorerDeps(sched), initialState()).subscribe();
    });
    expect(disposed).toEqual(['worker 1 at 10', 'worker 2 at 25']);
  });

  it('exports the view as CSV through the download service', () => {
    const sched = buildScheduler();
    const log: string[] = [];
    const files: string[] = [];
    sched.run(({ hot, cold }) => {
      const services: ExplorerServices = {
        openLocal: () => later(cold('-(a|)', { a: { source: fakeSource(sched, 'local'), warnings: [] } })),
        connectKernel: () => Promise.reject(new Error('unused')),
        download: (_blob, name) => files.push(name),
      };
      const input$ = hot<UnknownAction>('o 4ms e', { o: openAction(), e: explorerActions.csvRequested({ id: 'c/0' }) });
      loop(createExplorerSessionsEpic(services), input$, explorerDeps(sched), initialState()).subscribe(typeAt(sched, log));
    });
    expect(log).toContain('6 csvFinished');
    expect(files).toEqual(['data.csv']);
  });
});
