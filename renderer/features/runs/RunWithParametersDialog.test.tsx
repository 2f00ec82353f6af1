import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Provider } from 'react-redux';
import { configureStore, type Middleware, type UnknownAction } from '@reduxjs/toolkit';
import type { Cell, Notebook } from '../../../src/jupyter/nbformat';
import { documentStateReducer } from '../../store/documentState';
import { filesActions } from '../files/filesSlice';
import { kernelsActions } from '../kernels/kernelsSlice';
import { notebookActions } from '../notebook/notebookSlice';
import { RunWithParametersDialog } from './RunWithParametersDialog';
import { runsActions } from './runsSlice';

afterEach(cleanup);

const PARAMS = 'epochs = 10  # passes over the data\nrate: float = 0.5\nname = "base"\nverbose = True\nlayers = [1, 2]\nopts = {"a": 1}';

function cells(paramsSource: string | undefined): Cell[] {
  const list: Cell[] = [{ id: 'md', cell_type: 'markdown', metadata: {}, source: '# Title' }];
  if (paramsSource !== undefined) list.push({ id: 'p', cell_type: 'code', metadata: { tags: ['parameters'] }, source: paramsSource, outputs: [], execution_count: null });
  list.push({ id: 'w', cell_type: 'code', metadata: {}, source: 'print(epochs)', outputs: [], execution_count: null });
  return list;
}

function setup(options: { params?: string; kernel?: { name: string; language: string }; dirty?: boolean } = {}) {
  const actions: UnknownAction[] = [];
  const record: Middleware = () => (next) => (action) => { actions.push(action as UnknownAction); return next(action); };
  const store = configureStore({ reducer: documentStateReducer, middleware: (d) => d({ serializableCheck: false, immutableCheck: false }).concat(record) });
  const kernel = options.kernel ?? { name: 'python3', language: 'python' };
  const notebook: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: kernel.name, display_name: kernel.name, language: kernel.language } },
    cells: cells('params' in options ? options.params : PARAMS),
  };
  store.dispatch(filesActions.openSucceeded({ path: '/w/nb.ipynb', notebook, mtimeMs: 1 }));
  store.dispatch(kernelsActions.specsLoaded([]));
  if (options.dirty) store.dispatch(notebookActions.cellSourceChanged({ id: 'w', text: 'print(epochs * 2)' }));
  store.dispatch(runsActions.dialogOpened());
  actions.length = 0;
  render(<Provider store={store}><RunWithParametersDialog /></Provider>);
  const started = () => actions.filter(runsActions.startRequested.match);
  return { store, actions, started };
}

const input = (name: string) => screen.getByTestId(`param-input-${name}`) as HTMLInputElement;

describe('RunWithParametersDialog', () => {
  it('shows a widget per type, prefilled from the defaults, with help text', () => {
    setup();
    expect(input('epochs').value).toBe('10');
    expect(input('rate').value).toBe('0.5');
    expect(input('name').value).toBe('base');
    expect(input('verbose').type).toBe('checkbox');
    expect(input('verbose').checked).toBe(true);
    expect(input('layers').tagName).toBe('TEXTAREA');
    expect(input('layers').value).toBe('[1,2]');
    expect(screen.getByTestId('param-epochs').textContent).toContain('passes over the data');
    expect(screen.getByTestId('run-output-preview').textContent).toMatch(/^\/w\/runs\/nb_\d{8}T\d{6}Z_<run id>\.ipynb$/);
  });

  it('refuses a wrong value with a message and starts nothing', () => {
    const { started } = setup();
    fireEvent.change(input('epochs'), { target: { value: '2.5' } });
    expect(screen.getByTestId('param-error-epochs').textContent).toContain('whole number');
    fireEvent.change(input('layers'), { target: { value: '[1, 2' } });
    expect(screen.getByTestId('param-error-layers').textContent).toMatch(/Not valid JSON/);
    fireEvent.click(screen.getByTestId('run-start'));
    expect(screen.getByTestId('run-refused').textContent).toContain('fix the 2 marked values');
    expect(document.activeElement).toBe(input('epochs'));
    expect(started()).toEqual([]);
  });

  it('starts with the changed values, the kernel, the output template and cell previews', () => {
    const { started } = setup();
    fireEvent.change(input('epochs'), { target: { value: '20' } });
    fireEvent.click(input('verbose'));
    fireEvent.change(input('opts'), { target: { value: '{"b": [1]}' } });
    fireEvent.click(screen.getByTestId('run-start'));
    const [action] = started();
    expect(action.payload.request).toEqual({
      inputPath: '/w/nb.ipynb', parameters: { epochs: 20, verbose: false, opts: { b: [1] } }, outputPath: 'runs/{notebook}_{timestamp}_{run_id}.ipynb', kernelName: 'python3',
    });
    expect(action.payload.saveFirst).toBe(true);
    // The injected cell sits right after the parameters cell, as in the output notebook.
    expect(action.payload.cellPreviews).toEqual(['# Title', 'epochs = 10  # passes over the data', '# Parameters', 'print(epochs)']);
  });

  it('refuses a dict for a bash kernel (its translator cannot write one)', () => {
    const { started } = setup({ params: 'count = 1\nopts = {"a": 1}', kernel: { name: 'bash', language: 'bash' } });
    fireEvent.change(input('opts'), { target: { value: '{"a": 2}' } });
    expect(screen.getByTestId('param-error-opts').textContent).toMatch(/cannot inject dict/);
    fireEvent.click(screen.getByTestId('run-start'));
    expect(started()).toEqual([]);
  });

  it('refuses an output path that names an unknown placeholder', () => {
    const { started } = setup();
    fireEvent.change(screen.getByTestId('run-output-template'), { target: { value: 'out/{nope}.ipynb' } });
    expect(screen.getByTestId('run-output-preview').textContent).toMatch(/Missing parameter 'nope'/);
    fireEvent.click(screen.getByTestId('run-start'));
    expect(started()).toEqual([]);
  });

  it('says when there is no parameters cell, and still runs the notebook as it is', () => {
    const { started } = setup({ params: undefined });
    expect(screen.getByTestId('run-no-parameters').textContent).toContain('No cell is tagged');
    fireEvent.click(screen.getByTestId('run-start'));
    expect(started()[0].payload.request.parameters).toEqual({});
  });

  it('says that unsaved changes are saved before the run', () => {
    setup({ dirty: true });
    expect(screen.getByTestId('run-unsaved').textContent).toContain('saves it before the run starts');
    expect(screen.getByTestId('run-start').textContent).toBe('Save and run');
  });
});
