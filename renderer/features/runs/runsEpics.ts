/**
 * Runs through the host's IRunService: start (saving first when asked), cancel, run again, follow
 * every run of the open notebook (listRuns + onDidChangeRun), fold live outputs in batches, show
 * an output notebook read-only, and make an editable copy of one.
 */
import { bufferTime, catchError, defer, EMPTY, exhaustMap, filter, from, ignoreElements, map, merge, mergeMap, type Observable, of, switchMap, take, throwError } from 'rxjs';
import { isAnyOf, type UnknownAction } from '@reduxjs/toolkit';
import type { HostApi, RunInfo, RunRequest } from '../../../src/host/contract';
import { toObservable } from '../../host/toObservable';
import type { DocumentEpic } from '../../store/dependencies';
import type { DocumentState } from '../../store/documentState';
import { errorInfo } from '../../features/kernels/kernelsEpics';
import { filesActions, openSucceeded } from '../files/filesSlice';
import { workspaceActions } from '../workspace/workspaceSlice';
import { isDirty } from '../files/filesEpics';
import { isFinishedRun, runsActions } from './runsSlice';
import { DEFAULT_OUTPUT_TEMPLATE, splitNotebookPath } from './parameterForm';
import { outputCellPreviews } from './selectors';

/** Paths from the host may differ in separators; compare them loosely. */
export const samePath = (a: string | undefined, b: string | undefined): boolean =>
  !!a && !!b && a.replace(/\\/g, '/').replace(/\/+$/, '') === b.replace(/\\/g, '/').replace(/\/+$/, '');

/**
 * Starts a run; with `saveFirst` and unsaved changes in the open notebook, asks for a save and
 * starts once it succeeded. The answer becomes `ok(info)` or `fail(code, message)`. Shared by the
 * notebook's runs panel and the Runs view (renderer/features/runsView/).
 */
export function startRunAfterSave(
  { action$, state$, host }: { action$: Observable<UnknownAction>; state$: { value: DocumentState }; host: HostApi },
  request: RunRequest, saveFirst: boolean | undefined,
  ok: (info: RunInfo) => UnknownAction, fail: (error: { code: string; message: string }) => UnknownAction,
): Observable<UnknownAction> {
  const start$ = defer(() => host.runs.startRun(request)).pipe(
    map(ok),
    catchError((error: unknown) => of(fail(errorInfo(error)))),
  );
  if (!saveFirst || !isDirty(state$.value)) return start$;
  const saved$ = action$.pipe(
    filter(isAnyOf(filesActions.saveSucceeded, filesActions.saveFailed)),
    take(1),
    mergeMap((result) => (filesActions.saveSucceeded.match(result)
      ? start$
      : of(fail({ code: result.payload.code, message: `Could not save before the run: ${result.payload.message}` })))),
  );
  // Subscribe to the answer before asking, so a synchronous save result is not missed.
  return merge(saved$, of(filesActions.saveRequested({})));
}

/** Start a run; with `saveFirst` and unsaved changes, save and wait for the save before starting. */
export const startRunEpic: DocumentEpic = (action$, state$, { host }) => action$.pipe(
  filter(runsActions.startRequested.match),
  exhaustMap(({ payload: { request, saveFirst, cellPreviews } }) => startRunAfterSave(
    { action$, state$, host }, request, saveFirst,
    (info) => runsActions.startSucceeded({ info, ...(cellPreviews ? { cellPreviews } : {}) }),
    (error) => runsActions.startFailed(error),
  )),
);

/** The request that runs `run` again: the same notebook, parameters and kernel, a fresh output path. */
export function runAgainRequest(run: RunInfo): RunRequest {
  return {
    inputPath: run.inputPath, parameters: run.parameters, outputPath: DEFAULT_OUTPUT_TEMPLATE,
    ...(run.kernelName ? { kernelName: run.kernelName } : {}),
  };
}

/**
 * How to start `run` again from this window: when its notebook is the open one, save it first (the
 * run reads the file, as the dialog does) and preview its cells for the progress card.
 */
export function runAgainStart(run: RunInfo, state: DocumentState): { request: RunRequest; saveFirst: boolean; cellPreviews?: string[] } {
  const request = runAgainRequest(run);
  const { files, notebook } = state;
  if (!samePath(files.path, run.inputPath) || files.view !== 'notebook') return { request, saveFirst: false };
  const language = (notebook.metadata.language_info as { name?: string } | undefined)?.name;
  const cellPreviews = outputCellPreviews(notebook, run.parameters, run.kernelName || undefined, language);
  return { request, saveFirst: true, ...(cellPreviews ? { cellPreviews } : {}) };
}

/** Run again: the same notebook, parameters and kernel, a fresh output path. */
export const runAgainEpic: DocumentEpic = (action$, state$) => action$.pipe(
  filter(runsActions.runAgainRequested.match),
  mergeMap(({ payload: { runId } }) => {
    const run = state$.value.runs.runs[runId];
    if (!run) return of(runsActions.startFailed({ code: 'RUN_NOT_FOUND', message: `Run ${runId} is not known` }));
    return of(runsActions.startRequested(runAgainStart(run, state$.value)));
  }),
);

/** Asks the host to cancel a run; only a refusal becomes an action. */
export function cancelRun(host: HostApi, runId: string, fail: (message: string) => UnknownAction): Observable<UnknownAction> {
  return defer(() => host.runs.cancelRun(runId)).pipe(
    ignoreElements(),
    catchError((error: unknown) => of(fail(errorInfo(error).message))),
  );
}

export const cancelRunEpic: DocumentEpic = (action$, _state$, { host }) => action$.pipe(
  filter(runsActions.cancelRequested.match),
  mergeMap(({ payload: { runId } }) => cancelRun(host, runId, (message) => runsActions.cancelFailed({ runId, message }))),
);

/** The runs of a notebook: listed when it opens and on request. */
export const listRunsEpic: DocumentEpic = (action$, state$, { host }) => action$.pipe(
  filter(isAnyOf(openSucceeded, runsActions.listRequested)),
  switchMap((action) => {
    const inputPath = openSucceeded.match(action) ? action.payload.path : state$.value.runs.inputPath;
    if (!inputPath) return EMPTY;
    return defer(() => host.runs.listRuns({ inputPath })).pipe(
      map((runs) => runsActions.runsListed({ inputPath, runs })),
      catchError((error: unknown) => of(runsActions.listFailed({ message: errorInfo(error).message }))),
    );
  }),
);

/** While a notebook is open: every change to its runs (and to runs this window follows). */
export const followRunChangesEpic: DocumentEpic = (action$, state$, { host }) => action$.pipe(
  filter(openSucceeded.match),
  take(1),
  switchMap(() => toObservable(host.runs.onDidChangeRun)),
  filter((info: RunInfo) => samePath(info.inputPath, state$.value.runs.inputPath) || info.runId in state$.value.runs.runs),
  map((info) => runsActions.runChanged(info)),
);

/** Live outputs of known runs, folded into the store in batches (a flood costs one render per batch). */
export const runOutputsEpic: DocumentEpic = (action$, state$, { host, scheduler, outputBatchMs }) => action$.pipe(
  filter(openSucceeded.match),
  take(1),
  switchMap(() => toObservable(host.runs.onDidRunOutput)),
  filter((event) => event.runId in state$.value.runs.runs),
  bufferTime(outputBatchMs ?? 50, scheduler),
  filter((events) => events.length > 0),
  map((events) => runsActions.runOutputsReceived(events)),
);

/** Reads an output notebook for the read-only view (never into the editor, so it is never saved). */
export const openRunOutputEpic: DocumentEpic = (action$, state$, { host }) => action$.pipe(
  filter(runsActions.outputOpenRequested.match),
  filter(() => state$.value.runs.viewer?.loading === true),
  switchMap(({ payload: { path } }) => defer(() => host.files.readNotebook(path)).pipe(
    map((doc) => runsActions.outputLoaded({ path, notebook: doc.notebook })),
    catchError((error: unknown) => of(runsActions.outputLoadFailed({ path, message: errorInfo(error).message }))),
  )),
);

/** The output notebook on show belongs to a run that just ended: read its final state. */
export const reloadOutputWhenRunEndsEpic: DocumentEpic = (action$, state$) => action$.pipe(
  filter(runsActions.runChanged.match),
  filter(({ payload: run }) => isFinishedRun(run) && state$.value.runs.viewer?.runId === run.runId && samePath(state$.value.runs.viewer.path, run.outputPath)),
  map(({ payload: run }) => runsActions.outputOpenRequested({ path: run.outputPath, runId: run.runId, focusFailed: state$.value.runs.viewer?.focusFailed })),
);

/** `dir/out.ipynb` → `dir/out-copy.ipynb`, `dir/out-copy2.ipynb`, … */
export function copyPath(path: string, n: number): string {
  const { dir, notebook } = splitNotebookPath(path);
  return `${dir ? `${dir}/` : ''}${notebook}-copy${n === 1 ? '' : n}.ipynb`;
}

/**
 * Writes a copy of an output notebook next to it (`-copy`, `-copy2`, …: never over an existing
 * file) and emits the copy's path. Shared by the runs panel and the Runs view.
 */
export function writeEditableCopy(host: HostApi, path: string): Observable<string> {
  return defer(() => host.files.readNotebook(path)).pipe(
    mergeMap((doc) => {
      const tryWrite = (n: number): Observable<string> => defer(() => host.files.writeNotebook(copyPath(path, n), doc.notebook, { overwrite: false })).pipe(
        map(() => copyPath(path, n)),
        catchError((error: unknown) => (errorInfo(error).code === 'FILE_EXISTS' && n < 100 ? tryWrite(n + 1) : throwError(() => error))),
      );
      return tryWrite(1);
    }),
  );
}

/** Writes a copy next to the output notebook (never over an existing file) and opens it for editing in a new tab. */
export const openEditableCopyEpic: DocumentEpic = (action$, state$, { host }) => action$.pipe(
  filter(runsActions.editableCopyRequested.match),
  exhaustMap(({ payload: { path } }) => writeEditableCopy(host, path).pipe(
    mergeMap((target) => {
      // The copy opens in a tab of its own; this notebook stays open as it is.
      return from<UnknownAction[]>([runsActions.viewerClosed(), workspaceActions.openPathRequested({ path: target })]);
    }),
    catchError((error: unknown) => of(runsActions.editableCopyFailed({ message: errorInfo(error).message }))),
  )),
);

export const runsEpics: DocumentEpic[] = [
  startRunEpic, runAgainEpic, cancelRunEpic, listRunsEpic, followRunChangesEpic, runOutputsEpic, openRunOutputEpic, reloadOutputWhenRunEndsEpic, openEditableCopyEpic,
];
