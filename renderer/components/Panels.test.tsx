import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { Provider } from 'react-redux';
import { configureStore } from '@reduxjs/toolkit';
import type { KernelSpecInfo } from '../../src/host/contract';
import { documentStateReducer } from '../store/documentState';
import { kernelsActions } from '../features/kernels/kernelsSlice';
import { KernelPicker, ShortcutSheet } from './Panels';

const spec = (name: string, extra: Partial<KernelSpecInfo> = {}): KernelSpecInfo => ({
  name, displayName: name.toUpperCase(), language: 'python', argv: [], env: {}, interruptMode: 'signal', metadata: {},
  resourceDir: `/k/${name}`, source: 'system', status: 'ok', ...extra,
});

afterEach(cleanup);

describe('KernelPicker', () => {
  it('lists specs; a broken one is disabled and says why; choosing one launches it', () => {
    const store = configureStore({ reducer: documentStateReducer });
    store.dispatch(kernelsActions.specsLoaded([spec('python3'), spec('venv-py', { status: 'broken', problem: 'interpreter /opt/venv/bin/python not found' })]));
    const launched: unknown[] = [];
    store.subscribe(() => launched.push(store.getState().kernels.specName));
    render(<Provider store={store}><KernelPicker /></Provider>);
    const options = screen.getAllByTestId('kernel-option');
    expect(options.map((o) => o.getAttribute('data-name'))).toEqual(['python3', 'venv-py']);
    expect((options[1] as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('kernel-problem').textContent).toBe('interpreter /opt/venv/bin/python not found');
    options[0].click();
    expect(store.getState().kernels.specName).toBe('python3');
    expect(store.getState().kernels.status).toBe('starting');
    expect(store.getState().ui.panel).toBe('none');
  });
});

describe('ShortcutSheet', () => {
  it('lists the registry shortcuts and the navigation keys', () => {
    const store = configureStore({ reducer: documentStateReducer });
    render(<Provider store={store}><ShortcutSheet /></Provider>);
    const text = screen.getByTestId('shortcut-sheet').textContent ?? '';
    for (const label of ['Run Cell and Select Below', 'Delete Cells', 'Undo Cell Operation', 'Toggle Parameters Cell', 'Extend the selection']) {
      expect(text).toContain(label);
    }
  });
});
