/** "Download a copy" gives the notebook as it is in the page, in Jupyter's canonical form. */
import { describe, expect, it } from 'vitest';
import { joinSource, type Notebook } from '../../../src/jupyter/nbformat';
import { serializeNotebook } from '../../../src/jupyter/notebookFormat';
import { documentStateReducer } from '../../store/documentState';
import { codeCell, openedState } from '../../testing/stateFactory';
import { notebookActions } from '../notebook/notebookSlice';
import { notebookDownload } from './downloadNotebook';
import { notebookToSave } from './filesEpics';

describe('notebookDownload', () => {
  it('is the open notebook with its unsaved edits, named after its file, as the save would write it', () => {
    const state = documentStateReducer(openedState([codeCell('a', 'x = 1')]), notebookActions.cellSourceChanged({ id: 'a', text: 'typed, not saved' }));
    const file = notebookDownload(state)!;
    expect(file.name).toBe('nb.ipynb');
    expect(file.text).toBe(serializeNotebook(notebookToSave(state)));
    expect(joinSource((JSON.parse(file.text) as Notebook).cells[0].source)).toBe('typed, not saved');
  });

  it('offers nothing without an open notebook', () => {
    expect(notebookDownload(documentStateReducer(undefined, { type: 'init' }))).toBeUndefined();
  });
});
