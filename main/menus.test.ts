import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/commands';
import { buildMenuTemplate, type MenuContext } from './menus';

function context(platform: NodeJS.Platform, recentFiles: string[] = []) {
  const dispatched: Array<[string, unknown]> = [];
  let cleared = 0;
  const ctx: MenuContext = {
    platform, appName: 'Quire', recentFiles,
    dispatch: (command, args) => dispatched.push([command, args]),
    clearRecentFiles: () => cleared++,
  };
  return { ctx, dispatched, cleared: () => cleared };
}

const items = (menu: MenuItemConstructorOptions | undefined) => (menu?.submenu ?? []) as MenuItemConstructorOptions[];
const flatten = (menus: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  menus.flatMap((m) => [m, ...flatten(items(m))]);
const click = (item: MenuItemConstructorOptions | undefined) => (item!.click as unknown as () => void)();

describe('application menu', () => {
  it('has File, Edit, View, Cell, Kernel, Run and Help on Linux, with Quit in File', () => {
    const { ctx } = context('linux');
    const menus = buildMenuTemplate(ctx);
    expect(menus.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Cell', 'Kernel', 'Run', 'Help']);
    expect(items(menus[0]).at(-1)).toMatchObject({ role: 'quit' });
  });

  it('maps every menu command click to its command id', () => {
    const { ctx, dispatched } = context('linux');
    const all = flatten(buildMenuTemplate(ctx));
    const clickable = COMMANDS.filter((c) => c.menu && !c.electronRole && !('submenu' in c));
    for (const command of clickable) {
      const item = all.find((i) => i.id === command.id);
      expect(item, command.id).toBeDefined();
      click(item);
      expect(dispatched.at(-1), command.id).toEqual([command.id, undefined]);
    }
  });

  it('shows shortcuts from the registry; registers only those main handles; no chords', () => {
    const { ctx } = context('linux');
    const all = flatten(buildMenuTemplate(ctx));
    expect(all.find((i) => i.id === 'notebook.save')).toMatchObject({ accelerator: 'CmdOrCtrl+S', registerAccelerator: false });
    expect(all.find((i) => i.id === 'cell.runAndAdvance')).toMatchObject({ accelerator: 'Shift+Enter', registerAccelerator: false });
    expect(all.find((i) => i.id === 'notebook.open')).toMatchObject({ accelerator: 'CmdOrCtrl+O', registerAccelerator: true });
    expect(all.find((i) => i.id === 'cell.delete')?.accelerator).toBeUndefined();
    expect(all.find((i) => i.id === 'view.zoomIn')).toMatchObject({ role: 'zoomIn', accelerator: 'CmdOrCtrl+=' });
  });

  it("shows the user's shortcut overrides (the keybindings setting), '' removing a shortcut", () => {
    const { ctx } = context('linux');
    const all = flatten(buildMenuTemplate({ ...ctx, keybindings: { 'notebook.open': 'CmdOrCtrl+Alt+O', 'notebook.save': '', 'cell.runAll': 'R R' } }));
    expect(all.find((i) => i.id === 'notebook.open')).toMatchObject({ accelerator: 'CmdOrCtrl+Alt+O', registerAccelerator: true });
    expect(all.find((i) => i.id === 'notebook.save')?.accelerator).toBeUndefined();
    expect(all.find((i) => i.id === 'cell.runAll')?.accelerator).toBeUndefined(); // a chord: shown in the renderer only
    expect(all.find((i) => i.id === 'cell.runAndAdvance')).toMatchObject({ accelerator: 'Shift+Enter' });
  });

  it('lists recent notebooks that open on click, and can clear them', () => {
    const { ctx, dispatched, cleared } = context('linux', ['/home/u/a.ipynb', '/home/u/b.ipynb']);
    const recent = flatten(buildMenuTemplate(ctx)).find((i) => i.id === 'notebook.openRecent');
    const entries = items(recent);
    expect(entries.slice(0, 2).map((e) => e.label)).toEqual(['a.ipynb', 'b.ipynb']);
    click(entries[1]);
    expect(dispatched).toEqual([['notebook.openRecent', '/home/u/b.ipynb']]);
    click(entries.at(-1));
    expect(cleared()).toBe(1);
    const empty = flatten(buildMenuTemplate(context('linux').ctx)).find((i) => i.id === 'notebook.openRecent');
    expect(items(empty)).toEqual([{ label: 'No Recent Notebooks', enabled: false }]);
  });

  it('adds the macOS app and Window menus', () => {
    const { ctx, dispatched } = context('darwin');
    const menus = buildMenuTemplate(ctx);
    expect(menus[0].label).toBe('Quire');
    expect(items(menus[0]).some((i) => i.role === 'quit')).toBe(true);
    expect(menus.at(-2)).toEqual({ role: 'windowMenu' });
    click(items(menus[0])[0]);
    expect(dispatched).toEqual([['help.about', undefined]]);
  });
});
