/**
 * Tabs over documents: opening a path shows its tab when it is open (one document per file, never
 * two writers) and otherwise opens it in a new tab; a new notebook gets a tab of its own; closing
 * a tab asks first when the notebook has unsaved edits or runs still going, shuts its kernel down
 * and lets the runs go on in the host. When the host announces its shutdown every document saves
 * before the page lets it go.
 */
import { catchError, concat, defer, EMPTY, filter, ignoreElements, merge, mergeMap, type Observable, of, switchMap } from 'rxjs';
import type { UnknownAction } from '@reduxjs/toolkit';
import type { HostApi } from '../../../src/host/contract';
import type { Notebook } from '../../../src/jupyter/nbformat';
import { toObservable } from '../../host/toObservable';
import type { AppEpic, EpicDependencies } from '../../store/dependencies';
import { documentRemoved$, documentScope } from '../../store/documentEpics';
import { documentView, forDocument, type DocumentId, type DocumentState } from '../../store/documentState';
import type { AppState } from '../../store/rootReducer';
import { errorInfo } from '../../features/kernels/kernelsEpics';
import { filesActions } from '../files/filesSlice';
import { afterFlush, isDirty } from '../files/flushEdits';
import { newCellId } from '../notebook/cellIds';
import { workspaceActions } from './workspaceSlice';

const ACTIVE_RUN = new Set(['queued', 'starting', 'running']);

const fileName = (path: string) => path.replace(/^.*[\\/]/, '') || path;

/** The open document showing `path` (a notebook or a folder), if any. */
export function documentShowing(state: AppState, path: string): DocumentId | undefined {
  return state.workspace.order.find((id) => {
    const files = state.documents[id]?.files;
    return files !== undefined && (files.view === 'loading' ? files.loadingPath === path
      : files.path === path || (files.view === 'folder' && files.folder?.path === path));
  });
}

/** A document that shows no notebook (a folder, an error, nothing yet) can take the next open in place. */
function replaceable(document: DocumentState | undefined): boolean {
  return document !== undefined && document.files.view !== 'notebook' && document.files.view !== 'loading' && !isDirty(document);
}

/** Runs of the document's notebook that are still queued or running on the host. */
export function activeRunsOf(document: DocumentState): string[] {
  const path = document.files.path;
  if (!path) return [];
  return Object.values(document.runs.runs).filter((run) => run.inputPath === path && ACTIVE_RUN.has(run.status)).map((run) => run.runId);
}

/** Actions that open `path` in a document of its own, after the workspace description it needs. */
function openInNewTab(state: AppState, path: string): UnknownAction[] {
  const active = state.workspace.activeId;
  const added = workspaceActions.documentAdded({ activate: true, ...(active ? { after: active } : {}) });
  const workspace = (active ? state.documents[active] : undefined)?.files.workspace
    ?? Object.values(state.documents).find((d) => d.files.workspace)?.files.workspace;
  return [
    added,
    ...(workspace ? [forDocument(filesActions.workspaceLoaded(workspace), added.payload.id)] : []),
    forDocument(filesActions.openRequested({ path }), added.payload.id),
  ];
}

export const openPathEpic: AppEpic = (action$, state$) => action$.pipe(
  filter(workspaceActions.openPathRequested.match),
  mergeMap(({ payload: { path } }) => {
    const state = state$.value;
    const showing = documentShowing(state, path);
    if (showing) return of(workspaceActions.documentActivated(showing));
    const active = state.workspace.activeId;
    if (active && replaceable(documentView(state, active))) return of(forDocument(filesActions.openRequested({ path }), active));
    return of(...openInNewTab(state, path));
  }),
);

/** Writes a new Untitled notebook into `folder` (Untitled.ipynb, Untitled1.ipynb, …) without overwriting. */
export async function createUntitledNotebook(host: HostApi, folder: string, kernelspec: { name: string; display_name: string; language: string }): Promise<string> {
  const notebook: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec, language_info: { name: kernelspec.language } },
    cells: [{ id: newCellId(), cell_type: 'code', metadata: {}, source: [], execution_count: null, outputs: [] }],
  };
  for (let n = 0; n < 1000; n++) {
    const path = `${folder}/Untitled${n === 0 ? '' : n}.ipynb`;
    try {
      await host.files.writeNotebook(path, notebook, { overwrite: false });
      return path;
    } catch (error) {
      if (errorInfo(error).code !== 'FILE_EXISTS') throw error;
    }
  }
  throw new Error('Could not find a free Untitled name');
}

/** "New notebook" with no document to ask (the empty workspace): next to nothing, in the workspace root. */
export const newNotebookEpic: AppEpic = (action$, state$, { host }) => action$.pipe(
  filter(workspaceActions.newNotebookRequested.match),
  mergeMap(({ payload }) => defer(async () => {
    const state = state$.value;
    const anyDocument = Object.values(state.documents)[0];
    const folder = payload.folder ?? anyDocument?.files.workspace?.root ?? (await host.files.getWorkspace()).root;
    const preferred = state.settings.settings['kernels.default'];
    const spec = preferred ? { name: preferred, display_name: preferred, language: 'python' } : { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' };
    return workspaceActions.openPathRequested({ path: await createUntitledNotebook(host, folder, spec) });
  }).pipe(catchError((error: unknown) => of(workspaceActions.noticeShown(`Could not create a notebook: ${errorInfo(error).message}`))))),
);

/** Closing a tab: at once when nothing is at stake, else after the person answered. */
export const closeEpic: AppEpic = (action$, state$, dependencies) => merge(
  action$.pipe(
    filter(workspaceActions.closeRequested.match),
    mergeMap(({ payload }) => {
      const id = payload.id ?? state$.value.workspace.activeId;
      const document = id === undefined ? undefined : documentView(state$.value, id);
      if (id === undefined || !document) return EMPTY;
      const unsaved = isDirty(document);
      const activeRuns = activeRunsOf(document);
      if (unsaved || activeRuns.length > 0) return of(workspaceActions.closePrompted({ id, unsaved, activeRuns }));
      return closeDocument(state$.value, id, dependencies, false);
    }),
  ),
  action$.pipe(
    filter(workspaceActions.closeAnswered.match),
    // One answer per tab at a time; a second click while saving waits its turn.
    mergeMap(({ payload: { id, answer, cancelRuns } }) => {
      if (answer === 'keepOpen') return EMPTY;
      const close$ = defer(() => closeDocument(state$.value, id, dependencies, cancelRuns === true));
      if (answer === 'discard') return close$;
      const removed$ = documentRemoved$(action$, id);
      const scope = documentScope(action$, state$, id, removed$);
      if (!scope) return EMPTY;
      return afterFlush(scope.action$, scope.state$, `close ${fileName(scope.state$.value.files.path ?? 'this notebook')}`, close$).pipe(
        mergeMap((action): UnknownAction[] => {
          if (filesActions.openBlocked.match(action)) return [forDocument(action, id), workspaceActions.closeSaveFailed({ id, reason: action.payload.message })];
          return [action.type.startsWith('files/') ? forDocument(action, id) : action];
        }),
      );
    }),
  ),
);

/**
 * Removes a document: its kernel is shut down (a kernel nobody shows would be an orphan), its
 * unsaved edits journal is dropped when the person chose not to save, and its runs go on in the
 * host unless they were cancelled (the notice says so).
 */
function closeDocument(state: AppState, id: DocumentId, { host, kernels, recovery }: EpicDependencies, cancelRuns: boolean): Observable<UnknownAction> {
  const document = documentView(state, id);
  if (!document) return EMPTY;
  const { kernelId } = document.kernels;
  const path = document.files.path;
  const runs = activeRunsOf(document);
  const cleanup$ = defer(async () => {
    if (path && isDirty(document)) {
      recovery?.remove(path);
      await host.files.discardRecovery(path).catch(() => undefined);
    }
    if (cancelRuns) await Promise.all(runs.map((runId) => host.runs.cancelRun(runId).catch(() => undefined)));
    if (kernelId) {
      kernels.release(kernelId);
      await host.kernels.shutdown(kernelId).catch(() => undefined);
    }
  }).pipe(ignoreElements(), catchError(() => EMPTY));
  const notice = runs.length > 0 && !cancelRuns && path
    ? [workspaceActions.noticeShown(`${runs.length === 1 ? 'A run' : `${runs.length} runs`} of ${fileName(path)} ${runs.length === 1 ? 'keeps' : 'keep'} going in the background; open the notebook again to follow ${runs.length === 1 ? 'it' : 'them'}.`)]
    : [];
  return concat(of(workspaceActions.documentRemoved({ id }), ...notice), cleanup$);
}

/** The host is stopping: every document saves what it can, then the connection is let go. */
export const shutdownFlushEpic: AppEpic = (action$, state$, { host, connection }) => {
  if (!host.lifecycle) return EMPTY;
  return toObservable(host.lifecycle.onWillShutdown).pipe(
    switchMap(() => concat(
      merge(...state$.value.workspace.order.map((id) => {
        const scope = documentScope(action$, state$, id, documentRemoved$(action$, id));
        if (!scope) return EMPTY;
        return afterFlush(scope.action$, scope.state$, 'save before the Quire host stopped', EMPTY).pipe(
          mergeMap((action) => of(forDocument(action, id))),
        );
      })),
      defer(() => { connection?.disconnect(); return EMPTY; }),
    )),
  );
};

export const workspaceEpics: AppEpic[] = [openPathEpic, newNotebookEpic, closeEpic, shutdownFlushEpic];
