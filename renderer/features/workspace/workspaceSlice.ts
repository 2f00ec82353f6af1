/**
 * The window's open documents as tabs: their order, the active one, a close that waits for the
 * person's answer, and the file browser's visibility. The documents themselves live in
 * `documents[id]` (store/documentState.ts); this slice only says which exist and in what order.
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { DocumentId } from '../../store/documentState';

/** Why closing a tab waits: unsaved edits, runs of its notebook that keep going, or both. */
export interface ClosePrompt {
  id: DocumentId;
  unsaved: boolean;
  /** Run ids of this notebook still queued or running on the host. */
  activeRuns: string[];
  /** A save on the way to closing failed: why, in words. */
  saveError?: string;
}

export interface WorkspaceState {
  /** Open documents in tab order. */
  order: DocumentId[];
  activeId?: DocumentId;
  closePrompt?: ClosePrompt;
  /** The file browser sidebar. */
  sidebarOpen: boolean;
  /** A one-line message about the workspace (e.g. runs that keep going after their tab closed). */
  notice?: string;
}

export const initialWorkspaceState: WorkspaceState = { order: [], sidebarOpen: true };

let nextDocumentNumber = 1;

/** Ids are only unique within one page: documents are not shared across windows by id. */
function newDocumentId(): DocumentId {
  return `doc-${nextDocumentNumber++}`;
}

export const workspaceSlice = createSlice({
  name: 'workspace',
  initialState: initialWorkspaceState,
  reducers: {
    /** A new, empty document (a tab). Its epics start with it; `activate` makes it the active tab. */
    documentAdded: {
      reducer(state: WorkspaceState, action: PayloadAction<{ id: DocumentId; activate: boolean; after?: DocumentId }>) {
        const { id, activate, after } = action.payload;
        if (state.order.includes(id)) return;
        const at = after === undefined ? -1 : state.order.indexOf(after);
        if (at < 0) state.order.push(id);
        else state.order.splice(at + 1, 0, id);
        if (activate || state.activeId === undefined) state.activeId = id;
      },
      prepare(options: { activate?: boolean; after?: DocumentId } = {}) {
        return { payload: { id: newDocumentId(), activate: options.activate ?? true, ...(options.after ? { after: options.after } : {}) } };
      },
    },
    documentActivated(state: WorkspaceState, action: PayloadAction<DocumentId>) {
      if (state.order.includes(action.payload)) state.activeId = action.payload;
    },
    /** The document is gone (its tab closed): the tab to its right becomes active, else the one to its left. */
    documentRemoved(state: WorkspaceState, action: PayloadAction<{ id: DocumentId }>) {
      const index = state.order.indexOf(action.payload.id);
      if (index < 0) return;
      state.order.splice(index, 1);
      if (state.closePrompt?.id === action.payload.id) state.closePrompt = undefined;
      if (state.activeId === action.payload.id) state.activeId = state.order[Math.min(index, state.order.length - 1)];
    },
    tabMoved(state: WorkspaceState, action: PayloadAction<{ id: DocumentId; index: number }>) {
      const from = state.order.indexOf(action.payload.id);
      if (from < 0) return;
      state.order.splice(from, 1);
      state.order.splice(Math.max(0, Math.min(state.order.length, action.payload.index)), 0, action.payload.id);
    },
    /** Intent: show the notebook or folder at `path` — its tab if it is open, else a new tab. */
    openPathRequested(_state: WorkspaceState, _action: PayloadAction<{ path: string }>) {},
    /** Intent: a new untitled notebook (in `folder`, else next to the active one) in a new tab. */
    newNotebookRequested(_state: WorkspaceState, _action: PayloadAction<{ folder?: string }>) {},
    /** Intent: close a tab (the active one without `id`); it asks first when the notebook has unsaved edits or runs still going. */
    closeRequested(_state: WorkspaceState, _action: PayloadAction<{ id?: DocumentId }>) {},
    /** The next (1) or previous (-1) tab becomes active, wrapping around. */
    tabCycled(state: WorkspaceState, action: PayloadAction<number>) {
      if (state.order.length === 0) return;
      const at = state.activeId === undefined ? 0 : state.order.indexOf(state.activeId);
      const n = state.order.length;
      state.activeId = state.order[(((at + action.payload) % n) + n) % n];
    },
    closePrompted(state: WorkspaceState, action: PayloadAction<ClosePrompt>) {
      state.closePrompt = action.payload;
      state.activeId = action.payload.id;
    },
    /** The person's answer: save first (or not), cancel the runs (or let them go on), or keep the tab. */
    closeAnswered(state: WorkspaceState, action: PayloadAction<{ id: DocumentId; answer: 'save' | 'discard' | 'keepOpen'; cancelRuns?: boolean }>) {
      if (action.payload.answer === 'keepOpen' && state.closePrompt?.id === action.payload.id) state.closePrompt = undefined;
    },
    closeSaveFailed(state: WorkspaceState, action: PayloadAction<{ id: DocumentId; reason: string }>) {
      if (state.closePrompt?.id === action.payload.id) state.closePrompt.saveError = action.payload.reason;
    },
    sidebarToggled(state: WorkspaceState, action: PayloadAction<boolean | undefined>) {
      state.sidebarOpen = action.payload ?? !state.sidebarOpen;
    },
    noticeShown(state: WorkspaceState, action: PayloadAction<string>) {
      state.notice = action.payload;
    },
    noticeDismissed(state: WorkspaceState) {
      state.notice = undefined;
    },
  },
});

export const workspaceActions = workspaceSlice.actions;
export const workspaceReducer = workspaceSlice.reducer;
