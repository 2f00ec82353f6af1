import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Provider } from 'react-redux';
import { configureStore } from '@reduxjs/toolkit';
import { DEFAULT_SETTINGS } from '../../../src/settings/settings';
import { documentStateReducer } from '../../store/documentState';
import { kernelsActions } from '../kernels/kernelsSlice';
import { uiActions } from '../ui/uiSlice';
import { SettingsPage } from './SettingsPage';
import { settingsActions } from './settingsSlice';

afterEach(cleanup);

function renderPage(extra: Parameters<typeof settingsActions.received>[0] | undefined = undefined) {
  const store = configureStore({ reducer: documentStateReducer });
  store.dispatch(kernelsActions.specsLoaded([]));
  store.dispatch(uiActions.panelOpened('settings'));
  store.dispatch(settingsActions.received(extra ?? { settings: { ...DEFAULT_SETTINGS }, problems: [], path: '/cfg/settings.json' }));
  render(<Provider store={store}><SettingsPage /></Provider>);
  return store;
}

describe('SettingsPage', () => {
  it('takes the keyboard when it opens, so Escape closes it', () => {
    const store = renderPage();
    const dialog = screen.getByTestId('settings-page');
    expect(document.activeElement).toBe(dialog);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(store.getState().ui.panel).toBe('none');
  });

  it('sends a change of theme at once and refuses an out-of-range font size with a message', () => {
    const store = renderPage();
    fireEvent.change(screen.getByTestId('setting-theme'), { target: { value: 'dark' } });
    expect(store.getState().settings.settings.theme).toBe('dark');
    const size = screen.getByTestId('setting-editor.fontSize');
    fireEvent.change(size, { target: { value: '400' } });
    fireEvent.blur(size);
    expect(screen.getByRole('alert').textContent).toContain('between 6 and 48');
    expect(store.getState().settings.settings['editor.fontSize']).toBe(13);
    fireEvent.change(size, { target: { value: '16' } });
    fireEvent.keyDown(size, { key: 'Enter' });
    expect(store.getState().settings.settings['editor.fontSize']).toBe(16);
  });

  it('lists every shortcut and marks a conflict an override creates', () => {
    const store = renderPage();
    const row = () => screen.getByTestId('settings-shortcuts').querySelector('tr[data-command="cell.delete"]')!;
    expect(row().classList.contains('has-conflict')).toBe(false);
    const field = row().querySelector('input')!;
    fireEvent.change(field, { target: { value: 'CmdOrCtrl+S' } });
    fireEvent.blur(field);
    expect(store.getState().settings.settings.keybindings).toEqual({ 'cell.delete': 'CmdOrCtrl+S' });
    expect(row().classList.contains('has-conflict')).toBe(true);
    expect(row().textContent).toContain('Also Save');
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(store.getState().settings.settings.keybindings).toEqual({});
  });

  it('says where a settings file does not parse and that it will not be overwritten', () => {
    renderPage({ settings: { ...DEFAULT_SETTINGS }, problems: [], path: '/cfg/settings.json', parseError: { message: 'Unexpected character o at line 4, column 3', line: 4, column: 3 } });
    const text = screen.getByTestId('settings-parse-error').textContent;
    expect(text).toContain('line 4, column 3');
    expect(text).toContain('will not overwrite the file');
  });
});

describe('StatusBar', () => {
  it('says when a settings change could not be saved and opens the settings page', async () => {
    const { StatusBar } = await import('../../components/StatusBar');
    const store = configureStore({ reducer: documentStateReducer });
    store.dispatch(settingsActions.updateFailed({ message: 'Settings were not saved to /ro/quire/settings.json: a part of the path is not a folder (ENOTDIR).' }));
    render(<Provider store={store}><StatusBar /></Provider>);
    const note = screen.getByTestId('settings-unsaved');
    expect(note.getAttribute('title')).toContain('ENOTDIR');
    fireEvent.click(note);
    expect(store.getState().ui.panel).toBe('settings');
  });
});
