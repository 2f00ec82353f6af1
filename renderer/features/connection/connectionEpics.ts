/**
 * Edits survive the host: while a notebook has unsaved edits they are journaled to the page's
 * storage (at most once a second, and at once when the connection drops); a later start on that
 * notebook offers them back; a restored connection saves them (with the expected hash, so a file
 * changed meanwhile becomes a conflict, not an overwrite); a host that announces its shutdown gets
 * the edits saved before the page lets it go.
 */
import { auditTime, catchError, concat, defer, from, distinctUntilChanged, EMPTY, filter, ignoreElements, map, merge, mergeMap, of, switchMap, tap } from 'rxjs';
import { isAnyOf } from '@reduxjs/toolkit';
import type { Notebook } from '../../../src/jupyter/nbformat';
import { canonicalizeNotebook } from '../../../src/jupyter/nbformatCanonical';
import type { AppEpic } from '../../store/dependencies';
import type { RootState } from '../../store/rootReducer';
import { toObservable } from '../../host/toObservable';
import { notebookToSave } from '../files/filesEpics';
import { filesActions } from '../files/filesSlice';
import { afterFlush, isDirty } from '../files/flushEdits';
import type { RecoveryStore } from '../files/recoveryStore';
import { connectionActions } from './connectionSlice';
import { kernelsActions } from '../../features/kernels/kernelsSlice';

/** At most one journal write per this many ms of constant typing. */
export const JOURNAL_MS = 1_000;

function journal(recovery: RecoveryStore, state: RootState, at: number): void {
  const { path, mtimeMs, contentHash } = state.files;
  if (!path || !isDirty(state)) return;
  recovery.save({ path, notebook: notebookToSave(state), mtimeMs, contentHash, savedAt: at });
}

export const journalEpic: AppEpic = (action$, state$, { recovery, scheduler }) => {
  if (!recovery) return EMPTY;
  const edits$ = state$.pipe(
    map((s) => (isDirty(s) && s.files.path ? `${s.files.path}:${s.notebook.version}` : '')),
    distinctUntilChanged(),
    filter((key) => key !== ''),
    auditTime(JOURNAL_MS, scheduler),
  );
  const lost$ = action$.pipe(filter(connectionActions.connectionLost.match));
  const write$ = merge(edits$, lost$).pipe(tap(() => journal(recovery, state$.value, scheduler.now())));
  // Saved, or dropped on purpose (load the disk version, close a deleted file): nothing to keep.
  const clear$ = action$.pipe(
    filter(isAnyOf(filesActions.saveSucceeded, filesActions.openRequested, filesActions.recoveryDiscarded)),
    tap((action) => {
      const path = state$.value.files.path;
      if (!path) return;
      if (filesActions.openRequested.match(action) ? action.payload.discard === true : !isDirty(state$.value)) recovery.remove(path);
    }),
  );
  return merge(write$, clear$).pipe(ignoreElements());
};

/** Equal content, whatever the key order or the form of multi-line text (string or list of lines). */
function sameNotebook(a: Notebook, b: Notebook): boolean {
  const stable = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
    : v));
  return stable(canonicalizeNotebook(a)) === stable(canonicalizeNotebook(b));
}

/** Opening a notebook with journaled edits that differ from the file offers them back. */
export const recoveryOfferEpic: AppEpic = (action$, state$, { recovery }) => action$.pipe(
  filter(filesActions.openSucceeded.match),
  mergeMap(({ payload: { path } }) => {
    const entry = recovery?.load(path);
    if (!entry || !recovery) return EMPTY;
    if (sameNotebook(entry.notebook, notebookToSave(state$.value))) {
      recovery.remove(path);
      return EMPTY;
    }
    return of(filesActions.recoveryOffered({ savedAt: entry.savedAt }));
  }),
);

export const recoveryRestoreEpic: AppEpic = (action$, state$, { recovery }) => action$.pipe(
  filter(filesActions.recoveryRestoreRequested.match),
  mergeMap(() => {
    const path = state$.value.files.path;
    const entry = path ? recovery?.load(path) : undefined;
    if (!entry) return of(filesActions.recoveryDiscarded());
    return of(filesActions.recoveryRestored({ notebook: entry.notebook, mtimeMs: entry.mtimeMs, contentHash: entry.contentHash }));
  }),
);

/** Back online: save what was typed meanwhile (autosave was paused). */
export const reconnectSaveEpic: AppEpic = (action$, state$) => action$.pipe(
  filter(connectionActions.connectionRestored.match),
  filter(() => isDirty(state$.value) && !state$.value.files.conflict && !state$.value.files.deleted),
  map(() => filesActions.saveRequested({})),
);

/** Back on a host that no longer runs our kernel (it was restarted): say the kernel is gone, offer a restart. */
export const reconnectKernelEpic: AppEpic = (action$, state$, { host }) => action$.pipe(
  filter(connectionActions.connectionRestored.match),
  switchMap(() => {
    const { kernelId } = state$.value.kernels;
    if (!kernelId) return EMPTY;
    return from(host.kernels.listKernels()).pipe(
      filter((running) => !running.some((k) => k.id === kernelId)),
      map(() => kernelsActions.statusChanged({ kernelId, status: 'dead', reason: 'The Quire host was restarted and this kernel is gone. Restart it to run cells.' })),
      catchError(() => EMPTY),
    );
  }),
);

/** The host is stopping: save now, then close the socket so it need not wait any longer. */
export const shutdownFlushEpic: AppEpic = (action$, state$, { host, connection }) => {
  if (!host.lifecycle) return EMPTY;
  return toObservable(host.lifecycle.onWillShutdown).pipe(
    // After the save (or its failure, which stays on screen), let the host go.
    switchMap(() => concat(
      afterFlush(action$, state$, 'save before the Quire host stopped', EMPTY),
      defer(() => { connection?.disconnect(); return EMPTY; }),
    )),
  );
};

export const connectionEpics = [journalEpic, recoveryOfferEpic, recoveryRestoreEpic, reconnectSaveEpic, reconnectKernelEpic, shutdownFlushEpic];
