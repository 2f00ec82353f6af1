/**
 * A store-shaped window onto one document (or onto whichever is active): `getState()` is the
 * document's `DocumentState`, `dispatch` addresses actions to it and runs thunks against it. The
 * keyboard, menus and commands use the active document's; tests and benchmarks read it too.
 */
import type { ThunkAction, UnknownAction } from '@reduxjs/toolkit';
import { documentStateReducer, documentView, forDocument, type DocumentId, type DocumentState } from './documentState';

export type { DocumentId };
import type { AppState } from './rootReducer';

/** What a window shows with no document open: an empty, not-yet-started one. */
export const NO_DOCUMENT: DocumentState = documentStateReducer(undefined, { type: '@@quire/no-document' });

interface AppStoreLike {
  getState(): AppState;
  dispatch(action: UnknownAction): unknown;
  subscribe(listener: () => void): () => void;
}

export type DocumentThunk<R = unknown> = ThunkAction<R, DocumentState, unknown, UnknownAction>;

export interface DocumentDispatch {
  <R>(thunk: DocumentThunk<R>): R;
  <A extends UnknownAction>(action: A): A;
}

export interface DocumentStore {
  /** The document this store stands for now (undefined: none is open). */
  documentId(): DocumentId | undefined;
  getState(): DocumentState;
  dispatch: DocumentDispatch;
  subscribe(listener: () => void): () => void;
}

/** Actions and thunks for the document `pick()` names at the time of the call. */
export function documentStore(app: AppStoreLike, pick: () => DocumentId | undefined): DocumentStore {
  const getState = (): DocumentState => {
    const id = pick();
    return (id !== undefined ? documentView(app.getState(), id) : undefined) ?? NO_DOCUMENT;
  };
  const dispatch = ((action: UnknownAction | DocumentThunk) => {
    if (typeof action === 'function') return action(dispatch, getState, undefined);
    const id = pick();
    // With no document open, a document's action has nobody to reach.
    if (id === undefined) return action;
    app.dispatch(forDocument(action, id));
    return action;
  }) as DocumentDispatch;
  return { documentId: pick, getState, dispatch, subscribe: (listener) => app.subscribe(listener) };
}

/** The active tab's document. */
export function activeDocumentStore(app: AppStoreLike): DocumentStore {
  return documentStore(app, () => app.getState().workspace.activeId);
}
