/**
 * The open notebook's document (cells, metadata), cell-operation undo/redo and per-cell
 * execution runtime. Cell edits are reducers over the pure `notebookOps`; ids for new cells are
 * made in the action creators' `prepare`, so the reducers stay pure.
 */
import { createSlice, isDraft, original, prepareAutoBatched, type PayloadAction } from '@reduxjs/toolkit';
import type { Cell, CellType, CodeCell, Notebook, NotebookMetadata, Output } from '../../../src/jupyter/nbformat';
import type { JsonObject, MessageHeader } from '../../../src/jupyter/messages';
import * as ops from '../../../src/jupyter/notebookOps';
import { updateDisplayInOutputs } from '../../../src/jupyter/outputs';
import type { DisplayDataContent } from '../../../src/jupyter/messages';
import { openPreviewed, openSucceeded, recoveryRestored } from '../files/filesSlice';
import { newCellId } from './cellIds';

export type CellRunState = 'idle' | 'queued' | 'running' | 'done' | 'error' | 'skipped';

export interface CellRuntime {
  state: CellRunState;
  /** Epoch ms when the kernel started / finished the cell. */
  startedAt?: number;
  endedAt?: number;
  /** Why a run ended without a reply (the kernel died or restarted). */
  note?: string;
  /** An input() prompt waiting for an answer. */
  input?: { prompt: string; password: boolean; parentHeader: MessageHeader };
}

export interface NotebookState {
  loaded: boolean;
  nbformatMinor: number;
  metadata: NotebookMetadata;
  cells: Cell[];
  /** The file had no cell ids (nbformat < 4.5): ours are in-memory only and are not saved. */
  stripIds: boolean;
  /** Increments on every content change; files compares it with the saved version. */
  version: number;
  past: UndoEntry[];
  future: UndoEntry[];
  runtime: Record<string, CellRuntime>;
  /**
   * Only the first cells are here (files/openPreviewed), as they were received: the whole notebook
   * is still being read. While set, this slice takes no edits (every other action is ignored), and
   * openSucceeded keeps these cells, appending the rest, when the document starts with them.
   */
  partial?: { received: Cell[] };
}

/**
 * One step of the cell-operation history: the cell list to go back to, and the cells whose text or
 * outputs the operation itself changed (a merge's first cell, a split cell, replaced text). Those
 * come back as they were; every other cell keeps what was typed or run since.
 */
export interface UndoEntry {
  cells: Cell[];
  changed: string[];
}

const UNDO_LIMIT = 100;

export const initialNotebookState: NotebookState = {
  loaded: false, nbformatMinor: 5, metadata: {}, cells: [], stripIds: false, version: 0, past: [], future: [], runtime: {},
};

/** The plain (non-draft) cell list: ops read thousands of cells, proxies would make that slow. */
/**
 * Freezes a freshly loaded notebook's parts. Immer would do it too (the store's state is frozen),
 * but its generic walk costs ~60 ms for 2,000 cells on the way to the first paint; this loop costs
 * a few, and immer stops at what is already frozen.
 */
function freezeDeep<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) for (const item of value) freezeDeep(item);
  else for (const key of Object.keys(value)) freezeDeep((value as Record<string, unknown>)[key]);
  return value;
}

function cellsOf(state: NotebookState): Cell[] {
  return plain(state.cells);
}

function plain<T>(value: T): T {
  return isDraft(value) ? (original(value as never) as T) : value;
}

/** Records the cells before a cell operation so Z can undo it. */
function commit(state: NotebookState, next: Cell[]): void {
  const before = cellsOf(state);
  if (next.length === before.length && next.every((c, i) => c === before[i])) return;
  state.past.push({ cells: before, changed: contentChanged(before, next) });
  if (state.past.length > UNDO_LIMIT) state.past.shift();
  state.future = [];
  state.cells = next;
  state.version += 1;
}

/** Content edits that are not cell operations (typing, outputs) do not enter the undo history. */
function edit(state: NotebookState, next: Cell[]): void {
  const before = cellsOf(state);
  if (next.length === before.length && next.every((c, i) => c === before[i])) return;
  state.cells = next;
  state.version += 1;
}

/** Ids of cells present before and after an operation whose source or outputs it changed. */
function contentChanged(before: Cell[], after: Cell[]): string[] {
  const byId = new Map(after.map((c) => [c.id, c]));
  return before.filter((c) => {
    const next = byId.get(c.id);
    if (!next || next === c) return false;
    if (next.source !== c.source) return true;
    return c.cell_type === 'code' && next.cell_type === 'code' && (next.outputs !== c.outputs || next.execution_count !== c.execution_count);
  }).map((c) => c.id ?? '');
}

/**
 * Undo restores the cell list but keeps what the person typed and what ran since: sources and
 * outputs of cells present in both lists come from the current document, except in the cells the
 * undone operation changed (else undoing a merge would leave the second cell's text in the first).
 */
function restore(current: Cell[], snapshot: Cell[], changed: readonly string[]): Cell[] {
  const byId = new Map(current.map((c) => [c.id, c]));
  return snapshot.map((c) => {
    const now = byId.get(c.id);
    if (!now || now.cell_type !== c.cell_type || changed.includes(c.id ?? '')) return c;
    if (c.cell_type === 'code' && now.cell_type === 'code') {
      return { ...c, source: now.source, outputs: now.outputs, execution_count: now.execution_count };
    }
    return { ...c, source: now.source };
  });
}

function setRuntime(state: NotebookState, id: string, runtime: CellRuntime): void {
  state.runtime[id] = runtime;
}

const withId = <T extends object>(payload: T) => ({ payload: { ...payload, newId: newCellId() } });

export const notebookSlice = createSlice({
  name: 'notebook',
  initialState: initialNotebookState,
  reducers: {
    cellInserted: {
      reducer(state: NotebookState, action: PayloadAction<{ index: number; cellType: CellType; source?: string; newId: string }>) {
        const { index, cellType, source, newId } = action.payload;
        commit(state, ops.insertCell(cellsOf(state), index, ops.createCell(cellType, newId, source ?? '')));
      },
      prepare: (p: { index: number; cellType: CellType; source?: string }) => withId(p),
    },
    cellsDeleted(state: NotebookState, action: PayloadAction<{ ids: string[] }>) {
      commit(state, ops.deleteCells(cellsOf(state), action.payload.ids));
      for (const id of action.payload.ids) delete state.runtime[id];
    },
    cellsMoved(state: NotebookState, action: PayloadAction<{ ids: string[]; delta: number }>) {
      commit(state, ops.moveCells(cellsOf(state), action.payload.ids, action.payload.delta));
    },
    cellDropped(state: NotebookState, action: PayloadAction<{ id: string; toIndex: number }>) {
      commit(state, ops.moveCellTo(cellsOf(state), action.payload.id, action.payload.toIndex));
    },
    cellTypeChanged(state: NotebookState, action: PayloadAction<{ ids: string[]; cellType: CellType }>) {
      commit(state, ops.changeCellType(cellsOf(state), action.payload.ids, action.payload.cellType));
    },
    cellsMerged(state: NotebookState, action: PayloadAction<{ ids: string[] }>) {
      commit(state, ops.mergeCells(cellsOf(state), action.payload.ids));
    },
    cellSplit: {
      reducer(state: NotebookState, action: PayloadAction<{ id: string; offset: number; newId: string }>) {
        commit(state, ops.splitCell(cellsOf(state), action.payload.id, action.payload.offset, action.payload.newId));
      },
      prepare: (p: { id: string; offset: number }) => withId(p),
    },
    cellsPasted: {
      reducer(state: NotebookState, action: PayloadAction<{ index: number; cells: Cell[]; newIds: string[] }>) {
        const { index, cells, newIds } = action.payload;
        const hadParameters = ops.parametersCellId(cellsOf(state)) !== undefined;
        const pasted = cells.map((c, i) => {
          const copy = { ...c, id: newIds[i] } as Cell;
          // A pasted parameters cell must not make a second one: the existing tag wins.
          if (!hadParameters && i === cells.findIndex((x) => ops.hasTag(x, ops.PARAMETERS_TAG))) return copy;
          return ops.hasTag(copy, ops.PARAMETERS_TAG) ? ops.toggleTag([copy], copy.id ?? '', 'parameters')[0] : copy;
        });
        let next = cellsOf(state);
        pasted.forEach((c, i) => { next = ops.insertCell(next, index + i, c); });
        commit(state, next);
      },
      prepare: (p: { index: number; cells: Cell[] }) => ({ payload: { ...p, newIds: p.cells.map(() => newCellId()) } }),
    },
    tagToggled(state: NotebookState, action: PayloadAction<{ id: string; tag: string }>) {
      commit(state, ops.toggleTag(cellsOf(state), action.payload.id, action.payload.tag));
    },
    jupyterMetadataSet(state: NotebookState, action: PayloadAction<{ id: string; key: 'source_hidden' | 'outputs_hidden'; value: boolean }>) {
      const { id, key, value } = action.payload;
      edit(state, ops.setJupyterMetadata(cellsOf(state), id, key, value ? true : undefined));
    },
    outputsCleared(state: NotebookState, action: PayloadAction<{ ids?: string[] }>) {
      commit(state, ops.clearOutputs(cellsOf(state), action.payload.ids));
    },
    /**
     * A renderer (the data explorer) changed the metadata of one output, e.g. the chosen view: saved
     * into the .ipynb. Only user choices dispatch it, so it marks the notebook unsaved (when it changed).
     */
    outputMetadataSet(state: NotebookState, action: PayloadAction<{ id: string; index: number; metadata: JsonObject }>) {
      const { id, index, metadata } = action.payload;
      edit(state, cellsOf(state).map((c) => {
        if (c.id !== id || c.cell_type !== 'code') return c;
        const output = c.outputs[index] as Output | undefined;
        if (!output || output.output_type === 'stream' || output.output_type === 'error') return c;
        if (JSON.stringify(output.metadata ?? {}) === JSON.stringify(metadata)) return c;
        const outputs = c.outputs.slice();
        outputs[index] = { ...output, metadata };
        return { ...c, outputs };
      }));
    },
    replacedAll(state: NotebookState, action: PayloadAction<{ query: string; replacement: string; caseSensitive: boolean; only?: ops.FindMatch }>) {
      const { query, replacement, caseSensitive, only } = action.payload;
      commit(state, ops.replaceInCells(cellsOf(state), query, replacement, { caseSensitive, only }));
    },
    // Typing and output floods: subscribers hear about these once per animation frame (RTK autoBatch).
    cellSourceChanged: {
      reducer(state: NotebookState, action: PayloadAction<{ id: string; text: string }>) {
        edit(state, ops.setCellSource(cellsOf(state), action.payload.id, action.payload.text));
      },
      prepare: prepareAutoBatched<{ id: string; text: string }>(),
    },
    undoRequested(state: NotebookState) {
      const popped = state.past.pop();
      if (!popped) return;
      const { cells, changed } = plain(popped);
      state.future.push({ cells: cellsOf(state), changed: [...changed] });
      state.cells = restore(cellsOf(state), plain(cells), changed);
      state.version += 1;
    },
    redoRequested(state: NotebookState) {
      const popped = state.future.pop();
      if (!popped) return;
      const { cells, changed } = plain(popped);
      state.past.push({ cells: cellsOf(state), changed: [...changed] });
      state.cells = restore(cellsOf(state), plain(cells), changed);
      state.version += 1;
    },
    /** Kernel facts go into the metadata without marking the notebook unsaved (no autosave on open). */
    kernelspecRecorded(state: NotebookState, action: PayloadAction<{ name: string; displayName: string; language: string; languageInfo?: NotebookMetadata }>) {
      const { name, displayName, language, languageInfo } = action.payload;
      const current = state.metadata.kernelspec as { name?: string; display_name?: string; language?: string } | undefined;
      if (current?.name !== name || current.display_name !== displayName || current.language !== language) {
        state.metadata.kernelspec = { name, display_name: displayName, language };
      }
      if (languageInfo && JSON.stringify(state.metadata.language_info) !== JSON.stringify(languageInfo)) {
        state.metadata.language_info = languageInfo;
      }
    },

    // --- execution ------------------------------------------------------------------------
    /** Intent: run these cells in order (non-code cells are ignored). */
    /**
     * `skipTagged`: a run of many cells (run all, above, below, restart and run all) leaves cells
     * tagged skip-execution alone, as nbclient and `quire run` do; running a cell by itself runs it.
     */
    executeRequested(state: NotebookState, action: PayloadAction<{ ids: string[]; skipTagged?: boolean }>) {
      for (const id of action.payload.ids) {
        const cell = cellsOf(state).find((c) => c.id === id);
        if (cell?.cell_type === 'code' && !(action.payload.skipTagged && ops.skipsExecution(cell))) setRuntime(state, id, { state: 'queued' });
      }
    },
    cellExecutionStarted(state: NotebookState, action: PayloadAction<{ id: string; at: number }>) {
      const { id, at } = action.payload;
      setRuntime(state, id, { state: 'running', startedAt: at });
      const cell = cellsOf(state).find((c) => c.id === id);
      if (cell?.cell_type === 'code' && (cell.outputs.length > 0 || cell.execution_count !== null)) {
        edit(state, cellsOf(state).map((c) => (c === cell ? { ...cell, outputs: [], execution_count: null } : c)));
      }
    },
    cellOutputsChanged: {
      reducer(state: NotebookState, action: PayloadAction<{ id: string; outputs: Output[] }>) {
        const { id, outputs } = action.payload;
        edit(state, cellsOf(state).map((c) => (c.id === id && c.cell_type === 'code' ? { ...c, outputs } : c)));
      },
      prepare: prepareAutoBatched<{ id: string; outputs: Output[] }>(),
    },
    displayUpdated(state: NotebookState, action: PayloadAction<{ displayId: string; content: DisplayDataContent; exceptId?: string }>) {
      const { displayId, content, exceptId } = action.payload;
      edit(state, cellsOf(state).map((c) => {
        if (c.cell_type !== 'code' || c.id === exceptId) return c;
        const outputs = updateDisplayInOutputs(c.outputs, displayId, content);
        return outputs ? { ...c, outputs } : c;
      }));
    },
    executionCountReceived(state: NotebookState, action: PayloadAction<{ id: string; count: number | null }>) {
      const { id, count } = action.payload;
      edit(state, cellsOf(state).map((c) => (c.id === id && c.cell_type === 'code' && c.execution_count !== count
        ? { ...c, execution_count: count } as CodeCell : c)));
    },
    inputRequested(state: NotebookState, action: PayloadAction<{ id: string; prompt: string; password: boolean; parentHeader: MessageHeader }>) {
      const { id, ...input } = action.payload;
      const runtime = state.runtime[id];
      if (runtime) runtime.input = input;
    },
    /** Intent: answer the cell's pending input() prompt. */
    inputReplyRequested(_state: NotebookState, _action: PayloadAction<{ id: string; value: string }>) {},
    inputReplied(state: NotebookState, action: PayloadAction<{ id: string; value: string }>) {
      const runtime = state.runtime[action.payload.id];
      if (runtime) delete runtime.input;
    },
    /** A cell finished: ok, error, or aborted by the kernel (stop on error → skipped). */
    cellExecutionFinished(state: NotebookState, action: PayloadAction<{ id: string; status: 'ok' | 'error' | 'aborted'; at: number }>) {
      const { id, status, at } = action.payload;
      const previous = state.runtime[id];
      const runState: CellRunState = status === 'ok' ? 'done' : status === 'error' ? 'error' : 'skipped';
      setRuntime(state, id, { state: runState, startedAt: previous?.startedAt, endedAt: status === 'aborted' ? undefined : at });
      // Stop at the first error: cells still waiting will be aborted by the kernel; show it now.
      if (status === 'error') {
        for (const rt of Object.values(state.runtime)) if (rt.state === 'queued') rt.state = 'skipped';
      }
    },
    /** The cell's execution stream ended without a reply (restart, dead kernel, deleted cell). */
    cellExecutionCancelled(state: NotebookState, action: PayloadAction<{ id: string; reason: string }>) {
      const rt = state.runtime[action.payload.id];
      if (rt && (rt.state === 'queued' || rt.state === 'running')) {
        state.runtime[action.payload.id] = { state: rt.state === 'running' ? 'error' : 'skipped', startedAt: rt.startedAt, note: action.payload.reason };
      }
    },
  },
  extraReducers: (builder) => {
    builder.addCase(openPreviewed, (_state, action) => ({
      ...loadNotebook({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: action.payload.cells }, 0),
      partial: { received: action.payload.cells },
    }));
    builder.addCase(openSucceeded, (state, action) => completeOpen(plain(state), action.payload.notebook));
    // Recovered edits are not on disk: a version the files slice has not saved marks them unsaved.
    builder.addCase(recoveryRestored, (state, action) => loadNotebook(action.payload.notebook, state.version + 1));
  },
});

function loadNotebook(notebook: Notebook, version: number): NotebookState {
  const stripIds = notebook.nbformat_minor < 5 || notebook.cells.some((c) => !c.id);
  const cells = freezeDeep(notebook.cells.map((c) => (c.id ? c : { ...c, id: newCellId() })));
  return { ...initialNotebookState, loaded: true, nbformatMinor: notebook.nbformat_minor, metadata: freezeDeep(notebook.metadata), cells, stripIds, version };
}

/**
 * The whole document after a preview: when it starts with exactly the cells received (same JSON,
 * so the same file), the shown cells stay (same objects and ids, so nothing on screen re-renders)
 * and the rest are appended; otherwise (the file changed between the two reads, or the read
 * repaired ids) the document replaces them.
 */
function completeOpen(state: NotebookState, notebook: Notebook): NotebookState {
  const full = loadNotebook(notebook, 0);
  const received = state.partial?.received;
  if (!received || received.length > notebook.cells.length) return full;
  for (let i = 0; i < received.length; i++) if (JSON.stringify(received[i]) !== JSON.stringify(notebook.cells[i])) return full;
  return { ...full, cells: [...state.cells, ...full.cells.slice(received.length)] };
}

/** Actions that load a document; while only a preview is here, every other action is ignored. */
const loadsDocument = (action: { type: string }) => openPreviewed.match(action) || openSucceeded.match(action) || recoveryRestored.match(action);

export const notebookActions = notebookSlice.actions;
export const notebookReducer: typeof notebookSlice.reducer = (state, action) =>
  (state?.partial && !loadsDocument(action) ? state : notebookSlice.reducer(state, action));
