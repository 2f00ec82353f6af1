/** Small fixture state built by factories, not copied per test. */
import { Subject } from 'rxjs';
import { StateObservable } from 'redux-observable';
import type { Cell, Notebook } from '../../src/jupyter/nbformat';
import { createCell } from '../../src/jupyter/notebookOps';
import type { BaseMessage, Channel } from '../../src/jupyter/messages';
import { documentStateReducer, type DocumentState } from '../store/documentState';
import { filesActions } from '../features/files/filesSlice';

export function codeCell(id: string, source = ''): Cell {
  return createCell('code', id, source);
}

export function notebookOf(cells: Cell[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, cells };
}

/** The state right after opening `cells` from `/w/nb.ipynb`, with optional overrides per slice. */
export function openedState(cells: Cell[], patch: { kernels?: Partial<DocumentState['kernels']> } = {}): DocumentState {
  const state = documentStateReducer(undefined, filesActions.openSucceeded({ path: '/w/nb.ipynb', notebook: notebookOf(cells), mtimeMs: 1000 }));
  return { ...state, kernels: { ...state.kernels, ...patch.kernels } };
}

export function stateObservable(state: DocumentState): StateObservable<DocumentState> {
  return new StateObservable<DocumentState>(new Subject<DocumentState>(), state);
}

/** A state$ whose state the test changes with `push`, as the store would after a reducer. */
export function changingState(state: DocumentState): { state$: StateObservable<DocumentState>; push(next: DocumentState): void } {
  const input = new Subject<DocumentState>();
  return { state$: new StateObservable<DocumentState>(input, state), push: (next) => input.next(next) };
}

let n = 0;
/** A kernel message with `parentId` as parent. */
export function msg(type: string, content: unknown, channel: Channel = 'iopub', parentId = 'req'): BaseMessage {
  n += 1;
  return {
    channel,
    header: { msg_id: `m${n}`, msg_type: type, session: 's', username: 'u', date: '', version: '5.3' },
    parent_header: { msg_id: parentId, msg_type: 'execute_request', session: 's', username: 'u', date: '', version: '5.3' },
    metadata: {},
    content,
  };
}
