/**
 * "Save before you leave": switching documents (open, new) first saves the notebook's unsaved
 * edits through the save epic (so it queues behind any save in flight and reads the latest text),
 * and goes on only when that save succeeded. When it fails the window stays on the notebook and
 * says why; the conflict/deleted banners offer the choices.
 */
import { defer, filter, merge, mergeMap, type Observable, of, take } from 'rxjs';
import { isAnyOf, type UnknownAction } from '@reduxjs/toolkit';
import type { StateObservable } from 'redux-observable';
import type { DocumentState } from '../../store/documentState';
import { filesActions } from './filesSlice';

let nextFlushId = 1;

export function isDirty(state: DocumentState): boolean {
  return state.files.view === 'notebook' && state.notebook.version !== state.files.savedVersion;
}

/** Why a save failed, in words for a sentence "… could not be saved: <reason>". */
export function saveFailureReason(code: string, message: string): string {
  if (code === 'FILE_CHANGED_ON_DISK') return 'another window or program changed the file since it was opened here';
  if (code === 'FILE_DELETED') return 'the file was deleted or renamed since it was opened';
  if (code === 'RPC_CLOSED') return 'the connection to the Quire host is lost';
  return message;
}

/**
 * Saves pending edits, then continues with `next$`. Typing during the save makes another round
 * (at most three). `what` completes "Did not <what>: …" when a save fails.
 */
export function afterFlush(
  action$: Observable<UnknownAction>,
  state$: StateObservable<DocumentState>,
  what: string,
  next$: Observable<UnknownAction>,
  rounds = 3,
): Observable<UnknownAction> {
  return defer(() => {
    if (!isDirty(state$.value)) return next$;
    if (rounds === 0) return of(filesActions.openBlocked({ message: `Did not ${what}: the notebook kept changing while it was being saved. Your edits are kept here.` }));
    const id = `flush-${nextFlushId++}`;
    const result$ = action$.pipe(
      filter(isAnyOf(filesActions.saveSucceeded, filesActions.saveFailed)),
      filter((a) => a.payload.id === id),
      take(1),
      mergeMap((result) => {
        if (filesActions.saveSucceeded.match(result)) return afterFlush(action$, state$, what, next$, rounds - 1);
        const { code, message } = result.payload;
        if (code === 'NOT_NEEDED') return next$;
        return of(filesActions.openBlocked({
          message: `Did not ${what}: this notebook's changes could not be saved (${saveFailureReason(code, message)}). They are kept here.`,
        }));
      }),
    );
    // Listen for the answer before asking, so a quick result is not missed.
    return merge(result$, of(filesActions.saveRequested({ id })));
  });
}
