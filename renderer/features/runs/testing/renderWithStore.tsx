/** Renders a runs component over a real store (no epics) and records the actions it dispatches. */
import { render } from '@testing-library/react';
import { Provider } from 'react-redux';
import { configureStore, type Middleware, type UnknownAction } from '@reduxjs/toolkit';
import type { Cell } from '../../../../src/jupyter/nbformat';
import { documentStateReducer } from '../../../store/documentState';
import { filesActions } from '../../files/filesSlice';

export function renderWithStore(ui: React.JSX.Element, setup: UnknownAction[] = [], cells: Cell[] = []) {
  const actions: UnknownAction[] = [];
  const record: Middleware = () => (next) => (action) => { actions.push(action as UnknownAction); return next(action); };
  const store = configureStore({ reducer: documentStateReducer, middleware: (d) => d({ serializableCheck: false, immutableCheck: false }).concat(record) });
  store.dispatch(filesActions.openSucceeded({ path: '/w/nb.ipynb', notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells }, mtimeMs: 1 }));
  for (const action of setup) store.dispatch(action);
  actions.length = 0;
  const view = render(<Provider store={store}>{ui}</Provider>);
  return { store, actions, ...view };
}
