/**
 * Makes the settings in force take effect in this window: the bridge follows the store, the theme
 * follows the `theme` setting (and the OS for `system`), and the editor settings become CSS
 * variables for cells still shown as plain text (live editors read them in CodeEditor.tsx).
 */
import { currentSettings, connectSettingsBridge, onSettingsChange } from './settingsBridge';
import type { SettingsSliceState } from './settingsSlice';
import { followTheme } from './theme';

/** Monaco's line height for a font size (19 px at the default 13 px). */
export function editorLineHeight(fontSize: number): number {
  return Math.round(fontSize * 1.46);
}

function applyEditorVariables(): void {
  const s = currentSettings();
  const root = document.documentElement;
  root.style.setProperty('--editor-font', s['editor.fontFamily']);
  root.style.setProperty('--editor-font-size', `${s['editor.fontSize']}px`);
  root.style.setProperty('--editor-line-height', `${editorLineHeight(s['editor.fontSize'])}px`);
  root.dataset.wordWrap = s['editor.wordWrap'] ? 'on' : 'off';
}

export function applySettings(store: Parameters<typeof connectSettingsBridge>[0] & { getState(): { settings: SettingsSliceState } }): () => void {
  const disconnect = connectSettingsBridge(store);
  const stopTheme = followTheme(() => (store.getState().settings.loaded ? currentSettings().theme : undefined), onSettingsChange);
  applyEditorVariables();
  const stopEditor = onSettingsChange(applyEditorVariables);
  return () => {
    stopEditor();
    stopTheme();
    disconnect();
  };
}
