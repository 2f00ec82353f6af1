/**
 * The explorer's epics: every kernel and worker call of the data explorer happens here.
 *
 * - Kernel start-up: when a kernel starts or restarts, a silent execute installs the dialect's
 *   helper (for Python: the DataFrame formatter that tags outputs with a frame id, and pandas'
 *   table schema option unless switched off in the preferences). Kernels of other languages are
 *   left alone; their dataresource outputs are explored with their own rows.
 * - Explorer sessions: from `explorerActions.opened` to `closed`, one session per explorer id
 *   owns its data sources (the output's rows, parsed here or in a worker, and the live frame in
 *   the current kernel) and answers the state's current query: count, the grid's row blocks,
 *   summary, chart data and the CSV export. Answers go into the store keyed by query, so a late
 *   one for an old view is dropped there.
 */
import { isAnyOf, type UnknownAction } from '@reduxjs/toolkit';
import type { StateObservable } from 'redux-observable';
import {
  catchError, concat, concatMap, defer, distinctUntilChanged, EMPTY, filter, finalize, groupBy, ignoreElements, map, merge, mergeMap, Observable,
  of, type OperatorFunction, shareReplay, switchMap, timer,
} from 'rxjs';
import { dialectFor, ExplorerQueryError, runExplorerStartup } from '../../src/explorer/protocol';
import { kernelsActions } from '../features/kernels/kernelsSlice';
import type { DocumentEpic, EpicDependencies } from '../store/dependencies';
import type { DocumentState } from '../store/documentState';
import type { ExplorerDataSource } from './dataSource';
import { downloadBlob } from './download';
import { explorerRowLimit, pandasTableSchemaEnabled } from './explorerPreferences';
import { BLOCK_ROWS, chartQueryOf, explorerActions, type ExplorerEntry, type ExplorerId, type ExplorerOpened, type ExplorerQuery, type SourceInfo } from './explorerSlice';
import type { ExplorerServices, LocalSource } from './explorerSources';

/** Pause in scrolling before the rows of a new range are fetched (the first screen of a view loads at once). */
export const SCROLL_SETTLE_MS = 60;

export const installExplorerHelperWhenKernelStartsEpic: DocumentEpic = (action$, _state$, { kernels }) => action$.pipe(
  filter(isAnyOf(kernelsActions.launchSucceeded, kernelsActions.restartSucceeded)),
  mergeMap((action) => {
    const kernel = action.payload;
    const dialect = dialectFor(kernel.languageInfo?.name ?? kernel.language);
    if (!dialect) return EMPTY;
    const client = kernels.acquire(kernel.id);
    return defer(() => runExplorerStartup(client, { tableSchema: pandasTableSchemaEnabled(), rowLimit: explorerRowLimit() }, dialect)).pipe(
      ignoreElements(),
      // The explorer still works on the output's rows without the helper: never fail the app for it.
      catchError(() => EMPTY),
    );
  }),
);

/**
 * The browser's services, loaded with the first explorer: parsing and the local query engine stay
 * out of the window's start-up code (the explorer's own chunk loads them anyway).
 */
const browserServices: ExplorerServices = {
  openLocal: async (resource) => (await import('./explorerSources')).browserExplorerServices.openLocal(resource),
  connectKernel: async (kernel, frameId) => (await import('./explorerSources')).browserExplorerServices.connectKernel(kernel, frameId),
  download: downloadBlob,
};

const sourceInfo = (source: ExplorerDataSource): SourceInfo => ({ kind: source.kind, columns: [...source.columns], totalRows: source.totalRows });

/** The kernel whose frames the explorers query: the notebook's. */
export const explorerKernelId = (state: DocumentState): string | undefined => state.kernels.kernelId;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Like exhaustMap, but the last value that arrived while busy runs when the current one ends: a
 * kernel answers one query at a time, so a burst of chart picks must not queue a query per pick,
 * and an answer still in flight cannot be cancelled anyway.
 */
export function latestWins<T, R>(project: (value: T) => Observable<R>): OperatorFunction<T, R> {
  return (source) => new Observable<R>((subscriber) => {
    let running = false;
    let pending: { value: T } | undefined;
    let sourceDone = false;
    const inner = new Set<{ unsubscribe(): void }>();
    const run = (value: T): void => {
      running = true;
      const sub = project(value).subscribe({
        next: (r) => subscriber.next(r),
        error: (e: unknown) => subscriber.error(e),
        complete: () => {
          inner.delete(sub);
          running = false;
          const next = pending;
          pending = undefined;
          if (next) run(next.value);
          else if (sourceDone) subscriber.complete();
        },
      });
      if (running) inner.add(sub);
    };
    const outer = source.subscribe({
      next: (value) => {
        if (running) pending = { value };
        else run(value);
      },
      error: (e: unknown) => subscriber.error(e),
      complete: () => {
        sourceDone = true;
        if (!running) subscriber.complete();
      },
    });
    return () => {
      outer.unsubscribe();
      for (const sub of inner) sub.unsubscribe();
    };
  });
}

/** Resolves like `promise`, but a value that arrives after unsubscription is handed to `drop` (a worker to stop). */
function owned<T>(promise: () => Promise<T>, drop: (value: T) => void): Observable<T> {
  return new Observable<T>((subscriber) => {
    promise().then(
      (value) => {
        if (subscriber.closed) drop(value);
        else {
          subscriber.next(value);
          subscriber.complete();
        }
      },
      (e: unknown) => subscriber.error(e),
    );
  });
}

/**
 * One open explorer: owns its sources until it closes (or reopens), and answers the query in the
 * state with whichever source it names.
 */
function explorerSession(open: ExplorerOpened, action$: Observable<UnknownAction>, state$: StateObservable<DocumentState>, deps: EpicDependencies, services: ExplorerServices): Observable<UnknownAction> {
  const { id, resource, frameId } = open;
  let local: LocalSource | undefined;
  let live: ExplorerDataSource | undefined;
  const entry = (): ExplorerEntry | undefined => state$.value.explorer.byId[id];
  const entry$ = state$.pipe(map((s) => s.explorer.byId[id]), distinctUntilChanged(), shareReplay({ bufferSize: 1, refCount: true }));
  const forId = <A extends { payload: { id: ExplorerId } }>(match: (a: UnknownAction) => a is UnknownAction & A) =>
    action$.pipe(filter(match), filter((a) => a.payload.id === id));

  /**
   * Asks the source the query names. An answer saying the live frame is gone switches the
   * explorer to the output's rows (liveLost) before the failure is reported.
   */
  const ask = <T>(query: ExplorerQuery, question: (source: ExplorerDataSource) => Promise<T>, ok: (value: T) => UnknownAction, failed: (message: string) => UnknownAction): Observable<UnknownAction> => {
    const source = query.kind === 'kernel' ? live : local?.source;
    if (!source) return EMPTY;
    return defer(() => question(source)).pipe(
      map(ok),
      catchError((e: unknown) => {
        if (e instanceof ExplorerQueryError && e.isFallback && source === live) {
          live = undefined;
          return of(explorerActions.liveLost({ id, message: e.message }), failed(e.message));
        }
        return of(failed(message(e)));
      }),
    );
  };

  const local$ = owned(() => services.openLocal(resource), (s) => s.dispose?.()).pipe(
    map((opened) => {
      local = opened;
      return explorerActions.localReady({ id, source: sourceInfo(opened.source), warnings: [...opened.warnings] });
    }),
    catchError((e: unknown) => of(explorerActions.localFailed({ id, message: message(e) }))),
  );

  // The live frame in the current kernel; a new kernel connects again.
  const live$ = frameId === null ? EMPTY : state$.pipe(
    map(explorerKernelId),
    distinctUntilChanged(),
    switchMap((kernelId) => {
      live = undefined;
      if (kernelId === undefined) return of(explorerActions.liveLost({ id, message: 'No kernel is running' }));
      const client = deps.kernels.acquire(kernelId);
      return concat(
        of(explorerActions.connecting({ id })),
        defer(() => services.connectKernel(client, frameId)).pipe(
          map((source) => {
            live = source;
            return explorerActions.liveReady({ id, source: sourceInfo(source) });
          }),
          catchError((e: unknown) => of(explorerActions.liveLost({ id, message: message(e) }))),
        ),
      );
    }),
  );

  const query$ = entry$.pipe(map((e) => e?.query ?? null), distinctUntilChanged((a, b) => a?.key === b?.key));

  // The view's count (over a kernel frame it comes with the first rows: one query).
  const count$ = query$.pipe(switchMap((q) => (q === null ? EMPTY : ask(q, (s) => s.count(q.view),
    (rows) => explorerActions.countLoaded({ id, key: q.key, rows }),
    (m) => explorerActions.countFailed({ id, key: q.key, message: m })))));

  // Row blocks for the grid's window. While the user flings through a million rows, only the
  // range where scrolling pauses is fetched: a kernel answers one query at a time, so stale pages
  // would delay the visible one.
  const loading = { key: '', blocks: new Set<number>() };
  const missing = (e: ExplorerEntry): number[] => {
    const q = e.query;
    if (!q || !e.rows.wanted || e.rows.key !== q.key) return [];
    if (loading.key !== q.key) {
      loading.key = q.key;
      loading.blocks.clear();
    }
    const out: number[] = [];
    for (let b = e.rows.wanted[0]; b <= e.rows.wanted[1]; b++) if (!(b in e.rows.blocks) && !loading.blocks.has(b)) out.push(b);
    return out;
  };
  const rows$ = forId(explorerActions.rowsWanted.match).pipe(
    switchMap(() => {
      const e = entry();
      if (!e || missing(e).length === 0) return EMPTY;
      const firstScreen = Object.keys(e.rows.blocks).length === 0 && loading.blocks.size === 0;
      return firstScreen ? of(null) : timer(SCROLL_SETTLE_MS, deps.scheduler);
    }),
    mergeMap(() => {
      const e = entry();
      const q = e?.query;
      if (!e || !q) return EMPTY;
      const blocks = missing(e);
      for (const b of blocks) loading.blocks.add(b);
      return merge(...blocks.map((b) => ask(q, (s) => s.rows(q.view, b * BLOCK_ROWS, BLOCK_ROWS),
        (rows) => explorerActions.rowBlockLoaded({ id, key: q.key, block: b, rows }),
        (m) => explorerActions.rowBlockFailed({ id, key: q.key, block: b, message: m })).pipe(
        finalize(() => { if (loading.key === q.key) loading.blocks.delete(b); }),
      )));
    }),
  );

  // The summary, while its tab shows (a new view or another tab cancels waiting for it).
  const summary$ = entry$.pipe(
    map((e) => (e?.tab === 'summary' ? e.query : null)),
    distinctUntilChanged((a, b) => a?.key === b?.key),
    switchMap((q) => {
      if (q === null) return EMPTY;
      const have = entry()?.summary;
      if (have?.key === q.key && have.columns) return EMPTY;
      return ask(q, (s) => s.summary(q.view),
        (columns) => explorerActions.summaryLoaded({ id, key: q.key, columns }),
        (m) => explorerActions.summaryFailed({ id, key: q.key, message: m }));
    }),
  );

  // Chart data while the chart tab shows; the latest pick wins.
  const chart$ = entry$.pipe(
    map(chartQueryOf),
    filter((c) => c !== null),
    distinctUntilChanged((a, b) => a.key === b.key),
    latestWins((c) => {
      if (entry()?.chartData?.key === c.key && entry()?.chartData?.data) return EMPTY;
      return ask(c.query, (s) => s.chart(c.query.view, c.request),
        (data) => explorerActions.chartLoaded({ id, key: c.key, data }),
        (m) => explorerActions.chartFailed({ id, key: c.key, message: m }));
    }),
  );

  const csv$ = forId(explorerActions.csvRequested.match).pipe(
    concatMap(() => {
      const q = entry()?.query;
      if (!q) return of(explorerActions.csvFailed({ id, message: 'The table is not ready' }));
      return ask(q, (s) => s.csv(q.view), (csv) => {
        services.download(new Blob([csv], { type: 'text/csv' }), 'data.csv');
        return explorerActions.csvFinished({ id });
      }, (m) => explorerActions.csvFailed({ id, message: m }));
    }),
  );

  return merge(local$, live$, count$, rows$, summary$, chart$, csv$).pipe(
    finalize(() => {
      local?.dispose?.();
      local = undefined;
      live = undefined;
    }),
  );
}

/**
 * Runs one session per open explorer, from `opened` to `closed`; opening the same id again
 * (a new resource) ends the old session first. `services` is for tests.
 */
export function createExplorerSessionsEpic(services: ExplorerServices = browserServices): DocumentEpic {
  return (action$, state$, deps) => action$.pipe(
    filter(isAnyOf(explorerActions.opened, explorerActions.closed)),
    groupBy((a) => a.payload.id, { duration: (group) => group.pipe(filter(explorerActions.closed.match)) }),
    mergeMap((group) => group.pipe(
      switchMap((a) => (explorerActions.opened.match(a) ? explorerSession(a.payload, action$, state$, deps, services) : EMPTY)),
    )),
  );
}

/** Registered in renderer/store/rootEpic.ts. */
export const explorerEpics: DocumentEpic[] = [installExplorerHelperWhenKernelStartsEpic, createExplorerSessionsEpic()];
