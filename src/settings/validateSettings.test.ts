import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsJsonSchema } from './settings';
import { parseSettingsText, updateProblems, validateSettings } from './validateSettings';

describe('validateSettings', () => {
  it('gives the defaults for a missing or empty file, without problems', () => {
    expect(validateSettings(undefined)).toEqual({ settings: { ...DEFAULT_SETTINGS }, problems: [] });
    expect(validateSettings({})).toEqual({ settings: { ...DEFAULT_SETTINGS }, problems: [] });
  });

  it('takes valid values over the defaults', () => {
    const { settings, problems } = validateSettings({ 'theme': 'dark', 'editor.fontSize': 16, 'editor.wordWrap': true, 'keybindings': { 'notebook.save': 'CmdOrCtrl+Alt+S' } });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ 'theme': 'dark', 'editor.fontSize': 16, 'editor.wordWrap': true, 'editor.lineNumbers': false });
    expect(settings.keybindings).toEqual({ 'notebook.save': 'CmdOrCtrl+Alt+S' });
  });

  it('reports unknown keys as warnings and ignores them', () => {
    const { settings, problems } = validateSettings({ 'theme': 'dark', 'editor.fontSise': 20, 'version': 1 });
    expect(settings['editor.fontSize']).toBe(13);
    expect(problems).toEqual([{ key: 'editor.fontSise', severity: 'warning', message: expect.stringContaining('Unknown setting "editor.fontSise"') }]);
  });

  it('uses the default, with a warning naming the key, for each wrong type or value', () => {
    const { settings, problems } = validateSettings({
      'theme': 'blue', 'editor.fontSize': '14', 'editor.lineNumbers': 1, 'files.autosaveDelayMs': 10, 'outputs.maxLines': 2.5,
      'keybindings': [], 'editor.wordWrap': true,
    });
    expect(settings).toMatchObject({ 'theme': 'system', 'editor.fontSize': 13, 'editor.lineNumbers': false, 'files.autosaveDelayMs': 2000, 'outputs.maxLines': 1000, 'editor.wordWrap': true });
    expect(problems.map((p) => p.key)).toEqual(['theme', 'editor.fontSize', 'editor.lineNumbers', 'files.autosaveDelayMs', 'outputs.maxLines', 'keybindings']);
    expect(problems[0].message).toBe('"theme" must be one of "light", "dark", "system", not the text "blue"; the default ("system") is used');
    expect(problems[1].message).toContain('must be a whole number, not the text "14"');
    expect(problems[3].message).toContain('between 200 and 600000, not 10');
    expect(problems.every((p) => p.severity === 'warning')).toBe(true);
  });

  it('keeps good shortcut overrides and reports unknown commands and bad shortcuts', () => {
    const { settings, problems } = validateSettings({ keybindings: { 'cell.run': 'Ctrl+R', 'cell.nope': 'Ctrl+Q', 'cell.delete': 'Hyper+D', 'cell.merge': 3, 'help.shortcuts': '' } });
    expect(settings.keybindings).toEqual({ 'cell.run': 'Ctrl+R', 'help.shortcuts': '' });
    expect(problems.map((p) => p.key)).toEqual(['keybindings.cell.nope', 'keybindings.cell.delete', 'keybindings.cell.merge']);
  });

  it('warns about a file from a newer version but still uses what it knows', () => {
    const { settings, problems } = validateSettings({ version: 7, theme: 'light' });
    expect(settings.theme).toBe('light');
    expect(problems).toEqual([{ key: 'version', severity: 'warning', message: expect.stringContaining('newer Quire (version 7)') }]);
  });
});

describe('parseSettingsText', () => {
  it('says where a file that does not parse breaks', () => {
    const result = parseSettingsText('{\n  "theme": "dark",\n  "editor.fontSize": 14,,\n}\n');
    expect(result.parseError).toMatchObject({ line: 3, column: 25 });
    expect(result.parseError?.message).toMatch(/line 3, column 25/);
  });

  it('refuses a value that is not an object, at its position', () => {
    expect(parseSettingsText('\n  [1, 2]').parseError).toMatchObject({ line: 2, column: 3, message: expect.stringContaining('must hold a JSON object') });
  });

  it('reads blank text as an empty object and skips a byte-order mark', () => {
    expect(parseSettingsText(' \n')).toEqual({ value: {} });
    expect(parseSettingsText('\ufeff{"theme":"dark"}')).toEqual({ value: { theme: 'dark' } });
  });
});

describe('updateProblems', () => {
  it('accepts valid partial updates and names each bad key', () => {
    expect(updateProblems({ theme: 'dark', 'editor.fontSize': 15 })).toEqual([]);
    expect(updateProblems({ theme: 'purple', colour: 1 })).toEqual([expect.stringContaining('"theme" must be one of'), 'unknown setting "colour"']);
    expect(updateProblems(null)).toEqual(['the update must be an object of settings']);
  });
});

describe('settingsJsonSchema', () => {
  it('agrees with the validator on the defaults and on wrong values', () => {
    const validate = new Ajv({ strict: false }).compile(settingsJsonSchema());
    expect(validate({ version: 1, ...DEFAULT_SETTINGS })).toBe(true);
    expect(validate({ theme: 'blue' })).toBe(false);
    expect(validate({ 'editor.fontSize': 100 })).toBe(false);
  });
});
