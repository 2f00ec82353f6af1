/**
 * React access to the store. Components of a notebook sit inside a `DocumentContext` (one per
 * tab) and see that document: `useAppSelector` selects from its `DocumentState`, `useAppDispatch`
 * addresses actions to it. Window-wide components (tabs, file browser) use `useWindowSelector`
 * and `useWindowDispatch`. A store built from one document's state (component tests) is its own
 * document.
 */
import { createContext, useContext, useMemo } from 'react';
import { useDispatch, useSelector, useStore } from 'react-redux';
import type { ThunkDispatch, UnknownAction } from '@reduxjs/toolkit';
import { documentView, type DocumentId, type DocumentState } from './documentState';
import { documentStore, NO_DOCUMENT, type DocumentDispatch } from './documentStore';
import type { AppState } from './rootReducer';

/** The document the components below belong to. */
export const DocumentContext = createContext<DocumentId | undefined>(undefined);

function isWindowState(state: AppState | DocumentState): state is AppState {
  return 'documents' in state && 'workspace' in state;
}

/** The document state of the enclosing tab (the active one outside any tab). */
function documentStateOf(state: AppState | DocumentState, id: DocumentId | undefined): DocumentState {
  if (!isWindowState(state)) return state;
  const target = id ?? state.workspace.activeId;
  return (target !== undefined ? documentView(state, target) : undefined) ?? NO_DOCUMENT;
}

export function useAppSelector<T>(selector: (state: DocumentState) => T, equalityFn?: (a: T, b: T) => boolean): T {
  const id = useContext(DocumentContext);
  return useSelector((state: AppState | DocumentState) => selector(documentStateOf(state, id)), equalityFn);
}

export type AppDispatch = DocumentDispatch;

export function useAppDispatch(): DocumentDispatch {
  const id = useContext(DocumentContext);
  const dispatch = useDispatch<ThunkDispatch<AppState | DocumentState, unknown, UnknownAction>>();
  const store = useStoreForDispatch();
  return useMemo(() => {
    if (!isWindowState(store.getState())) return dispatch as unknown as DocumentDispatch;
    const window = store as unknown as Parameters<typeof documentStore>[0];
    return documentStore(window, () => id ?? window.getState().workspace.activeId).dispatch;
  }, [id, dispatch, store]);
}

/** react-redux's store: a window's, or a document-state store in component tests. */
function useStoreForDispatch(): { getState(): AppState | DocumentState } {
  return useStore<AppState | DocumentState>();
}

/** Reads the enclosing document's state on demand (event handlers, measurements), without subscribing. */
export function useDocumentStateGetter(): () => DocumentState {
  const id = useContext(DocumentContext);
  const store = useStoreForDispatch();
  return useMemo(() => () => documentStateOf(store.getState(), id), [store, id]);
}

export function useWindowSelector<T>(selector: (state: AppState) => T): T {
  return useSelector(selector);
}

export function useWindowDispatch(): ThunkDispatch<AppState, unknown, UnknownAction> {
  return useDispatch();
}
