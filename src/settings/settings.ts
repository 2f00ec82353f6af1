/**
 * The user's settings: one flat object of dotted keys (VS Code's shape), kept in `settings.json`
 * in the user's config folder. This table is the one source for the keys, their types, their
 * defaults and the labels the settings page shows; validation (validateSettings.ts) and the JSON
 * schema (settingsJsonSchema) are derived from it.
 */

export type ThemeSetting = 'light' | 'dark' | 'system';

export interface Settings {
  /** The whole UI, the editors, outputs and explorer charts. `system` follows the OS live. */
  'theme': ThemeSetting;
  'editor.fontFamily': string;
  'editor.fontSize': number;
  'editor.lineNumbers': boolean;
  'editor.wordWrap': boolean;
  /** Milliseconds of quiet after the last edit before a notebook is saved. */
  'files.autosaveDelayMs': number;
  /** Kernelspec name for new notebooks and notebooks without one; '' = ask. */
  'kernels.default': string;
  /** Rows of a DataFrame kept in its table output; 0 = pandas' display.max_rows (60 by default). */
  'explorer.rowLimit': number;
  /** Turn on pandas' `display.html.table_schema` in new Python kernels. */
  'explorer.pandasTableSchema': boolean;
  /** Lines of a text output shown before it is cut; 0 = no limit. */
  'outputs.maxLines': number;
  /** Shortcut overrides: command id → accelerator (`CmdOrCtrl+Shift+K`), '' removes the shortcut. */
  'keybindings': Record<string, string>;
}

export type SettingKey = keyof Settings;

/** How one key is checked and shown. */
export type SettingDescriptor =
  | { type: 'enum'; values: readonly string[]; label: string }
  | { type: 'string'; label: string; maxLength: number }
  | { type: 'integer'; label: string; minimum: number; maximum: number }
  | { type: 'boolean'; label: string }
  | { type: 'stringMap'; label: string };

export const EDITOR_FONT_DEFAULT = "'JetBrains Mono', 'Fira Code', 'SF Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace";

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  'theme': 'system',
  'editor.fontFamily': EDITOR_FONT_DEFAULT,
  'editor.fontSize': 13,
  'editor.lineNumbers': false,
  'editor.wordWrap': false,
  'files.autosaveDelayMs': 2000,
  'kernels.default': '',
  'explorer.rowLimit': 0,
  'explorer.pandasTableSchema': true,
  'outputs.maxLines': 1000,
  'keybindings': {},
});

export const SETTING_DESCRIPTORS: { readonly [K in SettingKey]: SettingDescriptor } = {
  'theme': { type: 'enum', values: ['light', 'dark', 'system'], label: 'Theme' },
  'editor.fontFamily': { type: 'string', label: 'Editor font', maxLength: 500 },
  'editor.fontSize': { type: 'integer', label: 'Editor font size', minimum: 6, maximum: 48 },
  'editor.lineNumbers': { type: 'boolean', label: 'Line numbers' },
  'editor.wordWrap': { type: 'boolean', label: 'Word wrap' },
  'files.autosaveDelayMs': { type: 'integer', label: 'Autosave delay (ms)', minimum: 200, maximum: 600_000 },
  'kernels.default': { type: 'string', label: 'Default kernel', maxLength: 200 },
  'explorer.rowLimit': { type: 'integer', label: "Explorer: rows kept in a table output (0 = pandas' display.max_rows)", minimum: 0, maximum: 100_000 },
  'explorer.pandasTableSchema': { type: 'boolean', label: 'Explorer: table schema output for pandas' },
  'outputs.maxLines': { type: 'integer', label: 'Output lines before cutting (0 = all)', minimum: 0, maximum: 10_000_000 },
  'keybindings': { type: 'stringMap', label: 'Keyboard shortcut overrides' },
};

export const SETTING_KEYS = Object.keys(SETTING_DESCRIPTORS) as SettingKey[];

/** The file's own format version, written as `"version"` beside the settings. */
export const SETTINGS_FILE_VERSION = 1;

/** Keys in the file that are not settings but are known (not reported as unknown). */
export const SETTINGS_META_KEYS = ['version', '$schema'] as const;

export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(SETTING_DESCRIPTORS, key);
}

/** One thing wrong in the settings file; the key's default (or the file's whole defaults) is used. */
export interface SettingsProblem {
  /** The key, or '' for the file as a whole. */
  key: string;
  message: string;
  severity: 'warning' | 'error';
}

/** Where a settings file failed to parse (1-based). */
export interface SettingsParseError {
  message: string;
  line: number;
  column: number;
}

/** What the host knows about the settings: the values in force and how they were obtained. */
export interface SettingsState {
  /** Every key, valid values from the file (and this session's unsaved changes) over the defaults. */
  settings: Settings;
  /** Unknown keys and wrong values in the file (the file is never rewritten to fix them). */
  problems: SettingsProblem[];
  /** The settings file's absolute path. */
  path: string;
  /** The folder cannot be written (e.g. read-only, or a file stands where a folder should be). */
  readOnly?: boolean;
  /** The file does not parse: defaults are used and the file is never overwritten. */
  parseError?: SettingsParseError;
  /** The last save failed: changes since then apply for this session only. */
  saveError?: string;
}

/** The JSON schema (draft-07) of the settings file, for editors and documentation. */
export function settingsJsonSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    version: { type: 'integer', minimum: 1 },
    $schema: { type: 'string' },
  };
  for (const key of SETTING_KEYS) {
    const d = SETTING_DESCRIPTORS[key];
    const base = { description: d.label, default: DEFAULT_SETTINGS[key] };
    switch (d.type) {
      case 'enum': properties[key] = { ...base, enum: d.values }; break;
      case 'string': properties[key] = { ...base, type: 'string', maxLength: d.maxLength }; break;
      case 'integer': properties[key] = { ...base, type: 'integer', minimum: d.minimum, maximum: d.maximum }; break;
      case 'boolean': properties[key] = { ...base, type: 'boolean' }; break;
      case 'stringMap': properties[key] = { ...base, type: 'object', additionalProperties: { type: 'string' } }; break;
    }
  }
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'Quire settings', type: 'object', properties };
}
