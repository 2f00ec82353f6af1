/**
 * The settings in force, readable without the store: output areas, the explorer and editors are
 * also rendered outside a redux Provider (tests, the run viewer), so they read settings here. The
 * app connects this to the store (connectSettingsBridge): store changes flow in, and changes made
 * here go to the host as settings updates. Unconnected (tests), changes stay in this module.
 */
import { useSyncExternalStore } from 'react';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/settings/settings';
import { settingsActions } from './settingsSlice';
import type { SettingsSliceState } from './settingsSlice';

let current: Settings = { ...DEFAULT_SETTINGS };
let persist: ((partial: Partial<Settings>) => void) | undefined;
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of [...listeners]) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function currentSettings(): Settings {
  return current;
}

/** Applies a change here at once and, when connected, asks the host to save it. */
export function changeSettings(partial: Partial<Settings>): void {
  current = { ...current, ...partial };
  notify();
  persist?.(partial);
}

/** React hook: one setting, re-rendering when it changes. */
export function useSetting<K extends keyof Settings>(key: K): Settings[K] {
  return useSyncExternalStore(subscribe, () => current[key], () => DEFAULT_SETTINGS[key]);
}

/** Calls `listener` whenever the settings in force change. */
export function onSettingsChange(listener: () => void): () => void {
  return subscribe(listener);
}

interface StoreLike {
  getState(): { settings: SettingsSliceState };
  subscribe(listener: () => void): () => void;
  dispatch(action: ReturnType<typeof settingsActions.updateRequested>): unknown;
}

/** Follows the store's settings and sends changes made here to it. Returns the disconnect. */
export function connectSettingsBridge(store: StoreLike): () => void {
  persist = (partial) => store.dispatch(settingsActions.updateRequested(partial));
  let seen = store.getState().settings.settings;
  current = seen;
  notify();
  const unsubscribe = store.subscribe(() => {
    const next = store.getState().settings.settings;
    if (next === seen) return;
    seen = next;
    current = next;
    notify();
  });
  return () => {
    unsubscribe();
    persist = undefined;
  };
}

/** For tests: back to the defaults, unconnected. */
export function resetSettingsBridge(): void {
  current = { ...DEFAULT_SETTINGS };
  persist = undefined;
  notify();
}
