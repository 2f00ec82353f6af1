import { describe, expect, it } from 'vitest';
import { COMMANDS, getCommand } from './commands';
import { keybindingConflicts, withKeybindingOverrides } from './keybindingOverrides';
import { KeybindingResolver } from './keybindings';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('keybinding overrides', () => {
  it('replace a command\'s keys, and an empty override removes them', () => {
    const commands = withKeybindingOverrides(COMMANDS, { 'cell.run': 'Ctrl+R', 'help.shortcuts': '' });
    expect(commands.find((c) => c.id === 'cell.run')?.keys).toEqual(['Ctrl+R']);
    expect(commands.find((c) => c.id === 'help.shortcuts')?.keys).toEqual([]);
    expect(commands.find((c) => c.id === 'notebook.save')).toBe(getCommand('notebook.save'));
    const resolver = new KeybindingResolver('other', commands);
    expect(resolver.resolve(key('r', { ctrlKey: true }), 'edit')).toBe('cell.run');
    expect(resolver.resolve(key('Enter', { ctrlKey: true }), 'edit')).toBeUndefined();
    expect(resolver.resolve(key('h'), 'command')).toBeUndefined();
  });

  it('find no conflicts in the registry as shipped', () => {
    expect(keybindingConflicts(COMMANDS, 'other')).toEqual([]);
    expect(keybindingConflicts(COMMANDS, 'mac')).toEqual([]);
  });

  it('find a conflict an override creates, in the modes where both apply', () => {
    // Ctrl+S is notebook.save in every mode; cell.delete becomes a command-mode Ctrl+S.
    const conflicts = keybindingConflicts(withKeybindingOverrides(COMMANDS, { 'cell.delete': 'CmdOrCtrl+S' }), 'other');
    expect(conflicts).toEqual([{ keys: 'ctrl+s', mode: 'command', commands: ['notebook.save', 'cell.delete'] }]);
    // Spelled differently, the same key.
    expect(keybindingConflicts(withKeybindingOverrides(COMMANDS, { 'cell.run': 'Control+shift+s' }), 'other'))
      .toEqual([{ keys: 'ctrl+shift+s', mode: 'command', commands: ['notebook.saveAs', 'cell.run'] }, { keys: 'ctrl+shift+s', mode: 'edit', commands: ['notebook.saveAs', 'cell.run'] }]);
  });
});
