import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Provider } from 'react-redux';
import { configureStore, type UnknownAction } from '@reduxjs/toolkit';
import { ErrorCode } from '../../src/errors';
import type { KernelSpecInfo, PythonInterpreterInfo } from '../../src/host/contract';
import { documentStateReducer } from '../store/documentState';
import { kernelsActions } from '../features/kernels/kernelsSlice';
import { NoKernelPanel } from './NoKernelPanel';

const spec = (name: string, extra: Partial<KernelSpecInfo> = {}): KernelSpecInfo => ({
  name, displayName: `${name} display`, language: 'python', interruptMode: 'signal', metadata: {}, status: 'ok', ...extra,
});
const py = (path: string, hasIpykernel: boolean, installCommands: string[]): PythonInterpreterInfo => ({
  path, realPath: path, version: '3.11.2', hasIpykernel, inVenv: false, installCommands,
});
const debian = py('/usr/bin/python3', false, ['sudo apt-get install python3-ipykernel']);
const pyenv = py('/home/a/.pyenv/shims/python3', true, ['/home/a/.pyenv/shims/python3 -m ipykernel install --user']);

function storeWith(specs: KernelSpecInfo[], interpreters?: PythonInterpreterInfo[]) {
  const store = configureStore({ reducer: documentStateReducer });
  store.dispatch(kernelsActions.launchRequested({ specName: 'python3', cwd: '/w' }));
  store.dispatch(kernelsActions.launchFailed({ code: ErrorCode.KernelSpecNotFound, message: "No kernelspec named 'python3'", cwd: '/w' }));
  store.dispatch(kernelsActions.specsLoaded(specs));
  if (interpreters) store.dispatch(kernelsActions.interpretersLoaded(interpreters));
  const dispatched: UnknownAction[] = [];
  const dispatch = store.dispatch;
  store.dispatch = ((action: UnknownAction) => { dispatched.push(action); return dispatch(action); }) as typeof store.dispatch;
  return { store, dispatched };
}

afterEach(cleanup);

describe('NoKernelPanel', () => {
  it('no kernel at all: says so, lists every interpreter with its exact commands, and checks again', () => {
    const { store, dispatched } = storeWith([spec('broken', { status: 'broken', problem: 'gone' })], [debian, pyenv]);
    render(<Provider store={store}><NoKernelPanel /></Provider>);
    expect(screen.getByRole('heading').textContent).toBe('No Jupyter kernel was found');
    expect(screen.getAllByTestId('python-interpreter').map((li) => li.getAttribute('data-path'))).toEqual(['/usr/bin/python3', '/home/a/.pyenv/shims/python3']);
    expect(screen.getAllByTestId('python-commands').map((pre) => pre.textContent)).toEqual([
      'sudo apt-get install python3-ipykernel', '/home/a/.pyenv/shims/python3 -m ipykernel install --user',
    ]);
    expect(screen.getByTestId('no-kernel').textContent).toContain('has ipykernel, no kernelspec');
    expect(screen.queryByTestId('no-kernel-use')).toBeNull();
    fireEvent.click(screen.getByTestId('no-kernel-check'));
    expect(dispatched.map((a) => a.type)).toEqual([kernelsActions.specsRequested.type, kernelsActions.interpretersRequested.type]);
  });

  it('the notebook names a kernel that is not there but others are: offers them and the interpreters without ipykernel', () => {
    const { store } = storeWith([spec('ir'), spec('julia', { status: 'broken' })], [debian, pyenv]);
    render(<Provider store={store}><NoKernelPanel /></Provider>);
    expect(screen.getByRole('heading').textContent).toBe('The kernel “python3” was not found');
    expect(screen.getAllByTestId('python-interpreter').map((li) => li.getAttribute('data-path'))).toEqual(['/usr/bin/python3']);
    const use = screen.getAllByTestId('no-kernel-use');
    expect(use.map((b) => b.getAttribute('data-name'))).toEqual(['ir']);
    fireEvent.click(use[0]);
    expect(store.getState().kernels).toMatchObject({ status: 'starting', specName: 'ir', missing: undefined });
    expect(screen.queryByTestId('no-kernel')).toBeNull();
  });

  it('while the host looks, and when there is no Python at all', () => {
    const { store } = storeWith([]);
    render(<Provider store={store}><NoKernelPanel /></Provider>);
    expect(screen.getByTestId('no-kernel').textContent).toContain('Looking for Python');
    act(() => { store.dispatch(kernelsActions.interpretersLoaded([])); });
    expect(screen.getByTestId('no-python').textContent).toBe('No Python 3 was found on PATH. Install Python 3, then ipykernel.');
  });

  it('shows nothing for other failures', () => {
    const store = configureStore({ reducer: documentStateReducer });
    store.dispatch(kernelsActions.launchRequested({ specName: 'python3' }));
    store.dispatch(kernelsActions.launchFailed({ code: ErrorCode.KernelStartFailed, message: 'exited' }));
    render(<Provider store={store}><NoKernelPanel /></Provider>);
    expect(screen.queryByTestId('no-kernel')).toBeNull();
  });
});
