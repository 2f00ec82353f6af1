import { describe, expect, it } from 'vitest';
import { joinSource } from '../../../src/jupyter/nbformat';
import { parametersCellId } from '../../../src/jupyter/notebookOps';
import { codeCell, openedState } from '../../testing/stateFactory';
import { documentStateReducer, type DocumentState } from '../../store/documentState';
import { notebookActions as nb } from './notebookSlice';
import { uiActions } from '../ui/uiSlice';
import type { UnknownAction } from '@reduxjs/toolkit';

const apply = (state: DocumentState, ...actions: UnknownAction[]) => actions.reduce(documentStateReducer, state);
const ids = (s: DocumentState) => s.notebook.cells.map((c) => c.id);
const text = (s: DocumentState, id: string) => joinSource(s.notebook.cells.find((c) => c.id === id)!.source);

describe('notebook slice', () => {
  const base = () => openedState([codeCell('a', 'x = 1'), codeCell('b', 'y = 2'), codeCell('c', 'z = 3')]);

  it('undoes and redoes cell operations but keeps text typed since', () => {
    let s = apply(base(), nb.cellsDeleted({ ids: ['b'] }));
    expect(ids(s)).toEqual(['a', 'c']);
    s = apply(s, nb.cellSourceChanged({ id: 'a', text: 'x = 100' }));
    s = apply(s, nb.undoRequested());
    expect(ids(s)).toEqual(['a', 'b', 'c']);
    expect(text(s, 'a')).toBe('x = 100');
    s = apply(s, nb.redoRequested());
    expect(ids(s)).toEqual(['a', 'c']);
  });

  it('undoing a merge brings back both cells as they were, without a copy of the second one in the first', () => {
    let s = apply(base(), nb.cellsMerged({ ids: ['a', 'b'] }));
    expect(ids(s)).toEqual(['a', 'c']);
    expect(text(s, 'a')).toBe('x = 1\ny = 2');
    s = apply(s, nb.undoRequested());
    expect(ids(s)).toEqual(['a', 'b', 'c']);
    expect(text(s, 'a')).toBe('x = 1');
    expect(text(s, 'b')).toBe('y = 2');
    s = apply(s, nb.redoRequested());
    expect(ids(s)).toEqual(['a', 'c']);
    expect(text(s, 'a')).toBe('x = 1\ny = 2');
  });

  it('undoing a split or a replace-all restores the text those operations changed', () => {
    let s = apply(base(), nb.cellSplit({ id: 'a', offset: 2 }));
    s = apply(s, nb.undoRequested());
    expect(ids(s)).toEqual(['a', 'b', 'c']);
    expect(text(s, 'a')).toBe('x = 1');
    s = apply(s, nb.replacedAll({ query: '=', replacement: ':=', caseSensitive: true }), nb.undoRequested());
    expect(text(s, 'b')).toBe('y = 2');
  });

  it('after merging the selected cells the merged cell is the active one, so J/K move from it', () => {
    let s = apply(base(), uiActions.cellSelected({ id: 'a' }), uiActions.cellSelected({ id: 'b', extend: ['a', 'b'] }));
    s = apply(s, nb.cellsMerged({ ids: ['a', 'b'] }));
    expect(s.ui.activeId).toBe('a');
    expect(s.ui.selected).toEqual(['a']);
  });

  it('typing does not enter the undo history; every change bumps the version', () => {
    const s0 = base();
    const s1 = apply(s0, nb.cellSourceChanged({ id: 'a', text: 'q' }));
    expect(s1.notebook.past).toHaveLength(0);
    expect(s1.notebook.version).toBe(s0.notebook.version + 1);
    expect(apply(s1, nb.cellSourceChanged({ id: 'a', text: 'q' })).notebook.version).toBe(s1.notebook.version);
  });

  it('moves the parameters tag to the newly tagged cell, and undo moves it back', () => {
    let s = apply(base(), nb.tagToggled({ id: 'a', tag: 'parameters' }), nb.tagToggled({ id: 'c', tag: 'parameters' }));
    expect(parametersCellId(s.notebook.cells)).toBe('c');
    expect(s.notebook.cells.filter((c) => (c.metadata.tags as string[] | undefined)?.includes('parameters'))).toHaveLength(1);
    s = apply(s, nb.undoRequested());
    expect(parametersCellId(s.notebook.cells)).toBe('a');
  });

  it('pasting a parameters cell keeps the existing one as the only parameters cell', () => {
    let s = apply(base(), nb.tagToggled({ id: 'a', tag: 'parameters' }));
    s = apply(s, nb.cellsPasted({ index: 3, cells: [s.notebook.cells[0]] }));
    expect(s.notebook.cells).toHaveLength(4);
    expect(parametersCellId(s.notebook.cells)).toBe('a');
    expect(s.notebook.cells[3].metadata.tags).toBeUndefined();
  });

  it('stop at first error: queued cells become skipped, the failing one error', () => {
    let s = apply(base(), nb.executeRequested({ ids: ['a', 'b', 'c'] }));
    expect(Object.values(s.notebook.runtime).map((r) => r.state)).toEqual(['queued', 'queued', 'queued']);
    s = apply(s, nb.cellExecutionStarted({ id: 'a', at: 10 }), nb.cellExecutionFinished({ id: 'a', status: 'error', at: 25 }));
    expect(s.notebook.runtime.a).toEqual({ state: 'error', startedAt: 10, endedAt: 25 });
    expect(s.notebook.runtime.b.state).toBe('skipped');
    expect(s.notebook.runtime.c.state).toBe('skipped');
  });

  it('clears a cell\'s old outputs when it starts running, and records the count', () => {
    let s = apply(base(), nb.cellOutputsChanged({ id: 'a', outputs: [{ output_type: 'stream', name: 'stdout', text: 'old' }] }));
    s = apply(s, nb.executeRequested({ ids: ['a'] }), nb.cellExecutionStarted({ id: 'a', at: 1 }), nb.executionCountReceived({ id: 'a', count: 3 }));
    const cell = s.notebook.cells[0];
    expect(cell.cell_type === 'code' && cell.outputs).toEqual([]);
    expect(cell.cell_type === 'code' && cell.execution_count).toBe(3);
  });

  it('a cut-off running cell is shown failed; a queued one skipped', () => {
    let s = apply(base(), nb.executeRequested({ ids: ['a', 'b'] }), nb.cellExecutionStarted({ id: 'a', at: 1 }));
    s = apply(s, nb.cellExecutionCancelled({ id: 'a', reason: 'restart' }), nb.cellExecutionCancelled({ id: 'b', reason: 'restart' }));
    expect(s.notebook.runtime.a.state).toBe('error');
    expect(s.notebook.runtime.b.state).toBe('skipped');
  });

  it('records the kernelspec without marking the notebook unsaved', () => {
    const s = apply(base(), nb.kernelspecRecorded({ name: 'python3', displayName: 'Python 3 (ipykernel)', language: 'python', languageInfo: { name: 'python', version: '3.11' } }));
    expect(s.notebook.metadata.kernelspec).toEqual({ name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' });
    expect(s.notebook.version).toBe(base().notebook.version);
  });

  it('stores an output\'s metadata (the explorer\'s view); a change marks the notebook unsaved, the same one does not', () => {
    const table = { output_type: 'execute_result' as const, execution_count: 1, data: { 'text/plain': 'df' }, metadata: {} };
    let s = apply(base(), nb.cellOutputsChanged({ id: 'b', outputs: [{ output_type: 'stream', name: 'stdout', text: 'x' }, table] }));
    const v0 = s.notebook.version;
    const metadata = { quire: { explorer: { open: true, tab: 'chart' } } };
    s = apply(s, nb.outputMetadataSet({ id: 'b', index: 1, metadata }));
    const cell = s.notebook.cells[1];
    expect(cell.cell_type === 'code' && cell.outputs[1]).toMatchObject({ metadata, data: { 'text/plain': 'df' } });
    expect(s.notebook.version).toBe(v0 + 1);
    expect(s.notebook.past).toHaveLength(0);
    expect(apply(s, nb.outputMetadataSet({ id: 'b', index: 1, metadata: structuredClone(metadata) })).notebook.version).toBe(v0 + 1);
    // A stream has no metadata; an index past the end is ignored.
    expect(apply(s, nb.outputMetadataSet({ id: 'b', index: 0, metadata }), nb.outputMetadataSet({ id: 'b', index: 5, metadata })).notebook.version).toBe(v0 + 1);
  });
});
