import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom, of, Subject, take, toArray } from 'rxjs';
import { StateObservable } from 'redux-observable';
import type { UnknownAction } from '@reduxjs/toolkit';
import { Emitter } from '../../../src/base/event';
import { QuireError } from '../../../src/errors';
import { DEFAULT_SETTINGS, type SettingsState } from '../../../src/settings/settings';
import { buildScheduler } from '../../testing/buildScheduler';
import { fakeHost } from '../../testing/fakeHost';
import { codeCell, openedState, stateObservable } from '../../testing/stateFactory';
import { KernelRegistry } from '../kernels/kernelRegistry';
import { documentStateReducer, type DocumentState } from '../../store/documentState';
import type { EpicDependencies } from '../../store/dependencies';
import { autosaveEpic } from '../files/filesEpics';
import { filesActions } from '../files/filesSlice';
import { notebookActions } from '../notebook/notebookSlice';
import { runCommand } from '../ui/commands';
import { loadSettingsEpic, migrateLegacyPreferencesEpic, updateSettingsEpic } from './settingsEpics';
import { settingsActions, settingsReducer, initialSettingsState } from './settingsSlice';

const kernels = new KernelRegistry(() => { throw new Error('no kernels here'); });
const stateWith = (settings: Partial<SettingsState['settings']> = {}, extra: Partial<SettingsState> = {}): SettingsState => ({
  settings: { ...DEFAULT_SETTINGS, ...settings }, problems: [], path: '/cfg/settings.json', ...extra,
});
const deps = (host: EpicDependencies['host']): EpicDependencies => ({ host, kernels, scheduler: undefined as never });
const initial = (): DocumentState => documentStateReducer(undefined, { type: 'x' });

afterEach(() => localStorage.clear());

describe('settings epics', () => {
  it('load the settings once asked, then follow every change the host announces', async () => {
    const changes = new Emitter<SettingsState>();
    const host = fakeHost({ settings: { get: async () => stateWith({ theme: 'dark' }), onDidChange: changes.event } });
    const out = firstValueFrom(loadSettingsEpic(of(settingsActions.loadRequested()), stateObservable(initial()), deps(host)).pipe(take(2), toArray()));
    await Promise.resolve();
    await Promise.resolve();
    changes.fire(stateWith({ theme: 'light', 'editor.fontSize': 16 }));
    const actions = await out;
    expect(actions).toContainEqual(settingsActions.received(stateWith({ theme: 'dark' })));
    expect(actions).toContainEqual(settingsActions.received(stateWith({ theme: 'light', 'editor.fontSize': 16 })));
  });

  it('say why the settings could not be read', async () => {
    const host = fakeHost({ settings: { get: async () => { throw new Error('host gone'); } } });
    const out = await firstValueFrom(loadSettingsEpic(of(settingsActions.loadRequested()), stateObservable(initial()), deps(host)));
    expect(out).toEqual(settingsActions.loadFailed('host gone'));
  });

  it('send each change to the host in order and take its answer', async () => {
    const calls: unknown[] = [];
    const host = fakeHost({ settings: { update: async (partial) => { calls.push(partial); return stateWith(partial); } } });
    const actions$ = of(settingsActions.updateRequested({ theme: 'dark' }), settingsActions.updateRequested({ 'editor.wordWrap': true }));
    const out = await firstValueFrom(updateSettingsEpic(actions$, stateObservable(initial()), deps(host)).pipe(toArray()));
    expect(calls).toEqual([{ theme: 'dark' }, { 'editor.wordWrap': true }]);
    expect(out).toEqual([settingsActions.updateSucceeded(stateWith({ theme: 'dark' })), settingsActions.updateSucceeded(stateWith({ 'editor.wordWrap': true }))]);
  });

  it('on a refused or unsaved change, show the host\'s message and what it has in force', async () => {
    const inForce = stateWith({ theme: 'dark' }, { saveError: 'Settings were not saved to /cfg/settings.json: permission denied (EACCES).' });
    const host = fakeHost({ settings: {
      update: async () => { throw new QuireError('WRITE_FAILED', inForce.saveError!); },
      get: async () => inForce,
    } });
    const out = await firstValueFrom(updateSettingsEpic(of(settingsActions.updateRequested({ theme: 'dark' })), stateObservable(initial()), deps(host)));
    expect(out).toEqual(settingsActions.updateFailed({ message: inForce.saveError!, state: inForce }));
    const state = settingsReducer(settingsReducer(initialSettingsState, settingsActions.updateRequested({ theme: 'dark' })), out as never);
    expect(state).toMatchObject({ loaded: true, updateError: inForce.saveError, settings: { theme: 'dark' } });
  });

  it('move old localStorage preferences into the settings once, unless the file already chose', async () => {
    localStorage.setItem('quire.outputs.maxLines', '100');
    localStorage.setItem('quire.explorer.pandasTableSchema', 'false');
    const loaded = stateWith({ 'explorer.pandasTableSchema': true });
    const state = { ...initial(), settings: settingsReducer(initialSettingsState, settingsActions.received(loaded)) };
    const out = await firstValueFrom(migrateLegacyPreferencesEpic(of(settingsActions.received(loaded)), stateObservable(state), deps(fakeHost())).pipe(toArray()));
    expect(out).toEqual([settingsActions.updateRequested({ 'outputs.maxLines': 100, 'explorer.pandasTableSchema': false })]);
    expect(localStorage.getItem('quire.outputs.maxLines')).toBeNull();
    // The file's own choice wins over the old preference.
    localStorage.setItem('quire.outputs.maxLines', '100');
    const chosen = { ...initial(), settings: settingsReducer(initialSettingsState, settingsActions.received(stateWith({ 'outputs.maxLines': 5000 }))) };
    const none = await firstValueFrom(migrateLegacyPreferencesEpic(of(settingsActions.received(loaded)), stateObservable(chosen), deps(fakeHost())).pipe(toArray()));
    expect(none).toEqual([]);
  });
});

describe('settings slice and commands', () => {
  it('applies a change at once and keeps the host\'s later state', () => {
    let s = settingsReducer(initialSettingsState, settingsActions.received(stateWith()));
    s = settingsReducer(s, settingsActions.updateRequested({ theme: 'dark' }));
    expect(s.settings.theme).toBe('dark');
    s = settingsReducer(s, settingsActions.received(stateWith({ theme: 'light' })));
    expect(s.settings.theme).toBe('light');
  });

  it('toggles line numbers through the settings (View > Toggle Line Numbers, Shift+L)', () => {
    const dispatched: UnknownAction[] = [];
    const state = initial();
    runCommand('view.toggleLineNumbers')((a: unknown) => { dispatched.push(a as UnknownAction); return a; }, () => state, undefined);
    expect(dispatched).toEqual([settingsActions.updateRequested({ 'editor.lineNumbers': true })]);
  });

  it('opens the settings page with the Settings command', () => {
    const dispatched: UnknownAction[] = [];
    runCommand('app.settings')((a: unknown) => { dispatched.push(a as UnknownAction); return a; }, () => initial(), undefined);
    expect(documentStateReducer(initial(), dispatched[0]).ui.panel).toBe('settings');
  });
});

describe('autosave delay setting', () => {
  it('saves after the delay the settings give', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const base = openedState([codeCell('a', '')]);
      const s0 = { ...base, settings: settingsReducer(base.settings, settingsActions.received(stateWith({ 'files.autosaveDelayMs': 5000 }))) };
      const s1 = documentStateReducer(s0, notebookActions.cellSourceChanged({ id: 'a', text: '1' }));
      const subject = new Subject<DocumentState>();
      const state$ = new StateObservable<DocumentState>(subject, s0);
      hot('a', { a: s1 }).subscribe(subject);
      const out$ = autosaveEpic(hot<UnknownAction>('-'), state$, { host: fakeHost(), kernels, scheduler: sched });
      expectObservable(out$, '^ 20000ms !').toBe('5000ms x', { x: filesActions.saveRequested({ auto: true }) });
    });
  });
});
