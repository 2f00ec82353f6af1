/**
 * One open document's state and how actions reach it. The store keeps every open notebook under
 * `documents[id]` (its cells, undo, kernel session, files, ui and runs slices); an action stamped
 * with `meta.documentId` changes only that document, an unstamped one (connection lost, settings
 * changed) reaches every document. Epics and components of a document see a `DocumentState`: its
 * own slices plus the app-wide settings and connection, so per-notebook code never asks which
 * notebook it is in.
 */
import { combineReducers, type Action, type UnknownAction } from '@reduxjs/toolkit';
import { connectionReducer, type ConnectionState } from '../features/connection/connectionSlice';
import { filesReducer } from '../features/files/filesSlice';
import { kernelsReducer } from '../features/kernels/kernelsSlice';
import { notebookReducer } from '../features/notebook/notebookSlice';
import { runsReducer } from '../features/runs/runsSlice';
import { settingsReducer, type SettingsSliceState } from '../features/settings/settingsSlice';
import { uiReducer } from '../features/ui/uiSlice';
import { explorerReducer } from '../explorer/explorerSlice';
import { runsViewReducer, type RunsViewState } from '../features/runsView/runsViewSlice';

export type DocumentId = string;

const documentSliceReducers = {
  notebook: notebookReducer,
  files: filesReducer,
  kernels: kernelsReducer,
  ui: uiReducer,
  runs: runsReducer,
  explorer: explorerReducer,
};

/** The slices every open document has of its own. */
export const documentSlicesReducer = combineReducers(documentSliceReducers);
export type DocumentSlices = ReturnType<typeof documentSlicesReducer>;

/** What a document's epics and components see: its slices and the app-wide ones they read. */
export interface DocumentState extends DocumentSlices {
  settings: SettingsSliceState;
  connection: ConnectionState;
  /** Every run across notebooks (the Runs view): app-wide, shown over any document. */
  runsView: RunsViewState;
}

/** One document and the app-wide slices reduced together: fixtures and component tests use it. */
export const documentStateReducer: (state: DocumentState | undefined, action: UnknownAction) => DocumentState = combineReducers({
  ...documentSliceReducers,
  settings: settingsReducer,
  connection: connectionReducer,
  runsView: runsViewReducer,
});

interface DocumentMeta { documentId?: DocumentId }

/** The document an action is for, or undefined for an app-wide action. */
export function documentIdOf(action: Action): DocumentId | undefined {
  const meta = (action as { meta?: DocumentMeta }).meta;
  return meta && typeof meta === 'object' ? meta.documentId : undefined;
}

/** The same action, addressed to one document (other meta, e.g. RTK's auto-batch flag, is kept). */
export function forDocument<A extends Action>(action: A, documentId: DocumentId): A {
  const meta = (action as { meta?: object }).meta;
  if ((meta as DocumentMeta | undefined)?.documentId === documentId) return action;
  return { ...action, meta: { ...meta, documentId } } as A;
}

/** The app-wide part of the state a document's view is made from. */
export interface AppWideState {
  settings: SettingsSliceState;
  connection: ConnectionState;
  runsView: RunsViewState;
  documents: Readonly<Record<DocumentId, DocumentSlices>>;
}

// One view object per document version, so selectors and `distinctUntilChanged` see a stable state.
const views = new WeakMap<DocumentSlices, DocumentState>();

/** A document's view of the app state, or undefined when it is not open. */
export function documentView(state: AppWideState, id: DocumentId): DocumentState | undefined {
  const slices = state.documents[id];
  if (!slices) return undefined;
  const cached = views.get(slices);
  if (cached && cached.settings === state.settings && cached.connection === state.connection && cached.runsView === state.runsView) return cached;
  const view: DocumentState = { ...slices, settings: state.settings, connection: state.connection, runsView: state.runsView };
  views.set(slices, view);
  return view;
}
