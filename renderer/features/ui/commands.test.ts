import { describe, expect, it } from 'vitest';
import { configureStore } from '@reduxjs/toolkit';
import { joinSource } from '../../../src/jupyter/nbformat';
import { codeCell, notebookOf } from '../../testing/stateFactory';
import { documentStateReducer } from '../../store/documentState';
import { filesActions } from '../files/filesSlice';
import { notebookActions } from '../notebook/notebookSlice';
import { runCommand, selectedIds, selectRange, selectRelative } from './commands';

function storeWith(ids: string[]) {
  const store = configureStore({ reducer: documentStateReducer });
  store.dispatch(filesActions.openSucceeded({ path: '/w/nb.ipynb', notebook: notebookOf(ids.map((id) => codeCell(id, `src ${id}`))), mtimeMs: 1 }));
  return store;
}
const order = (s: ReturnType<typeof storeWith>) => s.getState().notebook.cells.map((c) => c.id);

describe('commands', () => {
  it('moves and extends the selection with the keyboard and Shift+click', () => {
    const store = storeWith(['a', 'b', 'c', 'd']);
    store.dispatch(selectRelative(1));
    expect(store.getState().ui.activeId).toBe('b');
    store.dispatch(selectRelative(1, true));
    store.dispatch(selectRelative(1, true));
    expect(selectedIds(store.getState())).toEqual(['b', 'c', 'd']);
    store.dispatch(selectRelative(-1));
    store.dispatch(selectRange('a'));
    expect(selectedIds(store.getState())).toEqual(['a', 'b', 'c']);
  });

  it('run and advance selects the next cell; on the last cell it adds one in edit mode', () => {
    const store = storeWith(['a', 'b']);
    store.dispatch(runCommand('cell.runAndAdvance'));
    expect(store.getState().notebook.runtime.a.state).toBe('queued');
    expect(store.getState().ui.activeId).toBe('b');
    store.dispatch(runCommand('cell.runAndAdvance'));
    expect(order(store)).toHaveLength(3);
    expect(store.getState().ui.activeId).toBe(order(store)[2]);
    expect(store.getState().ui.mode).toBe('edit');
  });

  it('run all queues every code cell except those tagged skip-execution (as nbclient); run on the cell itself queues it', () => {
    const store = storeWith(['a', 'b', 'c']);
    store.dispatch(notebookActions.tagToggled({ id: 'b', tag: 'skip-execution' }));
    store.dispatch(runCommand('cell.runAll'));
    const runtime = store.getState().notebook.runtime;
    expect([runtime.a?.state, runtime.b?.state, runtime.c?.state]).toEqual(['queued', undefined, 'queued']);
    store.dispatch(selectRange('b'));
    store.dispatch(runCommand('cell.run'));
    expect(store.getState().notebook.runtime.b?.state).toBe('queued');
  });

  it('deleting selected cells selects the next one; Z brings them back', () => {
    const store = storeWith(['a', 'b', 'c']);
    store.dispatch(selectRelative(1));
    store.dispatch(runCommand('cell.delete'));
    expect(order(store)).toEqual(['a', 'c']);
    expect(store.getState().ui.activeId).toBe('c');
    store.dispatch(runCommand('cell.undo'));
    expect(order(store)).toEqual(['a', 'b', 'c']);
  });

  it('cut and paste moves cells with new ids; merge joins the selection', () => {
    const store = storeWith(['a', 'b', 'c']);
    store.dispatch(runCommand('cell.cut'));
    expect(order(store)).toEqual(['b', 'c']);
    store.dispatch(selectRelative(1));
    store.dispatch(runCommand('cell.pasteBelow'));
    const cells = store.getState().notebook.cells;
    expect(cells.map((c) => joinSource(c.source))).toEqual(['src b', 'src c', 'src a']);
    expect(cells[2].id).not.toBe('a');
    store.dispatch(selectRelative(-2));
    store.dispatch(selectRelative(1, true));
    store.dispatch(runCommand('cell.merge'));
    expect(store.getState().notebook.cells.map((c) => joinSource(c.source))).toEqual(['src b\nsrc c', 'src a']);
  });

  it('A/B insert, M/Y/R change type, P toggles the parameters tag', () => {
    const store = storeWith(['a']);
    store.dispatch(runCommand('cell.insertAbove'));
    expect(order(store)[1]).toBe('a');
    store.dispatch(runCommand('cell.changeToMarkdown'));
    expect(store.getState().notebook.cells[0].cell_type).toBe('markdown');
    store.dispatch(runCommand('cell.changeToRaw'));
    expect(store.getState().notebook.cells[0].cell_type).toBe('raw');
    store.dispatch(runCommand('cell.toggleParameters'));
    expect(store.getState().notebook.cells[0].metadata.tags).toEqual(['parameters']);
    expect(store.dispatch(runCommand('no.such.command'))).toBe(false);
  });

  it('view.runs (Ctrl+Shift+R) opens the Runs view over any panel and closes it again', () => {
    const store = storeWith(['a']);
    store.dispatch(runCommand('app.settings'));
    expect(store.dispatch(runCommand('view.runs'))).toBe(true);
    expect(store.getState().ui.panel).toBe('runs');
    store.dispatch(runCommand('view.runs'));
    expect(store.getState().ui.panel).toBe('none');
  });
});
