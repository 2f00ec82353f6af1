/**
 * Selection, Jupyter's command/edit modes, which cells show their markdown source, the cell
 * clipboard, and which panels are open.
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Cell } from '../../../src/jupyter/nbformat';
import { openPreviewed, openSucceeded, recoveryRestored } from '../files/filesSlice';
import { notebookActions } from '../notebook/notebookSlice';

export type Panel = 'none' | 'shortcuts' | 'kernelPicker' | 'openFile' | 'saveAs' | 'settings' | 'runs';

export interface UiState {
  mode: 'command' | 'edit';
  activeId?: string;
  /** The selection range's fixed end (Shift+Up/Down extends from here). */
  anchorId?: string;
  selected: string[];
  /** Markdown cells showing their editor instead of the rendering. */
  editingMarkdown: Record<string, true>;
  clipboard: Cell[];
  panel: Panel;
  find: { open: boolean; query: string; replacement: string; caseSensitive: boolean };
  /** Bumped to ask the active cell's editor to take focus. */
  focusToken: number;
}

export const initialUiState: UiState = {
  mode: 'command', selected: [], editingMarkdown: {}, clipboard: [], panel: 'none',
  find: { open: false, query: '', replacement: '', caseSensitive: false }, focusToken: 0,
};

export const uiSlice = createSlice({
  name: 'ui',
  initialState: initialUiState,
  reducers: {
    cellSelected(state: UiState, action: PayloadAction<{ id: string; extend?: string[]; edit?: boolean }>) {
      const { id, extend, edit } = action.payload;
      state.activeId = id;
      if (extend) state.selected = extend;
      else {
        state.selected = [id];
        state.anchorId = id;
      }
      if (edit !== undefined) state.mode = edit ? 'edit' : 'command';
      if (edit) state.focusToken += 1;
    },
    /** A cell editor got focus (by click or tab): that cell is active and we are in edit mode. */
    editorFocused(state: UiState, action: PayloadAction<{ id: string }>) {
      const { id } = action.payload;
      if (state.activeId !== id || state.selected.length !== 1) Object.assign(state, { activeId: id, anchorId: id, selected: [id] });
      state.mode = 'edit';
    },
    modeChanged(state: UiState, action: PayloadAction<'command' | 'edit'>) {
      state.mode = action.payload;
      if (action.payload === 'edit') state.focusToken += 1;
    },
    markdownEditingChanged(state: UiState, action: PayloadAction<{ id: string; editing: boolean }>) {
      if (action.payload.editing) state.editingMarkdown[action.payload.id] = true;
      else delete state.editingMarkdown[action.payload.id];
    },
    clipboardSet(state: UiState, action: PayloadAction<Cell[]>) {
      state.clipboard = action.payload;
    },
    panelOpened(state: UiState, action: PayloadAction<Panel>) {
      state.panel = action.payload;
    },
    findChanged(state: UiState, action: PayloadAction<Partial<UiState['find']>>) {
      state.find = { ...state.find, ...action.payload };
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(recoveryRestored, (_state, action) => {
        const first = action.payload.notebook.cells[0]?.id;
        return { ...initialUiState, activeId: first, anchorId: first, selected: first ? [first] : [] };
      })
      // The first cells of a large notebook, shown before the rest: nothing of the last document stays selected.
      .addCase(openPreviewed, (_state, action) => {
        const first = action.payload.cells[0]?.id;
        return { ...initialUiState, activeId: first, anchorId: first, selected: first ? [first] : [] };
      })
      .addCase(openSucceeded, (state, action) => {
        // Read again after a change on disk: the place in the notebook stays where its cells do.
        const ids = new Set(action.payload.notebook.cells.map((c) => c.id));
        if (action.payload.reloaded && state.activeId !== undefined && ids.has(state.activeId)) {
          state.selected = state.selected.filter((id) => ids.has(id));
          if (state.anchorId !== undefined && !ids.has(state.anchorId)) state.anchorId = state.activeId;
          return;
        }
        const first = action.payload.notebook.cells[0]?.id;
        return { ...initialUiState, activeId: first, anchorId: first, selected: first ? [first] : [] };
      })
      .addCase(notebookActions.cellInserted, (state, action) => {
        const id = action.payload.newId;
        Object.assign(state, { activeId: id, anchorId: id, selected: [id] });
        if (action.payload.cellType === 'markdown') state.editingMarkdown[id] = true;
      })
      .addCase(notebookActions.cellSplit, (state, action) => {
        const id = action.payload.newId;
        Object.assign(state, { activeId: id, anchorId: id, selected: [id], mode: 'edit', focusToken: state.focusToken + 1 });
      })
      // The merged cells after the first are gone: the first is the one J/K move from.
      .addCase(notebookActions.cellsMerged, (state, action) => {
        const [first, ...gone] = action.payload.ids;
        const involved = gone.length > 0 && [first, ...gone].some((id) => id === state.activeId || state.selected.includes(id));
        if (involved) Object.assign(state, { activeId: first, anchorId: first, selected: [first] });
      })
      .addCase(notebookActions.cellTypeChanged, (state, action) => {
        if (action.payload.cellType !== 'markdown') for (const id of action.payload.ids) delete state.editingMarkdown[id];
      });
  },
});

export const uiActions = uiSlice.actions;
export const uiReducer = uiSlice.reducer;
