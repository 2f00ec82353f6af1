/**
 * Settings come from the host: read once at start, then followed through onDidChange (changes from
 * any window, or edits of settings.json on disk). This window's changes go to the host one after
 * another, so they are written in the order they were made.
 */
import type { UnknownAction } from '@reduxjs/toolkit';
import { catchError, concatMap, defer, filter, map, merge, mergeMap, of, take } from 'rxjs';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/settings/settings';
import { toObservable } from '../../host/toObservable';
import type { Epic } from 'redux-observable';
import type { EpicDependencies } from '../../store/dependencies';
import type { SettingsSliceState } from './settingsSlice';
import { readLegacyPreferences, removeLegacyPreferences } from './legacyPreferences';
import { settingsActions } from './settingsSlice';

/** Settings are app-wide: their epics need only the settings slice (the window's or a document's view). */
type SettingsEpic = Epic<UnknownAction, UnknownAction, { settings: SettingsSliceState }, EpicDependencies>;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export const loadSettingsEpic: SettingsEpic = (action$, _state$, { host }) => action$.pipe(
  filter(settingsActions.loadRequested.match),
  take(1),
  mergeMap(() => merge(
    toObservable(host.settings.onDidChange).pipe(map((state) => settingsActions.received(state))),
    defer(() => host.settings.get()).pipe(
      map((state) => settingsActions.received(state)),
      catchError((error: unknown) => of(settingsActions.loadFailed(messageOf(error)))),
    ),
  )),
);

export const updateSettingsEpic: SettingsEpic = (action$, _state$, { host }) => action$.pipe(
  filter(settingsActions.updateRequested.match),
  concatMap((action) => defer(() => host.settings.update(action.payload)).pipe(
    map((state) => settingsActions.updateSucceeded(state)),
    // Whatever happened, show what the host has in force now (a refused change is undone).
    catchError((error: unknown) => defer(() => host.settings.get()).pipe(
      map((state): UnknownAction => settingsActions.updateFailed({ message: messageOf(error), state })),
      catchError(() => of(settingsActions.updateFailed({ message: messageOf(error) }))),
    )),
  )),
);

/**
 * Preferences an older Quire kept in this window's localStorage move into settings.json once, when
 * the setting there is still the default (a value chosen in the file wins); then they are removed.
 */
export const migrateLegacyPreferencesEpic: SettingsEpic = (action$, state$) => action$.pipe(
  filter(settingsActions.received.match),
  take(1),
  mergeMap(() => {
    const legacy = readLegacyPreferences();
    const current = state$.value.settings;
    if (current.parseError || current.readOnly) return [];
    const move: Partial<Settings> = {};
    for (const [key, value] of Object.entries(legacy) as Array<[keyof Settings, never]>) {
      if (current.settings[key] === DEFAULT_SETTINGS[key] && value !== DEFAULT_SETTINGS[key]) (move as Record<string, unknown>)[key] = value;
    }
    removeLegacyPreferences();
    return Object.keys(move).length > 0 ? [settingsActions.updateRequested(move)] : [];
  }),
);

export const settingsEpics: SettingsEpic[] = [loadSettingsEpic, updateSettingsEpic, migrateLegacyPreferencesEpic];
