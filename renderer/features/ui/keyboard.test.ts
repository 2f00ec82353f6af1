import { afterEach, describe, expect, it } from 'vitest';
import { configureStore, type Middleware, type UnknownAction } from '@reduxjs/toolkit';
import type { IDisposable } from '../../../src/base/lifecycle';
import { codeCell, notebookOf } from '../../testing/stateFactory';
import { documentStateReducer } from '../../store/documentState';
import { filesActions } from '../files/filesSlice';
import { installKeyboard } from './keyboard';

function setUp(shell: 'electron' | 'browser') {
  const seen: string[] = [];
  const record: Middleware = () => (next) => (action) => { seen.push((action as UnknownAction).type); return next(action); };
  const store = configureStore({
    reducer: documentStateReducer,
    middleware: (getDefault) => getDefault().concat(record),
  });
  store.dispatch(filesActions.openSucceeded({ path: '/w/nb.ipynb', notebook: notebookOf([codeCell('a', 'x')]), mtimeMs: 1 }));
  seen.length = 0;
  return { store, seen, keyboard: installKeyboard(store, 'other', shell) };
}

function press(key: string, ctrl = false, target: Element = document.body): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, code: `Key${key.toUpperCase()}`, ctrlKey: ctrl, bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

describe('keyboard per shell', () => {
  let installed: IDisposable | undefined;
  afterEach(() => installed?.dispose());

  it('in the browser the page handles Ctrl+O (its own open picker)', () => {
    const { seen, keyboard } = setUp('browser');
    installed = keyboard;
    expect(press('o', true).defaultPrevented).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('in Electron Ctrl+O, Ctrl+N and Ctrl+W are left to the main process; notebook keys still work', () => {
    const { store, seen, keyboard } = setUp('electron');
    installed = keyboard;
    for (const key of ['o', 'n', 'w']) expect(press(key, true).defaultPrevented).toBe(false);
    expect(seen).toEqual([]);
    expect(press('b').defaultPrevented).toBe(true);
    expect(store.getState().notebook.cells).toHaveLength(2);
  });

  it('leaves a tree\'s keys to it (the file browser: Enter opens, arrows move), Ctrl chords still work', () => {
    const { store, seen, keyboard } = setUp('browser');
    installed = keyboard;
    const tree = document.createElement('div');
    tree.setAttribute('role', 'tree');
    const item = document.createElement('div');
    item.setAttribute('role', 'treeitem');
    tree.append(item);
    document.body.append(tree);
    try {
      for (const key of ['Enter', 'ArrowDown', 'ArrowUp', 'b', 'Delete']) expect(press(key, false, item).defaultPrevented, key).toBe(false);
      expect(seen).toEqual([]);
      expect(store.getState().ui.mode).toBe('command');
      expect(store.getState().notebook.cells).toHaveLength(1);
      expect(press('o', true, item).defaultPrevented).toBe(true);
    } finally {
      tree.remove();
    }
  });
});
