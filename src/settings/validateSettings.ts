/**
 * Checks a settings file's content against SETTING_DESCRIPTORS. Hand-written rather than Ajv: the
 * settings are one flat object of a dozen keys, and each problem must map to a key whose default is
 * then used (Ajv reports by schema path and stops nothing), so a per-key check is shorter and gives
 * plainer messages. The JSON schema for editors is generated from the same table (settings.ts).
 *
 * Nothing here changes the file: unknown keys are reported and kept, wrong values fall back to the
 * key's default with a warning.
 */
import { isCommandId } from '../commands/commands';
import { parseAccelerator } from '../commands/keybindings';
import { JsonSyntaxError, lineColumnAt, parseJson } from '../jupyter/json/parseJson';
import {
  DEFAULT_SETTINGS, isSettingKey, SETTING_DESCRIPTORS, SETTINGS_FILE_VERSION, SETTINGS_META_KEYS,
  type SettingKey, type Settings, type SettingsParseError, type SettingsProblem,
} from './settings';

export interface ValidatedSettings {
  /** Every key: the file's valid values over the defaults. */
  settings: Settings;
  problems: SettingsProblem[];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Why `value` is not a valid value for `key`, or undefined when it is. For keybindings, only the
 * shape is checked here (see keybindingProblems for the entries).
 */
export function settingValueProblem(key: SettingKey, value: unknown): string | undefined {
  const d = SETTING_DESCRIPTORS[key];
  switch (d.type) {
    case 'enum':
      return typeof value === 'string' && d.values.includes(value) ? undefined : `must be one of ${d.values.map((v) => `"${v}"`).join(', ')}, not ${describe(value)}`;
    case 'string':
      if (typeof value !== 'string') return `must be text, not ${describe(value)}`;
      return value.length > d.maxLength ? `must be at most ${d.maxLength} characters long` : undefined;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `must be a whole number, not ${describe(value)}`;
      return value < d.minimum || value > d.maximum ? `must be between ${d.minimum} and ${d.maximum}, not ${value}` : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, not ${describe(value)}`;
    case 'stringMap':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? undefined : `must be an object of command id → shortcut, not ${describe(value)}`;
  }
}

/** The usable keybinding overrides and the problems of the others (unknown command, bad shortcut). */
function keybindingProblems(map: Record<string, unknown>): { valid: Record<string, string>; problems: SettingsProblem[] } {
  const valid: Record<string, string> = {};
  const problems: SettingsProblem[] = [];
  for (const [command, accelerator] of Object.entries(map)) {
    const key = `keybindings.${command}`;
    if (!isCommandId(command)) problems.push({ key, message: `"${command}" is not a Quire command; this override is ignored`, severity: 'warning' });
    else if (typeof accelerator !== 'string') problems.push({ key, message: `must be a shortcut text such as "CmdOrCtrl+Shift+K", not ${describe(accelerator)}`, severity: 'warning' });
    else if (accelerator.trim() === '') valid[command] = '';
    else {
      try {
        parseAccelerator(accelerator, 'other');
        valid[command] = accelerator;
      } catch (error) {
        problems.push({ key, message: `${(error as Error).message}; this override is ignored`, severity: 'warning' });
      }
    }
  }
  return { valid, problems };
}

/** The settings in force for a parsed settings file (any JSON value), and what was wrong with it. */
export function validateSettings(raw: unknown): ValidatedSettings {
  const settings = { ...DEFAULT_SETTINGS, keybindings: {} } as Settings;
  const problems: SettingsProblem[] = [];
  if (raw === undefined) return { settings, problems };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ key: '', message: `The settings file must hold a JSON object, not ${describe(raw)}; the defaults are used`, severity: 'error' });
    return { settings, problems };
  }
  const record = raw as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if ((SETTINGS_META_KEYS as readonly string[]).includes(key)) continue;
    if (!isSettingKey(key)) {
      problems.push({ key, message: `Unknown setting "${key}": it is kept in the file but has no effect`, severity: 'warning' });
      continue;
    }
    const problem = settingValueProblem(key, value);
    if (problem) {
      problems.push({ key, message: `"${key}" ${problem}; the default (${JSON.stringify(DEFAULT_SETTINGS[key])}) is used`, severity: 'warning' });
      continue;
    }
    if (key === 'keybindings') {
      const { valid, problems: bindingProblems } = keybindingProblems(value as Record<string, unknown>);
      settings.keybindings = valid;
      problems.push(...bindingProblems);
    } else (settings as unknown as Record<string, unknown>)[key] = value;
  }
  const version = record.version;
  if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version) || version < 1)) {
    problems.push({ key: 'version', message: `"version" must be a whole number from 1, not ${describe(version)}`, severity: 'warning' });
  } else if (typeof version === 'number' && version > SETTINGS_FILE_VERSION) {
    problems.push({ key: 'version', message: `The file was written by a newer Quire (version ${version}); settings this one knows are used`, severity: 'warning' });
  }
  return { settings, problems };
}

/**
 * Checks a partial update from a client: every key known, every value valid. Returns one message
 * per bad key (empty when the update may be applied).
 */
export function updateProblems(partial: unknown): string[] {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) return ['the update must be an object of settings'];
  const messages: string[] = [];
  for (const [key, value] of Object.entries(partial)) {
    if (!isSettingKey(key)) messages.push(`unknown setting "${key}"`);
    else {
      const problem = settingValueProblem(key, value);
      if (problem) messages.push(`"${key}" ${problem}`);
      else if (key === 'keybindings') messages.push(...keybindingProblems(value as Record<string, unknown>).problems.map((p) => `"${p.key}" ${p.message}`));
    }
  }
  return messages;
}

/**
 * The text of a settings file as a JSON object, or where it fails to parse. Blank text is `{}`; a
 * value that is not an object counts as not parsing (an update could not keep it).
 */
export function parseSettingsText(text: string): { value: Record<string, unknown>; parseError?: undefined } | { value?: undefined; parseError: SettingsParseError } {
  if (text.trim() === '') return { value: {} };
  try {
    const { value } = parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const at = text.search(/\S/);
      return { parseError: { message: `The settings file must hold a JSON object ({ … }), not ${describe(value)}`, ...lineColumnAt(text, at) } };
    }
    return { value };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { parseError: { message: error.message, line: error.line, column: error.column } };
    throw error;
  }
}
