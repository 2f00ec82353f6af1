/**
 * Opening and saving through the host API: workspace start-up, open (notebook, folder, or an
 * error page that never becomes a saveable empty notebook) after saving the current notebook's
 * edits, save / save as with mtime and content-hash conflict detection, autosave after 2 s idle
 * (at most 5 s of constant edits), new notebooks (each in a tab of its own), and changes on disk
 * while the notebook is open (reloaded when clean, the conflict banner at once when edited).
 */
import { catchError, concat, concatMap, debounceTime, defer, distinctUntilChanged, EMPTY, exhaustMap, filter, from, map, merge, mergeMap, Observable, of, race, share, startWith, switchMap, take, takeUntil, timer } from 'rxjs';
import type { UnknownAction } from '@reduxjs/toolkit';
import type { Notebook } from '../../../src/jupyter/nbformat';
import type { HostApi, NotebookFileChange, WriteNotebookOptions } from '../../../src/host/contract';
import { stripTransient } from '../../../src/jupyter/outputs';
import type { JsonLocation } from '../../../src/errors';
import type { SchedulerLike } from 'rxjs';
import type { StateObservable } from 'redux-observable';
import type { DocumentEpic } from '../../store/dependencies';
import type { DocumentState } from '../../store/documentState';
import { errorInfo } from '../../features/kernels/kernelsEpics';
import { filesActions, filesReducer, savePaused } from './filesSlice';
import { afterFlush, isDirty } from './flushEdits';
import { workspaceActions } from '../workspace/workspaceSlice';
import { createUntitledNotebook } from '../workspace/workspaceEpics';

/** The default quiet time before an autosave; the `files.autosaveDelayMs` setting changes it. */
export const AUTOSAVE_IDLE_MS = 2_000;
export const AUTOSAVE_MAX_MS = 5_000;

export { isDirty };

/** The quiet time before an autosave, from the settings (read at each edit burst, so a change applies at once). */
export function autosaveIdleMs(s: DocumentState): number {
  return s.settings?.settings['files.autosaveDelayMs'] ?? AUTOSAVE_IDLE_MS;
}

/** The notebook to write: in-memory ids are dropped for files that had none, transient fields always. */
export function notebookToSave(state: DocumentState): Notebook {
  const { notebook } = state;
  const cells = notebook.cells.map((c) => {
    const { id, ...rest } = c;
    const cell = notebook.stripIds ? rest : { ...rest, id };
    return cell.cell_type === 'code' ? { ...cell, outputs: cell.outputs.map(stripTransient) } : cell;
  }) as Notebook['cells'];
  return { nbformat: 4, nbformat_minor: notebook.nbformatMinor, metadata: notebook.metadata, cells };
}

export const loadWorkspaceEpic: DocumentEpic = (action$, _state$, { host }) => action$.pipe(
  filter(filesActions.workspaceRequested.match),
  switchMap(() => from(host.files.getWorkspace()).pipe(
    mergeMap((workspace) => {
      const out: UnknownAction[] = [filesActions.workspaceLoaded(workspace), filesActions.openRequested({ path: workspace.openPath ?? workspace.root })];
      return concat(of(...out), from(host.files.getRecentFiles()).pipe(map((r) => filesActions.recentLoaded(r)), catchError(() => EMPTY)));
    }),
    catchError((error: unknown) => of(filesActions.openFailed({ path: '', ...errorInfo(error) }))),
  )),
);

const fileName = (path: string) => path.replace(/^.*[\\/]/, '') || path;

export const openEpic: DocumentEpic = (action$, state$, { host, scheduler }) => action$.pipe(
  filter(filesActions.openRequested.match),
  switchMap(({ payload: { path, discard, reload } }) => {
    if (reload) return reloadDocument(host, state$, path, scheduler);
    const open$ = concat(of(filesActions.openStarted({ path })), readDocument(host, path));
    return discard ? open$ : afterFlush(action$, state$, `open ${fileName(path)}`, open$);
  }),
);

/**
 * A notebook's first cells while the whole file is still on its way (a large notebook): asked
 * together with the document, shown read-only (files/openPreviewed) only if they arrive first.
 * A head that is the whole notebook is not shown: the document itself is as quick then.
 */
function withPreview(host: HostApi, path: string, document$: Observable<UnknownAction>): Observable<UnknownAction> {
  if (!path.endsWith('.ipynb')) return document$;
  const shared$ = document$.pipe(share());
  const preview$ = defer(() => host.files.readNotebookHead(path)).pipe(
    filter((head) => !!head && head.cells.length > 0 && !head.complete),
    map((head) => filesActions.openPreviewed({ path: head!.path, cells: head!.cells })),
    catchError(() => EMPTY),
    takeUntil(shared$),
  );
  return merge(preview$, shared$);
}

function readDocument(host: HostApi, path: string): Observable<UnknownAction> {
  return withPreview(host, path, defer(async (): Promise<UnknownAction[]> => {
    const folder = async () => [filesActions.folderOpened({ path, entries: await host.files.listDirectory(path) })];
    // A .ipynb path is read straight away (one round trip less before the first paint); anything
    // else, or a read that fails, asks whether it is a folder.
    if (!path.endsWith('.ipynb') && (await host.files.stat(path)).kind === 'directory') return folder();
    const doc = await host.files.readNotebook(path).catch(async (error: unknown) => {
      if (path.endsWith('.ipynb') && (await host.files.stat(path).catch(() => undefined))?.kind === 'directory') return undefined;
      throw error;
    });
    if (!doc) return folder();
    const hash = doc.contentHash ? { contentHash: doc.contentHash } : {};
    return [filesActions.openSucceeded({ path: doc.path, notebook: doc.notebook, mtimeMs: doc.mtimeMs, ...hash })];
  }).pipe(
    mergeMap((actions) => {
      const opened = actions[0];
      if (!filesActions.openSucceeded.match(opened)) return of(...actions);
      // Show the notebook first; the recent list follows.
      const recent$ = defer(async () => {
        await host.files.addRecentFile(opened.payload.path);
        return filesActions.recentLoaded(await host.files.getRecentFiles());
      }).pipe(catchError(() => EMPTY));
      return concat(of(...actions), recent$);
    }),
    catchError((error: unknown) => {
      const location = (error as { details?: { location?: JsonLocation } }).details?.location;
      return of(filesActions.openFailed({ path, ...errorInfo(error), ...(location ? { location } : {}) }));
    }),
  ));
}

/**
 * The open notebook read again in place after it changed on disk: no loading page, no flush (it
 * had no edits), its kernel stays. Edits typed while it was being read win: the conflict banner
 * asks instead. A read that fails leaves the notebook as it was, with a notice.
 */
function reloadDocument(host: HostApi, state$: StateObservable<DocumentState>, path: string, scheduler: SchedulerLike): Observable<UnknownAction> {
  const version = state$.value.notebook.version;
  return defer(() => host.files.readNotebook(path)).pipe(
    mergeMap((doc) => {
      const s = state$.value;
      if (s.files.path !== path || s.files.view !== 'notebook') return EMPTY;
      if (s.notebook.version !== version || isDirty(s)) return of(filesActions.changedOnDisk({ path }));
      const hash = doc.contentHash ? { contentHash: doc.contentHash } : {};
      const reloaded = filesActions.reloadedFromDisk({ path: doc.path });
      // The notice goes by itself after a while, unless something else was said since.
      const dismiss$ = timer(RELOAD_NOTICE_MS, scheduler).pipe(
        filter(() => state$.value.files.notice === documentNotice(reloaded)),
        map(() => filesActions.noticeDismissed()),
      );
      return concat(of(filesActions.openSucceeded({ path: doc.path, notebook: doc.notebook, mtimeMs: doc.mtimeMs, ...hash, reloaded: true }), reloaded), dismiss$);
    }),
    catchError((error: unknown) => of(filesActions.reloadFailed({ path, message: errorInfo(error).message }))),
  );
}

/** How long "Reloaded: … changed on disk" stays. */
export const RELOAD_NOTICE_MS = 4_000;

/** The notice an action leaves in the files slice. */
const documentNotice = (action: UnknownAction): string | undefined => filesReducer(undefined, action).notice;

/** The path a document should watch on disk: its notebook's, once all of it is here, while the host is reachable. */
function watchedPath(s: DocumentState): string | undefined {
  return s.files.view === 'notebook' && !s.files.partial && s.files.path && s.connection.state === 'connected' ? s.files.path : undefined;
}

/** The host's changes of `path`, starting with what is there when the watch began; unwatched on unsubscribe. */
function changesOnDisk(host: HostApi, path: string): Observable<NotebookFileChange> {
  return new Observable<NotebookFileChange>((subscriber) => {
    let active = true;
    const listener = host.files.onDidChangeNotebookFile((change) => { if (change.path === path) subscriber.next(change); });
    host.files.watchNotebook(path).then((now) => {
      if (!active) return;
      subscriber.next(now.exists ? { path, kind: 'changed', mtimeMs: now.mtimeMs, contentHash: now.contentHash } : { path, kind: 'deleted' });
    }, () => undefined); // a host that cannot watch: saves still find changes
    return () => {
      active = false;
      listener.dispose();
      void host.files.unwatchNotebook(path).catch(() => undefined);
    };
  });
}

/** What a change on disk means for this document now (see watchFileEpic). */
function reactToChange(change: NotebookFileChange, s: DocumentState): Observable<UnknownAction> {
  const { path } = change;
  if (s.files.path !== path || s.files.view !== 'notebook') return EMPTY;
  if (change.kind === 'deleted') return s.files.deleted ? EMPTY : of(filesActions.deletedOnDisk({ path }));
  if (!change.contentHash) return EMPTY;
  if (change.contentHash === s.files.contentHash) return s.files.conflict || s.files.deleted ? of(filesActions.backOnDisk({ path })) : EMPTY;
  if (isDirty(s)) return s.files.conflict ? EMPTY : of(filesActions.changedOnDisk({ path }));
  return of(filesActions.openRequested({ path, discard: true, reload: true }));
}

/**
 * Changes on disk while the notebook is open, as VS Code notices them: the host watches the file
 * (from the open or save on, following save-as and renames, until the tab closes) and says when its
 * bytes differ from what it last knew. A change whose hash is this document's is its own save; any
 * other reloads a notebook without unsaved edits (with a short notice) and shows the conflict banner
 * at once for one with edits, which are never overwritten or dropped; a deleted file shows the
 * deleted banner. Each change is looked at once no save or reload of this document is under way,
 * against the hash that save or reload left.
 */
export const watchFileEpic: DocumentEpic = (_action$, state$, { host }) => state$.pipe(
  map(watchedPath),
  distinctUntilChanged(),
  switchMap((path) => (path === undefined ? EMPTY : changesOnDisk(host, path).pipe(
    switchMap((change) => state$.pipe(
      filter((s) => !s.files.saving && !s.files.reloading),
      take(1),
      mergeMap((s) => reactToChange(change, s)),
    )),
  ))),
);

export const saveEpic: DocumentEpic = (action$, state$, { host, scheduler }) => action$.pipe(
  filter(filesActions.saveRequested.match),
  concatMap(({ payload }) => {
    const state = state$.value;
    const path = payload.path ?? state.files.path;
    const id = payload.id ? { id: payload.id } : {};
    if (state.files.view !== 'notebook' || !path) return of(filesActions.saveFailed({ code: 'NOTHING_TO_SAVE', message: 'No notebook is open', ...id }));
    // Only the first cells are here: writing them would drop every other cell of the file.
    if (state.files.partial) return of(filesActions.saveFailed({ code: 'NOT_LOADED', message: 'The notebook is still being read; it can be saved once all of it is here.', ...id }));
    // An autosave never overwrites a conflict or recreates a deleted file, and waits out nothing newer than it knows.
    if (payload.auto && (savePaused(state.files) || !isDirty(state))) return of(filesActions.saveFailed({ code: 'NOT_NEEDED', message: '', ...id }));
    const version = state.notebook.version;
    const saveAs = payload.path !== undefined && payload.path !== state.files.path;
    // Both checks: the mtime (hosts without hashes) and the bytes (two windows saving within the mtime's resolution).
    const expected: WriteNotebookOptions = { expectedMtimeMs: state.files.mtimeMs, ...(state.files.contentHash ? { expectedContentHash: state.files.contentHash } : {}) };
    const options = saveAs || payload.force ? { overwrite: true } : expected;
    return defer(() => host.files.writeNotebook(path, notebookToSave(state), options)).pipe(
      map((stat) => filesActions.saveSucceeded({
        path, mtimeMs: stat.mtimeMs ?? 0, ...(stat.contentHash ? { contentHash: stat.contentHash } : {}), version, at: scheduler.now(), ...id,
      })),
      catchError((error: unknown) => of(filesActions.saveFailed({ ...errorInfo(error), ...id }))),
    );
  }),
);

/** After an edit: save when edits pause for 2 s, or after 5 s of constant editing. */
export const autosaveEpic: DocumentEpic = (_action$, state$, { scheduler }) => {
  const edits$ = state$.pipe(
    filter((s) => s.files.view === 'notebook' && !!s.files.path),
    map((s) => `${s.files.path}:${s.notebook.version}`),
    distinctUntilChanged(),
    filter(() => isDirty(state$.value) && !savePaused(state$.value.files)),
    share(),
  );
  return edits$.pipe(
    exhaustMap(() => {
      const idleMs = autosaveIdleMs(state$.value);
      return race(
        edits$.pipe(startWith(null), debounceTime(idleMs, scheduler), take(1)),
        timer(Math.max(AUTOSAVE_MAX_MS, idleMs), scheduler),
      ).pipe(take(1));
    }),
    // While the host is unreachable the edits wait in the page (and its journal); reconnecting saves them.
    filter(() => isDirty(state$.value) && !savePaused(state$.value.files) && !state$.value.files.saving && state$.value.connection.state === 'connected'),
    map(() => filesActions.saveRequested({ auto: true })),
  );
};

/** A new notebook in the current folder (Untitled.ipynb, Untitled1.ipynb, ... never overwriting), in a tab of its own. */
export const newNotebookEpic: DocumentEpic = (action$, state$, { host }) => action$.pipe(
  filter(filesActions.newRequested.match),
  exhaustMap(({ payload }) => defer(async () => {
    const s = state$.value;
    const folder = payload.folder ?? s.files.folder?.path ?? (s.files.path ? s.files.path.replace(/[\\/][^\\/]*$/, '') : s.files.workspace?.root ?? '.');
    const preferred = s.settings?.settings['kernels.default'] ? s.kernels.specs.find((spec) => spec.name === s.settings.settings['kernels.default']) : undefined;
    const kernelspec = s.kernels.specName
      ? { name: s.kernels.specName, display_name: s.kernels.displayName ?? s.kernels.specName, language: s.kernels.language ?? 'python' }
      : preferred ? { name: preferred.name, display_name: preferred.displayName, language: preferred.language }
        : { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' };
    return workspaceActions.openPathRequested({ path: await createUntitledNotebook(host, folder, kernelspec) });
  }).pipe(catchError((error: unknown) => of(filesActions.saveFailed(errorInfo(error)))))),
);

export const filesEpics = [loadWorkspaceEpic, openEpic, saveEpic, autosaveEpic, newNotebookEpic, watchFileEpic];
