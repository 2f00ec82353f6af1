/**
 * What each command of the shared registry (src/commands/commands.ts) does in the notebook
 * window, as thunks over the store. Keyboard shortcuts, the toolbar and Electron menus all end
 * up here, so a command behaves the same wherever it was triggered.
 */
import type { ThunkAction, UnknownAction } from '@reduxjs/toolkit';
import type { CellType } from '../../../src/jupyter/nbformat';
import type { DocumentState } from '../../store/documentState';
import { filesActions } from '../files/filesSlice';
import { kernelsActions } from '../../features/kernels/kernelsSlice';
import { notebookActions } from '../notebook/notebookSlice';
import { uiActions } from './uiSlice';
import { workspaceActions } from '../workspace/workspaceSlice';
import { runsActions } from '../runs/runsSlice';
import { settingsActions } from '../settings/settingsSlice';

export type AppThunk<R = void> = ThunkAction<R, DocumentState, unknown, UnknownAction>;

const ids = (s: DocumentState): string[] => s.notebook.cells.map((c) => c.id ?? '');

/** The selected cells in document order (the active cell when nothing else is). */
export function selectedIds(s: DocumentState): string[] {
  const chosen = new Set(s.ui.selected.length > 0 ? s.ui.selected : s.ui.activeId ? [s.ui.activeId] : []);
  return ids(s).filter((id) => chosen.has(id));
}

function activeIndex(s: DocumentState): number {
  return Math.max(0, ids(s).indexOf(s.ui.activeId ?? ''));
}

export function selectRelative(delta: number, extend = false): AppThunk {
  return (dispatch, getState) => {
    const s = getState();
    const all = ids(s);
    if (all.length === 0) return;
    const target = all[Math.max(0, Math.min(all.length - 1, activeIndex(s) + delta))];
    if (!extend) {
      dispatch(uiActions.cellSelected({ id: target }));
      return;
    }
    const anchor = all.indexOf(s.ui.anchorId ?? target);
    const to = all.indexOf(target);
    const range = all.slice(Math.min(anchor, to), Math.max(anchor, to) + 1);
    dispatch(uiActions.cellSelected({ id: target, extend: range }));
  };
}

/** Selects from the anchor cell to `id` (Shift+click). */
export function selectRange(id: string): AppThunk {
  return (dispatch, getState) => {
    const all = ids(getState());
    const anchor = all.indexOf(getState().ui.anchorId ?? id);
    const to = all.indexOf(id);
    if (anchor < 0 || to < 0) return;
    dispatch(uiActions.cellSelected({ id, extend: all.slice(Math.min(anchor, to), Math.max(anchor, to) + 1) }));
  };
}

function insert(offset: 0 | 1, cellType: CellType = 'code', edit = true): AppThunk {
  return (dispatch, getState) => {
    const s = getState();
    const index = s.notebook.cells.length === 0 ? 0 : activeIndex(s) + offset;
    dispatch(notebookActions.cellInserted({ index, cellType }));
    if (edit) dispatch(uiActions.modeChanged('edit'));
  };
}

function run(advance: 'stay' | 'next' | 'insert'): AppThunk {
  return (dispatch, getState) => {
    const s = getState();
    const chosen = selectedIds(s);
    // Running a markdown cell renders it.
    for (const id of chosen) dispatch(uiActions.markdownEditingChanged({ id, editing: false }));
    dispatch(notebookActions.executeRequested({ ids: chosen }));
    const all = ids(s);
    const last = all.indexOf(chosen[chosen.length - 1] ?? '');
    if (advance === 'next') {
      // Classic Jupyter: the next cell is selected in command mode; a new last cell opens for typing.
      if (last === all.length - 1) {
        dispatch(notebookActions.cellInserted({ index: all.length, cellType: 'code' }));
        dispatch(uiActions.modeChanged('edit'));
      } else dispatch(uiActions.cellSelected({ id: all[last + 1], edit: false }));
    } else if (advance === 'insert') {
      dispatch(notebookActions.cellInserted({ index: last + 1, cellType: 'code' }));
      dispatch(uiActions.modeChanged('edit'));
    }
  };
}

function deleteSelected(): AppThunk {
  return (dispatch, getState) => {
    const s = getState();
    const chosen = selectedIds(s);
    if (chosen.length === 0) return;
    const all = ids(s);
    const after = all.filter((id) => !chosen.includes(id));
    const first = all.indexOf(chosen[0]);
    dispatch(notebookActions.cellsDeleted({ ids: chosen }));
    const next = after[Math.min(first, after.length - 1)];
    if (next) dispatch(uiActions.cellSelected({ id: next, edit: false }));
  };
}

function copy(cut: boolean): AppThunk {
  return (dispatch, getState) => {
    const s = getState();
    const chosen = new Set(selectedIds(s));
    dispatch(uiActions.clipboardSet(s.notebook.cells.filter((c) => chosen.has(c.id ?? ''))));
    if (cut) dispatch(deleteSelected());
  };
}

function paste(offset: 0 | 1): AppThunk {
  return (dispatch, getState) => {
    const s = getState();
    if (s.ui.clipboard.length === 0) return;
    const index = s.notebook.cells.length === 0 ? 0 : activeIndex(s) + offset;
    dispatch(notebookActions.cellsPasted({ index, cells: s.ui.clipboard }));
  };
}

function runRange(which: 'all' | 'above' | 'below'): AppThunk {
  return (dispatch, getState) => {
    const s = getState();
    const all = ids(s);
    const at = activeIndex(s);
    const chosen = which === 'all' ? all : which === 'above' ? all.slice(0, at) : all.slice(at);
    dispatch(notebookActions.executeRequested({ ids: chosen, skipTagged: true }));
  };
}

function toggleJupyter(key: 'source_hidden' | 'outputs_hidden'): AppThunk {
  return (dispatch, getState) => {
    const s = getState();
    for (const id of selectedIds(s)) {
      const cell = s.notebook.cells.find((c) => c.id === id);
      const jupyter = cell?.metadata.jupyter as Record<string, unknown> | undefined;
      dispatch(notebookActions.jupyterMetadataSet({ id, key, value: !jupyter?.[key] }));
    }
  };
}

/** Runs a registry command id. Unknown or not-here commands return false. */
export function runCommand(id: string): AppThunk<boolean> {
  return (dispatch, getState) => {
    const s = getState();
    const chosen = selectedIds(s);
    const act = (a: UnknownAction | AppThunk) => { dispatch(a as UnknownAction); return true; };
    switch (id) {
      case 'notebook.new': return act(filesActions.newRequested({}));
      case 'notebook.open': return act(uiActions.panelOpened('openFile'));
      case 'notebook.save': return act(filesActions.saveRequested({}));
      case 'notebook.saveAs': return act(uiActions.panelOpened('saveAs'));
      case 'notebook.find': return act(uiActions.findChanged({ open: true }));
      case 'notebook.replace': return act(uiActions.findChanged({ open: true }));
      case 'cell.undo': return act(notebookActions.undoRequested());
      case 'cell.redo': return act(notebookActions.redoRequested());
      case 'cell.cut': return act(copy(true));
      case 'cell.copy': return act(copy(false));
      case 'cell.pasteBelow': return act(paste(1));
      case 'cell.pasteAbove': return act(paste(0));
      case 'view.toggleInput': return act(toggleJupyter('source_hidden'));
      case 'view.toggleOutput': return act(toggleJupyter('outputs_hidden'));
      case 'cell.run': return act(run('stay'));
      case 'cell.runAndAdvance': return act(run('next'));
      case 'cell.runAndInsert': return act(run('insert'));
      case 'cell.runAll': return act(runRange('all'));
      case 'cell.runAbove': return act(runRange('above'));
      case 'cell.runBelow': return act(runRange('below'));
      case 'cell.insertAbove': return act(insert(0, 'code', false));
      case 'cell.insertBelow': return act(insert(1, 'code', false));
      case 'cell.changeToCode': return act(notebookActions.cellTypeChanged({ ids: chosen, cellType: 'code' }));
      case 'cell.changeToMarkdown': return act(notebookActions.cellTypeChanged({ ids: chosen, cellType: 'markdown' }));
      case 'cell.changeToRaw': return act(notebookActions.cellTypeChanged({ ids: chosen, cellType: 'raw' }));
      case 'cell.toggleParameters': return s.ui.activeId ? act(notebookActions.tagToggled({ id: s.ui.activeId, tag: 'parameters' })) : false;
      case 'cell.moveUp': return act(notebookActions.cellsMoved({ ids: chosen, delta: -1 }));
      case 'cell.moveDown': return act(notebookActions.cellsMoved({ ids: chosen, delta: 1 }));
      case 'cell.merge': {
        if (chosen.length > 1) return act(notebookActions.cellsMerged({ ids: chosen }));
        const all = ids(s);
        const next = all[all.indexOf(chosen[0]) + 1];
        return next ? act(notebookActions.cellsMerged({ ids: [chosen[0], next] })) : false;
      }
      case 'cell.delete': return act(deleteSelected());
      case 'cell.clearOutputs': return act(notebookActions.outputsCleared({ ids: chosen }));
      case 'cell.clearAllOutputs': return act(notebookActions.outputsCleared({}));
      case 'kernel.interrupt': return act(kernelsActions.interruptRequested());
      case 'kernel.restart': return act(kernelsActions.restartRequested({}));
      case 'kernel.restartAndRunAll': return act(kernelsActions.restartRequested({ runAll: true }));
      case 'kernel.change': return act(uiActions.panelOpened('kernelPicker'));
      case 'help.shortcuts': return act(uiActions.panelOpened('shortcuts'));
      case 'app.settings': return act(uiActions.panelOpened('settings'));
      // Tabs are the window's: the workspace epics act on the active one.
      case 'tab.close': return act(workspaceActions.closeRequested({}));
      case 'tab.next': return act(workspaceActions.tabCycled(1));
      case 'tab.previous': return act(workspaceActions.tabCycled(-1));
      case 'view.fileBrowser': return act(workspaceActions.sidebarToggled(undefined));
      case 'view.toggleLineNumbers': return act(settingsActions.updateRequested({ 'editor.lineNumbers': !s.settings.settings['editor.lineNumbers'] }));
      case 'run.withParameters': return s.files.view === 'notebook' ? act(runsActions.dialogOpened()) : false;
      case 'view.runs': return act(uiActions.panelOpened(s.ui.panel === 'runs' ? 'none' : 'runs'));
      case 'run.showRuns': return s.files.view === 'notebook' ? act(runsActions.panelToggled(undefined)) : false;
      default: return false;
    }
  };
}

export const navigation = { selectRelative, insert };
