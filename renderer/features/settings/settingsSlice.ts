/**
 * The user's settings as the host reports them (settings.json, validated), plus what this window
 * is waiting for. Changes are applied here at once (optimistically) and confirmed or corrected by
 * the host's state; every window hears the host's onDidChange, so all of them follow.
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { DEFAULT_SETTINGS, type Settings, type SettingsState } from '../../../src/settings/settings';

export interface SettingsSliceState extends SettingsState {
  /** The host has answered at least once (before that the defaults are shown). */
  loaded: boolean;
  /** Why this window's last change was refused or not saved. */
  updateError?: string;
}

export const initialSettingsState: SettingsSliceState = {
  loaded: false, settings: { ...DEFAULT_SETTINGS }, problems: [], path: '',
};

function fromHost(state: SettingsState, updateError?: string): SettingsSliceState {
  return { ...state, loaded: true, ...(updateError ? { updateError } : {}) };
}

export const settingsSlice = createSlice({
  name: 'settings',
  initialState: initialSettingsState,
  reducers: {
    loadRequested() { /* the epic asks the host */ },
    /** The host's answer to get(), or its onDidChange. */
    received(state: SettingsSliceState, action: PayloadAction<SettingsState>) {
      // A failed change keeps its message until the next change of this window.
      return fromHost(action.payload, action.payload.saveError ? state.updateError : undefined);
    },
    loadFailed(state: SettingsSliceState, action: PayloadAction<string>) {
      state.loaded = true;
      state.updateError = `Settings could not be read: ${action.payload}`;
    },
    updateRequested(state: SettingsSliceState, action: PayloadAction<Partial<Settings>>) {
      Object.assign(state.settings, action.payload);
      delete state.updateError;
    },
    updateSucceeded(_state: SettingsSliceState, action: PayloadAction<SettingsState>) {
      return fromHost(action.payload);
    },
    /** The host refused or could not save; `state` (when it sent one) is what is in force now. */
    updateFailed(state: SettingsSliceState, action: PayloadAction<{ message: string; state?: SettingsState }>) {
      return { ...(action.payload.state ? fromHost(action.payload.state) : state), updateError: action.payload.message };
    },
  },
});

export const settingsActions = settingsSlice.actions;
export const settingsReducer = settingsSlice.reducer;
