/**
 * Unsaved edits are journaled twice while they are not on disk: to the page's storage
 * (localStorage, at most once a second and at once when the connection drops) and, while
 * connected, to the host (files.saveRecovery, at most once a second and one write in flight). The
 * page's storage survives a host that dies; the host's copy survives a page that is closed or
 * crashes and a browser profile that is thrown away (`npm start` uses a temporary one on a random
 * port). A save or an explicit discard removes both; opening the notebook offers the newer one.
 */
import { auditTime, catchError, defer, distinctUntilChanged, EMPTY, filter, from, ignoreElements, map, merge, mergeMap, of, switchMap, tap, throttle, type Observable } from 'rxjs';
import { isAnyOf } from '@reduxjs/toolkit';
import type { HostApi, RecoveryEntry } from '../../../src/host/contract';
import type { Notebook } from '../../../src/jupyter/nbformat';
import { canonicalizeNotebook } from '../../../src/jupyter/nbformatCanonical';
import type { DocumentEpic } from '../../store/dependencies';
import type { DocumentState } from '../../store/documentState';
import { notebookToSave } from '../files/filesEpics';
import { filesActions } from '../files/filesSlice';
import { isDirty } from '../files/flushEdits';
import type { RecoveryStore } from '../files/recoveryStore';
import { connectionActions } from './connectionSlice';

/** At most one journal write per this many ms of constant typing. */
export const JOURNAL_MS = 1_000;

function entryOf(state: DocumentState, at: number): RecoveryEntry | undefined {
  const { path, mtimeMs, contentHash } = state.files;
  if (!path || !isDirty(state)) return undefined;
  return { path, notebook: notebookToSave(state), mtimeMs, contentHash, savedAt: at };
}

/** A host call whose failure (host gone, older host) leaves the page's own journal to do the work. */
const quietly = (call: () => Promise<unknown>): Observable<0> => defer(call).pipe(map(() => 0 as const), catchError(() => of(0 as const)));

export const journalEpic: DocumentEpic = (action$, state$, { recovery, host, scheduler }) => {
  const edits$ = state$.pipe(
    map((s) => (isDirty(s) && s.files.path ? `${s.files.path}:${s.notebook.version}` : '')),
    distinctUntilChanged(),
    filter((key) => key !== ''),
    auditTime(JOURNAL_MS, scheduler),
  );
  const lost$ = action$.pipe(filter(connectionActions.connectionLost.match));
  const local$ = recovery
    ? merge(edits$, lost$).pipe(tap(() => {
      const entry = entryOf(state$.value, scheduler.now());
      if (entry) recovery.save(entry);
    }))
    : EMPTY;
  // Back online: the edits made meanwhile go to the host too (the reconnect save may meet a conflict).
  const restored$ = action$.pipe(filter(connectionActions.connectionRestored.match));
  // One host write at a time; edits made meanwhile go in one write after it (the latest state).
  const toHost$ = merge(edits$, restored$).pipe(throttle(() => quietly(async () => {
    const entry = state$.value.connection.state === 'connected' ? entryOf(state$.value, scheduler.now()) : undefined;
    if (entry) await host.files.saveRecovery(entry.path, entry);
  }), { leading: true, trailing: true }));
  // Saved, or dropped on purpose (load the disk version, close a deleted file): nothing to keep.
  const clear$ = action$.pipe(
    filter(isAnyOf(filesActions.saveSucceeded, filesActions.openRequested, filesActions.recoveryDiscarded)),
    mergeMap((action) => {
      const path = state$.value.files.path;
      if (!path) return EMPTY;
      const drop = filesActions.openRequested.match(action) ? action.payload.discard === true : !isDirty(state$.value);
      if (!drop) return EMPTY;
      recovery?.remove(path);
      return quietly(() => host.files.discardRecovery(path));
    }),
  );
  return merge(local$, toHost$, clear$).pipe(ignoreElements());
};

/** Equal content, whatever the key order or the form of multi-line text (string or list of lines). */
function sameNotebook(a: Notebook, b: Notebook): boolean {
  const stable = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
    : v));
  return stable(canonicalizeNotebook(a)) === stable(canonicalizeNotebook(b));
}

/** The newer of the page's and the host's entry for `path` (the host's is checked like the page's). */
async function newestEntry(path: string, recovery: RecoveryStore | undefined, host: HostApi): Promise<RecoveryEntry | undefined> {
  const local = recovery?.load(path);
  const remote = await host.files.readRecovery(path).catch(() => null);
  const valid = remote && typeof remote.savedAt === 'number' && Array.isArray(remote.notebook?.cells) ? { ...remote, path } : undefined;
  if (!local) return valid;
  if (!valid) return local;
  return valid.savedAt > local.savedAt ? valid : local;
}

function forget(path: string, recovery: RecoveryStore | undefined, host: HostApi): Observable<never> {
  recovery?.remove(path);
  return quietly(() => host.files.discardRecovery(path)).pipe(ignoreElements());
}

/** Opening a notebook with journaled edits that differ from the file offers the newer of them back. */
export const recoveryOfferEpic: DocumentEpic = (action$, state$, { recovery, host }) => action$.pipe(
  filter(filesActions.openSucceeded.match),
  switchMap(({ payload: { path } }) => from(newestEntry(path, recovery, host)).pipe(
    // Still on that notebook, with nothing typed yet that the offer would replace.
    filter(() => state$.value.files.path === path && state$.value.files.view === 'notebook'),
    mergeMap((entry) => {
      if (!entry) return EMPTY;
      if (sameNotebook(entry.notebook, notebookToSave(state$.value))) return forget(path, recovery, host);
      return of(filesActions.recoveryOffered({ savedAt: entry.savedAt }));
    }),
  )),
);

export const recoveryRestoreEpic: DocumentEpic = (action$, state$, { recovery, host }) => action$.pipe(
  filter(filesActions.recoveryRestoreRequested.match),
  switchMap(() => {
    const path = state$.value.files.path;
    if (!path) return of(filesActions.recoveryDiscarded());
    return from(newestEntry(path, recovery, host)).pipe(map((entry) => (entry && state$.value.files.path === path
      ? filesActions.recoveryRestored({ notebook: entry.notebook, mtimeMs: entry.mtimeMs, contentHash: entry.contentHash })
      : filesActions.recoveryDiscarded())));
  }),
);

export const recoveryEpics = [journalEpic, recoveryOfferEpic, recoveryRestoreEpic];
