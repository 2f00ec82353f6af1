/**
 * The window's state: the open documents keyed by id (store/documentState.ts), the tabs that show
 * them, and what is app-wide (settings, the host connection, the Runs view).
 */
import { combineReducers, type UnknownAction } from '@reduxjs/toolkit';
import { connectionReducer } from '../features/connection/connectionSlice';
import { settingsReducer } from '../features/settings/settingsSlice';
import { runsViewReducer } from '../features/runsView/runsViewSlice';
import { workspaceActions, workspaceReducer } from '../features/workspace/workspaceSlice';
import { documentIdOf, documentSlicesReducer, type DocumentId, type DocumentSlices } from './documentState';

type Documents = Readonly<Record<DocumentId, DocumentSlices>>;

/**
 * Routes each action: one addressed to a document changes that document only (and nothing when it
 * is closed); an app-wide action reaches every document.
 */
export function documentsReducer(documents: Documents = {}, action: UnknownAction): Documents {
  if (workspaceActions.documentAdded.match(action)) {
    return { ...documents, [action.payload.id]: documentSlicesReducer(undefined, action) };
  }
  if (workspaceActions.documentRemoved.match(action)) {
    if (!(action.payload.id in documents)) return documents;
    const { [action.payload.id]: _removed, ...rest } = documents;
    return rest;
  }
  const target = documentIdOf(action);
  if (target !== undefined) {
    const before = documents[target];
    if (!before) return documents;
    const after = documentSlicesReducer(before, action);
    return after === before ? documents : { ...documents, [target]: after };
  }
  let next: Record<DocumentId, DocumentSlices> | undefined;
  for (const [id, before] of Object.entries(documents)) {
    const after = documentSlicesReducer(before, action);
    if (after !== before) (next ??= { ...documents })[id] = after;
  }
  return next ?? documents;
}

export const appReducer = combineReducers({
  workspace: workspaceReducer,
  documents: documentsReducer,
  settings: settingsReducer,
  connection: connectionReducer,
  runsView: runsViewReducer,
});

export type AppState = ReturnType<typeof appReducer>;
