import { basename } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { type CommandDefinition, COMMANDS } from '../src/commands/commands';
import { withKeybindingOverrides } from '../src/commands/keybindingOverrides';
import { buildMenuSpec, type MenuItemSpec } from '../src/commands/menuSpec';
import type { JsonValue } from '../src/jupyter/messages';

export interface MenuContext {
  platform: NodeJS.Platform;
  appName: string;
  /** Newest first. */
  recentFiles: readonly string[];
  /** The `keybindings` setting: command id → accelerator ('' for none), over the registry's keys. */
  keybindings?: Readonly<Record<string, string>>;
  /** Runs a command: in main (new/open/close) or in the focused window's renderer. */
  dispatch(command: string, args?: JsonValue): void;
  clearRecentFiles(): void;
}

/** Electron accelerators cannot express chords (`D D`); those are shown in the renderer's sheet only. */
function menuAccelerator(keys: string | undefined): string | undefined {
  return keys && !/\s/.test(keys) ? keys : undefined;
}

function commandItem(command: CommandDefinition, accelerator: string | undefined, ctx: MenuContext): MenuItemConstructorOptions {
  const acc = menuAccelerator(accelerator);
  if (command.submenu === 'recentFiles') {
    const recent: MenuItemConstructorOptions[] = ctx.recentFiles.slice(0, 12).map((path) => ({
      label: basename(path),
      sublabel: path,
      click: () => ctx.dispatch(command.id, path),
    }));
    return {
      id: command.id,
      label: command.label,
      submenu: recent.length
        ? [...recent, { type: 'separator' }, { label: 'Clear Recently Opened', click: () => ctx.clearRecentFiles() }]
        : [{ label: 'No Recent Notebooks', enabled: false }],
    };
  }
  if (command.electronRole) {
    return { id: command.id, label: command.label, role: command.electronRole, ...(acc ? { accelerator: acc } : {}) };
  }
  return {
    id: command.id,
    label: command.label,
    ...(acc ? { accelerator: acc } : {}),
    // Renderer-owned shortcuts are only displayed: registering them would take keys such as
    // Shift+Enter away from the cell editor. macOS ignores this and routes them through the menu.
    registerAccelerator: command.mainHandles === true,
    click: () => ctx.dispatch(command.id),
  };
}

function toItem(item: MenuItemSpec, ctx: MenuContext): MenuItemConstructorOptions {
  switch (item.type) {
    case 'separator':
      return { type: 'separator' };
    case 'role':
      return { role: item.role as MenuItemConstructorOptions['role'] };
    case 'command':
      return commandItem(item.command, item.accelerator, ctx);
  }
}

/** The application menu from the command registry; every click goes through `ctx.dispatch`. */
export function buildMenuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const commands = withKeybindingOverrides(COMMANDS, ctx.keybindings ?? {});
  const menus: MenuItemConstructorOptions[] = buildMenuSpec('electron', commands).map((menu) => ({
    id: menu.id,
    label: menu.label,
    ...(menu.id === 'help' ? { role: 'help' as const } : {}),
    submenu: menu.items.map((item) => toItem(item, ctx)),
  }));
  if (ctx.platform === 'darwin') {
    // macOS: the app menu holds About, Hide and Quit; `window` gives the standard Window menu.
    menus.unshift({
      label: ctx.appName,
      submenu: [
        { label: `About ${ctx.appName}`, click: () => ctx.dispatch('help.about') },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
    menus.splice(menus.length - 1, 0, { role: 'windowMenu' });
  } else {
    const file = menus.find((m) => m.id === 'file')!;
    (file.submenu as MenuItemConstructorOptions[]).push({ type: 'separator' }, { role: 'quit', accelerator: 'Ctrl+Q' });
  }
  return menus;
}
