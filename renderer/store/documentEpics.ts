/**
 * Every open document runs its own instance of the per-notebook epics (files, kernels, execution,
 * runs, explorer, recovery): started when the document is added, stopped when it is removed. An
 * instance sees its document's actions and the app-wide ones, and its document's state; whatever
 * it emits is addressed to its document. So two notebooks' kernels, saves and outputs never meet.
 */
import { distinctUntilChanged, filter, map, mergeMap, type Observable, share, takeUntil } from 'rxjs';
import type { UnknownAction } from '@reduxjs/toolkit';
import { StateObservable } from 'redux-observable';
import { workspaceActions } from '../features/workspace/workspaceSlice';
import type { AppEpic, DocumentEpic } from './dependencies';
import { documentIdOf, documentView, forDocument, type DocumentId, type DocumentState } from './documentState';
import type { AppState } from './rootReducer';

/** One document's actions and state, cut from the window's. `until$` ends the state stream. */
export function documentScope(
  action$: Observable<UnknownAction>,
  state$: StateObservable<AppState>,
  id: DocumentId,
  until$: Observable<unknown>,
): { action$: Observable<UnknownAction>; state$: StateObservable<DocumentState> } | undefined {
  const initial = documentView(state$.value, id);
  if (!initial) return undefined;
  const documentAction$ = action$.pipe(filter((action) => {
    const target = documentIdOf(action);
    return target === undefined || target === id;
  }));
  const documentState$ = new StateObservable<DocumentState>(state$.pipe(
    map((state) => documentView(state, id)),
    filter((view): view is DocumentState => view !== undefined),
    distinctUntilChanged(),
    takeUntil(until$),
  ), initial);
  return { action$: documentAction$, state$: documentState$ };
}

/** Actions of the window that end a document's life. */
export function documentRemoved$(action$: Observable<UnknownAction>, id: DocumentId): Observable<unknown> {
  return action$.pipe(filter((action) => workspaceActions.documentRemoved.match(action) && action.payload.id === id));
}

/** Runs `epic` once per open document. */
export function perDocument(epic: DocumentEpic): AppEpic {
  return (action$, state$, dependencies) => {
    const shared$ = action$.pipe(share());
    return shared$.pipe(
      filter(workspaceActions.documentAdded.match),
      mergeMap(({ payload: { id } }) => {
        const removed$ = documentRemoved$(shared$, id);
        const scope = documentScope(shared$, state$, id, removed$);
        if (!scope) return [];
        return epic(scope.action$, scope.state$, dependencies).pipe(
          map((action) => forDocument(action, id)),
          takeUntil(removed$),
        );
      }),
    );
  };
}
