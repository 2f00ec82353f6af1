/**
 * The Runs view's effects, through the host's IRunService: list every run when the view opens and
 * on Refresh, follow every change (onDidChangeRun: this host's runs and, through the run index,
 * `quire run` in terminals), and the row actions: run again, cancel, editable copy. Starting,
 * cancelling and copying are the runs panel's own helpers (features/runs/runsEpics.ts).
 *
 * Opening a notebook is an intent, `runsViewActions.openPathRequested`: `openFromViewEpic` shows a
 * run's record in the active tab's read-only run viewer, and anything else in a tab of its own.
 *
 * These are the window's epics (one Runs view per window); in unit tests they run over one
 * document's state, which then is the document of every notebook.
 */
import { catchError, defer, filter, from, map, mergeMap, of, switchMap, take } from 'rxjs';
import type { UnknownAction } from '@reduxjs/toolkit';
import type { RunInfo } from '../../../src/host/contract';
import { toObservable } from '../../host/toObservable';
import type { Epic } from 'redux-observable';
import type { EpicDependencies } from '../../store/dependencies';
import { documentRemoved$, documentScope } from '../../store/documentEpics';
import { documentView, forDocument, type DocumentState } from '../../store/documentState';
import { NO_DOCUMENT } from '../../store/documentStore';
import type { AppState } from '../../store/rootReducer';
import { documentShowing } from '../workspace/workspaceEpics';
import { workspaceActions } from '../workspace/workspaceSlice';
import { errorInfo } from '../../features/kernels/kernelsEpics';
import { cancelRun, runAgainStart, startRunAfterSave, writeEditableCopy } from '../runs/runsEpics';
import { runsActions } from '../runs/runsSlice';
import { uiActions } from '../ui/uiSlice';
import { runsViewActions } from './runsViewSlice';

type RunsViewEpic = Epic<UnknownAction, UnknownAction, AppState | DocumentState, EpicDependencies>;

const isWindowState = (state: AppState | DocumentState): state is AppState => 'documents' in state && 'workspace' in state;

/** Opening the view lists every run again (what it shows may be stale: the index grew meanwhile). */
export const loadOnOpenEpic: RunsViewEpic = (action$) => action$.pipe(
  filter(uiActions.panelOpened.match),
  filter(({ payload }) => payload === 'runs'),
  map(() => runsViewActions.listRequested()),
);

/** Every run the host knows, unfiltered (the browser host keeps it to its folder). A newer request wins. */
export const listAllRunsEpic: RunsViewEpic = (action$, _state$, { host }) => action$.pipe(
  filter(runsViewActions.listRequested.match),
  switchMap(() => defer(() => host.runs.listRuns()).pipe(
    map((runs) => runsViewActions.runsListed({ runs })),
    catchError((error: unknown) => of(runsViewActions.listFailed({ message: errorInfo(error).message }))),
  )),
);

/** From the first listing on, every change of every run (also while the view is closed: it reopens current). */
export const followAllRunsEpic: RunsViewEpic = (action$, _state$, { host }) => action$.pipe(
  filter(runsViewActions.listRequested.match),
  take(1),
  switchMap(() => toObservable(host.runs.onDidChangeRun)),
  map((info: RunInfo) => runsViewActions.runChanged(info)),
);

/** Run again: the same notebook, parameters and kernel; its tab's unsaved edits are saved first, as the panel does. */
export const runAgainFromViewEpic: RunsViewEpic = (action$, state$, { host }) => action$.pipe(
  filter(runsViewActions.runAgainRequested.match),
  mergeMap(({ payload: { runId } }) => {
    const run = state$.value.runsView.runs[runId];
    if (!run) return of(runsViewActions.actionFailed({ runId, message: `Run ${runId} is not known` }));
    const ok = (info: RunInfo) => runsViewActions.runAgainStarted({ info });
    const fail = ({ message }: { message: string }) => runsViewActions.actionFailed({ runId, message: `Could not run ${runId} again: ${message}` });
    const state = state$.value;
    if (!isWindowState(state)) {
      const { request, saveFirst } = runAgainStart(run, state);
      return startRunAfterSave({ action$, state$: state$ as { value: DocumentState }, host }, request, saveFirst, ok, fail);
    }
    // The run's notebook, when a tab shows it: that document saves first.
    const id = documentShowing(state, run.inputPath);
    const scope = id === undefined ? undefined : documentScope(action$, state$ as never, id, documentRemoved$(action$, id));
    const { request, saveFirst } = runAgainStart(run, scope?.state$.value ?? NO_DOCUMENT);
    return startRunAfterSave({ action$: scope?.action$ ?? action$, state$: scope?.state$ ?? { value: NO_DOCUMENT }, host }, request, saveFirst, ok, fail).pipe(
      map((action) => (id !== undefined && action.type.startsWith('files/') ? forDocument(action, id) : action)),
    );
  }),
);

/** Cancel: this host's runs, and a terminal's `quire run` on this machine (the host sends it SIGTERM). */
export const cancelFromViewEpic: RunsViewEpic = (action$, _state$, { host }) => action$.pipe(
  filter(runsViewActions.cancelRequested.match),
  mergeMap(({ payload: { runId } }) => cancelRun(host, runId, (message) => runsViewActions.actionFailed({ runId, message: `Could not cancel: ${message}` }))),
);

/** Writes an editable copy next to the run's output notebook, then asks for it to be opened. */
export const editableCopyFromViewEpic: RunsViewEpic = (action$, state$, { host }) => action$.pipe(
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
 * A notebook from the view: a run's record opens read-only in the active tab's run viewer (over
 * whatever it shows), anything else (an editable copy, a run's input) in a tab of its own.
 */
export const openFromViewEpic: RunsViewEpic = (action$, state$) => action$.pipe(
  filter(runsViewActions.openPathRequested.match),
  mergeMap(({ payload: { path, readOnly, runId } }) => {
    const state = state$.value;
    const activeId = isWindowState(state) ? state.workspace.activeId : undefined;
    const active = isWindowState(state) ? (activeId !== undefined ? documentView(state, activeId) : undefined) : state;
    const inActive = (action: UnknownAction): UnknownAction => (activeId !== undefined ? forDocument(action, activeId) : action);
    const close = inActive(uiActions.panelOpened('none'));
    // A record is never opened for editing: it shows in the active tab's read-only run viewer.
    if (readOnly && active) return from<UnknownAction[]>([close, inActive(runsActions.outputOpenRequested({ path, ...(runId ? { runId } : {}) }))]);
    return from<UnknownAction[]>([close, workspaceActions.openPathRequested({ path })]);
  }),
);

export const runsViewEpics: RunsViewEpic[] = [
  loadOnOpenEpic, listAllRunsEpic, followAllRunsEpic, runAgainFromViewEpic, cancelFromViewEpic, editableCopyFromViewEpic, openFromViewEpic,
];
