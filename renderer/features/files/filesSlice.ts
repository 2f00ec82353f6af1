/**
 * Which document the window shows (a notebook, a folder listing, or an error page) and its
 * file state: path, mtime and content hash for conflict detection, the saved version, why saving
 * is paused (changed or deleted on disk), recent files.
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { DirectoryEntry, WorkspaceInfo } from '../../../src/host/contract';
import type { Cell, Notebook } from '../../../src/jupyter/nbformat';
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
  /** The path being opened while the view is `loading` (the tab's label meanwhile). */
  loadingPath?: string;
  folder?: { path: string; entries: DirectoryEntry[] };
  error?: OpenError;
  mtimeMs?: number;
  /** SHA-256 of the file as last read or written here: every save passes it as expectedContentHash. */
  contentHash?: string;
  /**
   * The notebook shows only its first cells (openPreviewed) while the whole file is still being
   * read: nothing can be edited or saved until openSucceeded brings the document.
   */
  partial?: boolean;
  /** The notebook version (notebook slice) that is on disk. */
  savedVersion: number;
  saving: boolean;
  lastSavedAt?: number;
  saveError?: string;
  /** The file changed on disk since we read it: ask before overwriting. */
  conflict: boolean;
  /** The file was deleted or renamed since we read it: ask before recreating it. */
  deleted: boolean;
  /** The notebook is being read again because it changed on disk (it stays on screen meanwhile). */
  reloading?: boolean;
  /** Why the window did not switch to another document (its edits could not be saved first). */
  notice?: string;
  /** Unsaved edits of this notebook kept in the page's storage by an earlier session. */
  recoveryOffer?: { savedAt: number };
  recent: string[];
}

/** Autosave waits while the person has to choose what happens to the file on disk. */
export const savePaused = (files: FilesState): boolean => files.conflict || files.deleted;

export const initialFilesState: FilesState = { view: 'starting', savedVersion: 0, saving: false, conflict: false, deleted: false, recent: [] };

export const filesSlice = createSlice({
  name: 'files',
  initialState: initialFilesState,
  reducers: {
    /** Intent at start-up: learn the workspace and open its `openPath`. */
    workspaceRequested(_state: FilesState) {},
    workspaceLoaded(state: FilesState, action: PayloadAction<WorkspaceInfo>) {
      state.workspace = action.payload;
    },
    /**
     * Intent: show another document. Unsaved edits are saved first (the open epic); `discard` skips
     * that when the person chose to drop them (load the disk version, close a deleted file).
     */
    openRequested(state: FilesState, action: PayloadAction<{ path: string; discard?: boolean; reload?: boolean }>) {
      if (action.payload.reload) state.reloading = true;
    },
    /** The current notebook is saved (or discarded): the window shows the loading page. */
    openStarted(state: FilesState, action: PayloadAction<{ path: string }>) {
      state.view = 'loading';
      state.loadingPath = action.payload.path;
      state.notice = undefined;
      state.reloading = false;
    },
    /** The switch did not happen: the current notebook's edits could not be saved. */
    openBlocked(state: FilesState, action: PayloadAction<{ message: string }>) {
      state.notice = action.payload.message;
      state.reloading = false;
    },
    /**
     * A file or folder was renamed or moved here (the file browser): a notebook at or below `from`
     * now lives at the new path with the same bytes, so its saves go there (with the hash read).
     */
    pathMoved(state: FilesState, action: PayloadAction<{ from: string; to: string }>) {
      const { from, to } = action.payload;
      const moved = (path: string | undefined) => (path === from ? to : path?.startsWith(`${from}/`) ? `${to}${path.slice(from.length)}` : path);
      if (state.path !== undefined) state.path = moved(state.path);
      if (state.folder) state.folder.path = moved(state.folder.path) ?? state.folder.path;
    },
    noticeDismissed(state: FilesState) {
      state.notice = undefined;
    },
    /**
     * The first cells of the notebook being opened arrived before the whole file (a large notebook):
     * they are shown, read-only, until openSucceeded. No mtime or hash: nothing can be saved yet.
     */
    openPreviewed(state: FilesState, action: PayloadAction<{ path: string; cells: Cell[] }>) {
      Object.assign(state, { view: 'notebook', path: action.payload.path, partial: true, mtimeMs: undefined, contentHash: undefined,
        savedVersion: 0, saving: false, conflict: false, deleted: false, error: undefined, saveError: undefined, folder: undefined, lastSavedAt: undefined });
    },
    /** `reloaded`: the same notebook read again after it changed on disk (its kernel stays). */
    openSucceeded(state: FilesState, action: PayloadAction<{ path: string; notebook: Notebook; mtimeMs: number; contentHash?: string; reloaded?: boolean }>) {
      Object.assign(state, { view: 'notebook', path: action.payload.path, mtimeMs: action.payload.mtimeMs, contentHash: action.payload.contentHash, partial: false,
        savedVersion: 0, saving: false, conflict: false, deleted: false, notice: undefined, error: undefined, saveError: undefined,
        folder: undefined, lastSavedAt: undefined, loadingPath: undefined, reloading: false });
    },
    /** A clean notebook was read again because it changed on disk: say so briefly. */
    reloadedFromDisk(state: FilesState, action: PayloadAction<{ path: string }>) {
      state.notice = `Reloaded: ${action.payload.path.replace(/^.*[\\/]/, '')} changed on disk.`;
    },
    /** Reading it again failed (e.g. half written, not JSON yet): the notebook stays as it was. */
    reloadFailed(state: FilesState, action: PayloadAction<{ path: string; message: string }>) {
      state.reloading = false;
      state.notice = `${action.payload.path.replace(/^.*[\\/]/, '')} changed on disk but could not be read again: ${action.payload.message}`;
    },
    /**
     * The file changed on disk while this notebook has unsaved edits: the conflict banner asks now,
     * before any save (the edits stay; autosave waits).
     */
    changedOnDisk(state: FilesState, action: PayloadAction<{ path: string }>) {
      state.reloading = false;
      if (action.payload.path !== state.path || state.view !== 'notebook') return;
      state.conflict = true;
      state.deleted = false;
    },
    /** The file was deleted (or moved away by another program): the deleted banner asks before it is recreated. */
    deletedOnDisk(state: FilesState, action: PayloadAction<{ path: string }>) {
      if (action.payload.path !== state.path || state.view !== 'notebook') return;
      state.deleted = true;
      state.conflict = false;
    },
    /** The file is back to the bytes this notebook was based on: nothing to ask any more. */
    backOnDisk(state: FilesState, action: PayloadAction<{ path: string }>) {
      if (action.payload.path !== state.path) return;
      state.conflict = false;
      state.deleted = false;
    },
    folderOpened(state: FilesState, action: PayloadAction<{ path: string; entries: DirectoryEntry[] }>) {
      state.view = 'folder';
      state.partial = false;
      state.folder = action.payload;
      state.loadingPath = undefined;
    },
    openFailed(state: FilesState, action: PayloadAction<OpenError>) {
      state.reloading = false;
      state.view = 'error';
      state.loadingPath = undefined;
      state.partial = false;
      state.error = action.payload;
      state.path = action.payload.path;
    },
    /**
     * Intent: save now. `path` saves as; `force` overwrites a file that changed on disk (or recreates
     * a deleted one). `id` comes back on the result, for whoever waits for this save.
     */
    saveRequested(state: FilesState, _action: PayloadAction<{ auto?: boolean; path?: string; force?: boolean; id?: string }>) {
      if (state.view === 'notebook') state.saving = true;
    },
    saveSucceeded(state: FilesState, action: PayloadAction<{ path: string; mtimeMs: number; contentHash?: string; version: number; at: number; id?: string }>) {
      const { path, mtimeMs, contentHash, version, at } = action.payload;
      Object.assign(state, { saving: false, path, mtimeMs, contentHash, savedVersion: version, lastSavedAt: at, conflict: false, deleted: false, saveError: undefined });
    },
    saveFailed(state: FilesState, action: PayloadAction<{ code: string; message: string; id?: string }>) {
      state.saving = false;
      const { code, message } = action.payload;
      if (code === 'NOT_NEEDED') return;
      if (code === 'FILE_CHANGED_ON_DISK') state.conflict = true;
      else if (code === 'FILE_DELETED') state.deleted = true;
      else state.saveError = message;
    },
    /** The person chose to keep the disk version: reload it (the epic re-opens the file). */
    conflictDismissed(state: FilesState) {
      state.conflict = false;
      state.deleted = false;
    },
    recoveryOffered(state: FilesState, action: PayloadAction<{ savedAt: number }>) {
      state.recoveryOffer = action.payload;
    },
    /** Intent: put the kept edits back (the recovery epic reads them). */
    recoveryRestoreRequested(_state: FilesState) {},
    recoveryDiscarded(state: FilesState) {
      state.recoveryOffer = undefined;
    },
    /** The kept edits replace the document, unsaved, based on the file version they were made on. */
    recoveryRestored(state: FilesState, action: PayloadAction<{ notebook: Notebook; mtimeMs?: number; contentHash?: string }>) {
      const { mtimeMs, contentHash } = action.payload;
      Object.assign(state, { recoveryOffer: undefined, conflict: false, deleted: false, saveError: undefined });
      if (mtimeMs !== undefined) state.mtimeMs = mtimeMs;
      if (contentHash !== undefined) state.contentHash = contentHash;
    },
    newRequested(_state: FilesState, _action: PayloadAction<{ folder?: string }>) {},
    recentLoaded(state: FilesState, action: PayloadAction<string[]>) {
      state.recent = action.payload;
    },
  },
});

export const filesActions = filesSlice.actions;
export const { openPreviewed, openSucceeded, recoveryRestored } = filesSlice.actions;
export const filesReducer = filesSlice.reducer;
