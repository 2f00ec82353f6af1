/**
 * The user's shortcut overrides (the `keybindings` setting: command id → accelerator, '' for none)
 * applied to the command registry, and the conflicts that result: two commands that one key
 * triggers in the same mode.
 */
import type { CommandDefinition, KeyMode } from './commands';
import { parseAccelerator, type Platform } from './keybindings';

/** The registry with each overridden command's keys replaced (an empty override removes them). */
export function withKeybindingOverrides(commands: readonly CommandDefinition[], overrides: Readonly<Record<string, string>>): CommandDefinition[] {
  return commands.map((cmd) => {
    if (!Object.prototype.hasOwnProperty.call(overrides, cmd.id)) return cmd;
    const accelerator = overrides[cmd.id].trim();
    return { ...cmd, keys: accelerator ? [accelerator] : [] };
  });
}

export interface KeybindingConflict {
  /** The shortcut as parsed for the platform (`ctrl+shift+k`, `d d`). */
  keys: string;
  mode: Exclude<KeyMode, 'any'>;
  commands: string[];
}

function canonical(accelerator: string, platform: Platform): string | undefined {
  try {
    return parseAccelerator(accelerator, platform)
      .map((s) => [s.ctrl && 'ctrl', s.meta && 'meta', s.alt && 'alt', s.shift && 'shift', s.key].filter(Boolean).join('+'))
      .join(' ');
  } catch {
    return undefined;
  }
}

/** Shortcuts bound to more than one command in one mode (`any` counts for both modes). */
export function keybindingConflicts(commands: readonly CommandDefinition[], platform: Platform): KeybindingConflict[] {
  const slots = new Map<string, KeybindingConflict>();
  for (const cmd of commands) {
    for (const accelerator of cmd.keys ?? []) {
      const keys = canonical(accelerator, platform);
      if (!keys) continue;
      const modes: Array<'command' | 'edit'> = !cmd.keyMode || cmd.keyMode === 'any' ? ['command', 'edit'] : [cmd.keyMode];
      for (const mode of modes) {
        const slot = slots.get(`${mode} ${keys}`) ?? { keys, mode, commands: [] };
        if (!slot.commands.includes(cmd.id)) slot.commands.push(cmd.id);
        slots.set(`${mode} ${keys}`, slot);
      }
    }
  }
  return [...slots.values()].filter((slot) => slot.commands.length > 1);
}
