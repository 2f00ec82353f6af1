import { COMMANDS, type CommandDefinition, MENU_LAYOUT, type MenuId } from './commands';

/** A shell-neutral menu: Electron (main/menus.ts) turns it into a template, a web UI could draw it. */
export type MenuItemSpec =
  | { type: 'command'; command: CommandDefinition; accelerator?: string }
  | { type: 'separator' }
  | { type: 'role'; role: string };

export interface MenuSpec {
  id: MenuId;
  label: string;
  items: MenuItemSpec[];
}

/** Native text-editing items that belong in Edit beside the cell operations (Electron roles). */
const TEXT_EDIT_ROLES = ['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'selectAll'] as const;

/**
 * The menus for one shell, from the command registry: groups in MENU_LAYOUT order separated by
 * lines; commands for the other shell left out. Electron gets the text-editing roles in Edit.
 */
export function buildMenuSpec(shell: 'electron' | 'browser', commands: readonly CommandDefinition[] = COMMANDS): MenuSpec[] {
  return MENU_LAYOUT.map(({ id, label, groups }) => {
    const items: MenuItemSpec[] = [];
    const pushGroup = (group: MenuItemSpec[]) => {
      if (group.length === 0) return;
      if (items.length > 0) items.push({ type: 'separator' });
      items.push(...group);
    };
    if (id === 'edit' && shell === 'electron') {
      pushGroup(TEXT_EDIT_ROLES.map((role) => (role === 'separator' ? { type: 'separator' } : { type: 'role', role })));
    }
    for (const group of groups) {
      pushGroup(commands
        .filter((cmd) => cmd.menu === id && cmd.group === group && (!cmd.shell || cmd.shell === shell))
        .map((command) => ({ type: 'command', command, ...(command.keys?.[0] ? { accelerator: command.keys[0] } : {}) })));
    }
    return { id, label, items };
  });
}
