import { describe, expect, it } from 'vitest';
import { COMMANDS, getCommand, isCommandId, MENU_LAYOUT } from './commands';
import { commandsForShell, formatAccelerator, KeybindingResolver, matchesKeyStroke, parseAccelerator, type KeyEventLike } from './keybindings';
import { buildMenuSpec } from './menuSpec';

const key = (k: string, mods: Partial<KeyEventLike> = {}): KeyEventLike => ({
  key: k, code: /^[a-z]$/i.test(k) ? `Key${k.toUpperCase()}` : undefined, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods,
});

describe('command registry', () => {
  it('has unique ids, valid accelerators and only known menus and groups', () => {
    const ids = COMMANDS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const cmd of COMMANDS) {
      expect(cmd.id).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      for (const keys of cmd.keys ?? []) expect(() => parseAccelerator(keys, 'other'), `${cmd.id}: ${keys}`).not.toThrow();
      if (cmd.menu) {
        const layout = MENU_LAYOUT.find((m) => m.id === cmd.menu);
        expect(layout?.groups, cmd.id).toContain(cmd.group);
      }
    }
    expect(getCommand('notebook.save')?.keys).toEqual(['CmdOrCtrl+S']);
    expect(isCommandId('cell.runAndAdvance')).toBe(true);
    expect(isCommandId('cell.nope')).toBe(false);
  });

  it('covers the commands the menus promise', () => {
    for (const id of ['notebook.new', 'notebook.open', 'notebook.openRecent', 'notebook.save', 'notebook.saveAs', 'window.close',
      'cell.undo', 'cell.redo', 'cell.cut', 'cell.copy', 'cell.pasteBelow', 'notebook.find', 'notebook.replace',
      'view.toggleLineNumbers', 'view.toggleInput', 'view.toggleOutput', 'view.zoomIn',
      'cell.run', 'cell.runAndAdvance', 'cell.runAndInsert', 'cell.runAll', 'cell.runAbove', 'cell.runBelow', 'cell.changeToCode',
      'cell.changeToMarkdown', 'cell.toggleParameters', 'cell.moveUp', 'cell.moveDown', 'cell.delete', 'cell.merge', 'cell.split',
      'kernel.interrupt', 'kernel.restart', 'kernel.restartAndRunAll', 'kernel.change', 'kernel.shutdown',
      'run.withParameters', 'run.showRuns', 'view.runs', 'help.shortcuts', 'help.about']) {
      expect(getCommand(id), id).toBeDefined();
    }
  });

  it('gives no two commands the same shortcut in overlapping modes', () => {
    const seen = new Map<string, string>();
    for (const cmd of COMMANDS) {
      for (const keys of cmd.keys ?? []) {
        for (const mode of cmd.keyMode === 'any' || !cmd.keyMode ? ['command', 'edit'] : [cmd.keyMode]) {
          const slot = `${mode}:${keys.toLowerCase()}`;
          expect(seen.get(slot), `${cmd.id} and ${seen.get(slot)} both use ${keys}`).toBeUndefined();
          seen.set(slot, cmd.id);
        }
      }
    }
  });
});

describe('keybindings', () => {
  it('parses accelerators per platform, including - and = keys', () => {
    expect(parseAccelerator('CmdOrCtrl+Shift+S', 'other')).toEqual([{ key: 's', ctrl: true, meta: false, alt: false, shift: true }]);
    expect(parseAccelerator('CmdOrCtrl+S', 'mac')[0]).toMatchObject({ key: 's', meta: true, ctrl: false });
    expect(parseAccelerator('CmdOrCtrl+-', 'other')[0]).toMatchObject({ key: '-', ctrl: true });
    expect(parseAccelerator('Alt+Up', 'other')[0]).toMatchObject({ key: 'arrowup', alt: true });
    expect(parseAccelerator('D D', 'other')).toHaveLength(2);
    expect(() => parseAccelerator('Hyper+S', 'other')).toThrow(/Unknown modifier/);
  });

  it('matches DOM key events exactly, by key or physical code', () => {
    const [save] = parseAccelerator('CmdOrCtrl+S', 'other');
    expect(matchesKeyStroke(save, key('s', { ctrlKey: true }))).toBe(true);
    expect(matchesKeyStroke(save, key('S', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matchesKeyStroke(save, key('s', { metaKey: true }))).toBe(false);
    const [zoom] = parseAccelerator('CmdOrCtrl+=', 'other');
    expect(matchesKeyStroke(zoom, { key: '=', code: 'Equal', ctrlKey: true, metaKey: false, altKey: false, shiftKey: false })).toBe(true);
    const [altA] = parseAccelerator('Alt+A', 'mac');
    expect(matchesKeyStroke(altA, { key: 'å', code: 'KeyA', ctrlKey: false, metaKey: false, altKey: true, shiftKey: false })).toBe(true);
  });

  it('formats shortcuts for people', () => {
    expect(formatAccelerator('CmdOrCtrl+Shift+S', 'other')).toBe('Ctrl+Shift+S');
    expect(formatAccelerator('CmdOrCtrl+Shift+S', 'mac')).toBe('⇧⌘S');
    expect(formatAccelerator('Shift+Enter', 'other')).toBe('Shift+Enter');
    expect(formatAccelerator('D D', 'other')).toBe('D D');
  });

  it('resolves shortcuts by mode, and chords within the chord time', () => {
    const resolver = new KeybindingResolver('other');
    expect(resolver.resolve(key('Enter', { shiftKey: true }), 'edit')).toBe('cell.runAndAdvance');
    expect(resolver.resolve(key('Enter', { shiftKey: true }), 'command')).toBe('cell.runAndAdvance');
    expect(resolver.resolve(key('a'), 'edit')).toBeUndefined();
    expect(resolver.resolve(key('a'), 'command')).toBe('cell.insertAbove');
    expect(resolver.resolve(key('d'), 'command', 1000)).toBe('pending');
    expect(resolver.resolve(key('d'), 'command', 1500)).toBe('cell.delete');
    expect(resolver.resolve(key('d'), 'command', 2000)).toBe('pending');
    expect(resolver.resolve(key('d'), 'command', 5000)).toBe('pending'); // too late: starts a new chord
    expect(resolver.resolve(key('a'), 'command', 5100)).toBe('cell.insertAbove'); // a broken chord falls through
    expect(resolver.resolve(key('0'), 'command', 6000)).toBe('pending');
    expect(resolver.resolve({ ...key('0'), code: 'Digit0' }, 'command', 6100)).toBe('kernel.restart');
  });
});

describe('commandsForShell', () => {
  it('leaves main-process commands to Electron and Electron-only commands out of the browser', () => {
    const electron = commandsForShell('electron').map((c) => c.id);
    expect(electron).toContain('cell.runAndAdvance');
    expect(electron).not.toContain('notebook.open');
    expect(electron).not.toContain('view.zoomIn');
    const browser = commandsForShell('browser').map((c) => c.id);
    expect(browser).toContain('notebook.open');
    expect(browser).not.toContain('window.close');
    const resolver = new KeybindingResolver('other', commandsForShell('electron'));
    expect(resolver.resolve(key('o', { ctrlKey: true }), 'command')).toBeUndefined();
    expect(new KeybindingResolver('other', commandsForShell('browser')).resolve(key('o', { ctrlKey: true }), 'command')).toBe('notebook.open');
  });
});

describe('menu spec', () => {
  it('builds every menu in order, with separators between groups and accelerators from the registry', () => {
    const menus = buildMenuSpec('electron');
    expect(menus.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Cell', 'Kernel', 'Run', 'Help']);
    const file = menus[0].items;
    expect(file[0]).toMatchObject({ type: 'command', command: { id: 'notebook.new' }, accelerator: 'CmdOrCtrl+N' });
    expect(file[1]).toEqual({ type: 'separator' });
    expect(file.some((i) => i.type === 'command' && i.command.id === 'window.close')).toBe(true);
    const edit = menus[1].items;
    expect(edit[0]).toEqual({ type: 'role', role: 'undo' });
    for (const menu of menus) {
      expect(menu.items[0].type, menu.id).not.toBe('separator');
      expect(menu.items[menu.items.length - 1].type, menu.id).not.toBe('separator');
      menu.items.forEach((item, i) => expect(item.type === 'separator' && menu.items[i + 1]?.type === 'separator').toBe(false));
    }
  });

  it('leaves Electron-only commands and text roles out of the browser menus', () => {
    const menus = buildMenuSpec('browser');
    const ids = menus.flatMap((m) => m.items).flatMap((i) => (i.type === 'command' ? [i.command.id] : []));
    expect(ids).not.toContain('window.close');
    expect(ids).not.toContain('view.toggleDevTools');
    expect(ids).toContain('notebook.save');
    expect(menus.flatMap((m) => m.items).some((i) => i.type === 'role')).toBe(false);
  });
});
