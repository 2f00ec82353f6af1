/**
 * Which document the window shows (a notebook, a folder listing, or an error page) and its
 * file state: path, mtime for conflict detection, the saved version, recent files.
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { DirectoryEntry, WorkspaceInfo } from '../../../src/host/contract';
import type { Notebook } from '../../../src/jupyter/nbformat';
import type { JsonLocation } from '../../../src/errors';

export type DocumentView = 'starting' | 'loading' | 'notebook' | 'folder' | 'error';

export interface OpenError {
  path: string;
  code: string;
  message: string;
  location?: JsonLocation;
}

export interface FilesState {
  workspace?: WorkspaceInfo;
  view: DocumentView;
  path?: string;
  folder?: { path: string; entries: DirectoryEntry[] };
  error?: OpenError;
  mtimeMs?: number;
  /** The notebook version (notebook slice) that is on disk. */
  savedVersion: number;
  saving: boolean;
  lastSavedAt?: number;
  saveError?: string;
  /** The file changed on disk since we read it: ask before overwriting. */
  conflict: boolean;
  recent: string[];
}

export const initialFilesState: FilesState = { view: 'starting', savedVersion: 0, saving: false, conflict: false, recent: [] };

export const filesSlice = createSlice({
  name: 'files',
  initialState: initialFilesState,
  reducers: {
    /** Intent at start-up: learn the workspace and open its `openPath`. */
    workspaceRequested(_state: FilesState) {},
    workspaceLoaded(state: FilesState, action: PayloadAction<WorkspaceInfo>) {
      state.workspace = action.payload;
    },
    openRequested(state: FilesState, _action: PayloadAction<{ path: string }>) {
      state.view = 'loading';
    },
    openSucceeded(state: FilesState, action: PayloadAction<{ path: string; notebook: Notebook; mtimeMs: number }>) {
      Object.assign(state, { view: 'notebook', path: action.payload.path, mtimeMs: action.payload.mtimeMs, savedVersion: 0,
        saving: false, conflict: false, error: undefined, saveError: undefined, folder: undefined, lastSavedAt: undefined });
    },
    folderOpened(state: FilesState, action: PayloadAction<{ path: string; entries: DirectoryEntry[] }>) {
      state.view = 'folder';
      state.folder = action.payload;
    },
    openFailed(state: FilesState, action: PayloadAction<OpenError>) {
      state.view = 'error';
      state.error = action.payload;
      state.path = action.payload.path;
    },
    /** Intent: save now. `path` saves as; `force` overwrites a file that changed on disk. */
    saveRequested(state: FilesState, _action: PayloadAction<{ auto?: boolean; path?: string; force?: boolean }>) {
      if (state.view === 'notebook') state.saving = true;
    },
    saveSucceeded(state: FilesState, action: PayloadAction<{ path: string; mtimeMs: number; version: number; at: number }>) {
      const { path, mtimeMs, version, at } = action.payload;
      Object.assign(state, { saving: false, path, mtimeMs, savedVersion: version, lastSavedAt: at, conflict: false, saveError: undefined });
    },
    saveFailed(state: FilesState, action: PayloadAction<{ code: string; message: string }>) {
      state.saving = false;
      if (action.payload.code === 'NOT_NEEDED') return;
      if (action.payload.code === 'FILE_CHANGED_ON_DISK') state.conflict = true;
      else state.saveError = action.payload.message;
    },
    /** The person chose to keep the disk version: reload it (the epic re-opens the file). */
    conflictDismissed(state: FilesState) {
      state.conflict = false;
    },
    newRequested(_state: FilesState, _action: PayloadAction<{ folder?: string }>) {},
    recentLoaded(state: FilesState, action: PayloadAction<string[]>) {
      state.recent = action.payload;
    },
  },
});

export const filesActions = filesSlice.actions;
export const { openSucceeded } = filesSlice.actions;
export const filesReducer = filesSlice.reducer;
