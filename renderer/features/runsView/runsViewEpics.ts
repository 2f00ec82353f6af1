/**
 * The Runs view's effects, through the host's IRunService: list every run when the view opens and
 * on Refresh, follow every change (onDidChangeRun: this host's runs and, through the run index,
 * `quire run` in terminals), and the row actions: run again, cancel, editable copy. Starting,
 * cancelling and copying are the runs panel's own helpers (features/runs/runsEpics.ts).
 *
 * Opening a notebook is an intent, `runsViewActions.openPathRequested`, for the workspace to route.
 * Until it does, `openPathInEditorEpic` opens it in the one editor of the window.
 */
import { catchError, defer, filter, from, map, mergeMap, of, switchMap, take } from 'rxjs';
import type { UnknownAction } from '@reduxjs/toolkit';
import type { RunInfo } from '../../../src/host/contract';
import { toObservable } from '../../host/toObservable';
import type { AppEpic } from '../../store/dependencies';
import { errorInfo } from '../../features/kernels/kernelsEpics';
import { cancelRun, openInEditor, runAgainStart, startRunAfterSave, writeEditableCopy } from '../runs/runsEpics';
import { runsActions } from '../runs/runsSlice';
import { uiActions } from '../ui/uiSlice';
import { runsViewActions } from './runsViewSlice';

/** Opening the view lists every run again (what it shows may be stale: the index grew meanwhile). */
export const loadOnOpenEpic: AppEpic = (action$) => action$.pipe(
  filter(uiActions.panelOpened.match),
  filter(({ payload }) => payload === 'runs'),
  map(() => runsViewActions.listRequested()),
);

/** Every run the host knows, unfiltered (the browser host keeps it to its folder). A newer request wins. */
export const listAllRunsEpic: AppEpic = (action$, _state$, { host }) => action$.pipe(
  filter(runsViewActions.listRequested.match),
  switchMap(() => defer(() => host.runs.listRuns()).pipe(
    map((runs) => runsViewActions.runsListed({ runs })),
    catchError((error: unknown) => of(runsViewActions.listFailed({ message: errorInfo(error).message }))),
  )),
);

/** From the first listing on, every change of every run (also while the view is closed: it reopens current). */
export const followAllRunsEpic: AppEpic = (action$, _state$, { host }) => action$.pipe(
  filter(runsViewActions.listRequested.match),
  take(1),
  switchMap(() => toObservable(host.runs.onDidChangeRun)),
  map((info: RunInfo) => runsViewActions.runChanged(info)),
);

/** Run again: the same notebook, parameters and kernel; the open notebook is saved first, as the panel does. */
export const runAgainFromViewEpic: AppEpic = (action$, state$, { host }) => action$.pipe(
  filter(runsViewActions.runAgainRequested.match),
  mergeMap(({ payload: { runId } }) => {
    const run = state$.value.runsView.runs[runId];
    if (!run) return of(runsViewActions.actionFailed({ runId, message: `Run ${runId} is not known` }));
    const { request, saveFirst } = runAgainStart(run, state$.value);
    return startRunAfterSave(
      { action$, state$, host }, request, saveFirst,
      (info) => runsViewActions.runAgainStarted({ info }),
      ({ message }) => runsViewActions.actionFailed({ runId, message: `Could not run ${runId} again: ${message}` }),
    );
  }),
);

/** Cancel: this host's runs, and a terminal's `quire run` on this machine (the host sends it SIGTERM). */
export const cancelFromViewEpic: AppEpic = (action$, _state$, { host }) => action$.pipe(
  filter(runsViewActions.cancelRequested.match),
  mergeMap(({ payload: { runId } }) => cancelRun(host, runId, (message) => runsViewActions.actionFailed({ runId, message: `Could not cancel: ${message}` }))),
);

/** Writes an editable copy next to the run's output notebook, then asks for it to be opened. */
export const editableCopyFromViewEpic: AppEpic = (action$, state$, { host }) => action$.pipe(
  filter(runsViewActions.editableCopyRequested.match),
  mergeMap(({ payload: { runId } }) => {
    const run = state$.value.runsView.runs[runId];
    if (!run) return of(runsViewActions.actionFailed({ runId, message: `Run ${runId} is not known` }));
    return writeEditableCopy(host, run.outputPath).pipe(
      map((path) => runsViewActions.openPathRequested({ path })),
      catchError((error: unknown) => of(runsViewActions.actionFailed({ runId, message: `Could not make an editable copy: ${errorInfo(error).message}` }))),
    );
  }),
);

/**
 * Stand-in routing until the workspace opens documents itself (drop it then): the view closes; a
 * run's record opens in the read-only output view over the open notebook, anything else in the editor.
 */
export const openPathInEditorEpic: AppEpic = (action$, state$) => action$.pipe(
  filter(runsViewActions.openPathRequested.match),
  mergeMap(({ payload: { path, readOnly, runId } }) => {
    const close = uiActions.panelOpened('none');
    const opens: UnknownAction[] = readOnly && state$.value.files.view === 'notebook'
      ? [runsActions.outputOpenRequested({ path, ...(runId ? { runId } : {}) })]
      : openInEditor(state$.value, path);
    return from<UnknownAction[]>([close, ...opens]);
  }),
);

export const runsViewEpics: AppEpic[] = [
  loadOnOpenEpic, listAllRunsEpic, followAllRunsEpic, runAgainFromViewEpic, cancelFromViewEpic, editableCopyFromViewEpic, openPathInEditorEpic,
];
