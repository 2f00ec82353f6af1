/**
 * Runs through the host's IRunService: start (saving first when asked), cancel, run again, follow
 * every run of the open notebook (listRuns + onDidChangeRun), fold live outputs in batches, show
 * an output notebook read-only, and make an editable copy of one.
 */
import { bufferTime, catchError, defer, EMPTY, exhaustMap, filter, from, ignoreElements, map, merge, mergeMap, type Observable, of, switchMap, take, throwError } from 'rxjs';
import { isAnyOf, type UnknownAction } from '@reduxjs/toolkit';
import type { RunInfo, RunRequest } from '../../../src/host/contract';
import { toObservable } from '../../host/toObservable';
import type { DocumentEpic } from '../../store/dependencies';
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

/** Start a run; with `saveFirst` and unsaved changes, save and wait for the save before starting. */
export const startRunEpic: DocumentEpic = (action$, state$, { host }) => action$.pipe(
  filter(runsActions.startRequested.match),
  exhaustMap(({ payload: { request, saveFirst, cellPreviews } }) => {
    const start$ = defer(() => host.runs.startRun(request)).pipe(
      map((info) => runsActions.startSucceeded({ info, ...(cellPreviews ? { cellPreviews } : {}) })),
      catchError((error: unknown) => of(runsActions.startFailed(errorInfo(error)))),
    );
    if (!saveFirst || !isDirty(state$.value)) return start$;
    const saved$ = action$.pipe(
      filter(isAnyOf(filesActions.saveSucceeded, filesActions.saveFailed)),
      take(1),
      mergeMap((result) => (filesActions.saveSucceeded.match(result)
        ? start$
        : of(runsActions.startFailed({ code: result.payload.code, message: `Could not save before the run: ${result.payload.message}` })))),
    );
    // Subscribe to the answer before asking, so a synchronous save result is not missed.
    return merge(saved$, of(filesActions.saveRequested({})));
  }),
);

/** Run again: the same notebook, parameters and kernel, a fresh output path. */
export const runAgainEpic: DocumentEpic = (action$, state$) => action$.pipe(
  filter(runsActions.runAgainRequested.match),
  mergeMap(({ payload: { runId } }) => {
    const run = state$.value.runs.runs[runId];
    if (!run) return of(runsActions.startFailed({ code: 'RUN_NOT_FOUND', message: `Run ${runId} is not known` }));
    const request: RunRequest = {
      inputPath: run.inputPath, parameters: run.parameters, outputPath: DEFAULT_OUTPUT_TEMPLATE,
      ...(run.kernelName ? { kernelName: run.kernelName } : {}),
    };
    // The open notebook is the input: save it first (as the dialog does) and preview its cells.
    const { files, notebook } = state$.value;
    if (!samePath(files.path, run.inputPath) || files.view !== 'notebook') return of(runsActions.startRequested({ request, saveFirst: false }));
    const language = (notebook.metadata.language_info as { name?: string } | undefined)?.name;
    const cellPreviews = outputCellPreviews(notebook, run.parameters, run.kernelName || undefined, language);
    return of(runsActions.startRequested({ request, saveFirst: true, ...(cellPreviews ? { cellPreviews } : {}) }));
  }),
);

export const cancelRunEpic: DocumentEpic = (action$, _state$, { host }) => action$.pipe(
  filter(runsActions.cancelRequested.match),
  mergeMap(({ payload: { runId } }) => defer(() => host.runs.cancelRun(runId)).pipe(
    ignoreElements(),
    catchError((error: unknown) => of(runsActions.cancelFailed({ runId, message: errorInfo(error).message }))),
  )),
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

/** Writes a copy next to the output notebook (never over an existing file) and opens it for editing in a new tab. */
export const openEditableCopyEpic: DocumentEpic = (action$, state$, { host }) => action$.pipe(
  filter(runsActions.editableCopyRequested.match),
  exhaustMap(({ payload: { path } }) => defer(() => host.files.readNotebook(path)).pipe(
    mergeMap((doc) => {
      const tryWrite = (n: number): Observable<string> => defer(() => host.files.writeNotebook(copyPath(path, n), doc.notebook, { overwrite: false })).pipe(
        map(() => copyPath(path, n)),
        catchError((error: unknown) => (errorInfo(error).code === 'FILE_EXISTS' && n < 100 ? tryWrite(n + 1) : throwError(() => error))),
      );
      return tryWrite(1);
    }),
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
