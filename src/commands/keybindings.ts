import { COMMANDS, type CommandDefinition, type KeyMode } from './commands';

/** What the matcher needs from a DOM KeyboardEvent (kept structural: src/ has no DOM types). */
export interface KeyEventLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export type Platform = 'mac' | 'other';

/** One keystroke of an accelerator, with CmdOrCtrl resolved for a platform. */
export interface KeyStroke {
  key: string;
  ctrl: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

const MODIFIERS: Record<string, (s: KeyStroke, platform: Platform) => void> = {
  cmdorctrl: (s, p) => (p === 'mac' ? (s.meta = true) : (s.ctrl = true)),
  commandorcontrol: (s, p) => (p === 'mac' ? (s.meta = true) : (s.ctrl = true)),
  cmd: (s) => (s.meta = true),
  command: (s) => (s.meta = true),
  super: (s) => (s.meta = true),
  meta: (s) => (s.meta = true),
  ctrl: (s) => (s.ctrl = true),
  control: (s) => (s.ctrl = true),
  alt: (s) => (s.alt = true),
  option: (s) => (s.alt = true),
  shift: (s) => (s.shift = true),
};

/** Electron key names → DOM `KeyboardEvent.key` values. */
const KEY_ALIASES: Record<string, string> = {
  up: 'arrowup', down: 'arrowdown', left: 'arrowleft', right: 'arrowright',
  esc: 'escape', return: 'enter', space: ' ', plus: '+', del: 'delete', comma: ',',
};

/** Physical key codes for punctuation, so `CmdOrCtrl+=` matches whatever Shift makes of the key. */
const CODE_FOR_KEY: Record<string, string> = { '=': 'Equal', '-': 'Minus', '/': 'Slash', '.': 'Period', ',': 'Comma', ';': 'Semicolon', '[': 'BracketLeft', ']': 'BracketRight' };

/** Parses `CmdOrCtrl+Shift+S` or a chord `D D` into keystrokes. */
export function parseAccelerator(accelerator: string, platform: Platform): KeyStroke[] {
  return accelerator.trim().split(/\s+/).map((part) => {
    const stroke: KeyStroke = { key: '', ctrl: false, meta: false, alt: false, shift: false };
    // `CmdOrCtrl+-` and `CmdOrCtrl+Shift+=`: the last token may itself be '+' or '-'.
    const tokens = part.endsWith('++') ? [...part.slice(0, -2).split('+'), '+'] : part.split('+');
    for (const token of tokens.slice(0, -1)) {
      const apply = MODIFIERS[token.toLowerCase()];
      if (!apply) throw new Error(`Unknown modifier ${token} in ${accelerator}`);
      apply(stroke, platform);
    }
    const key = tokens[tokens.length - 1].toLowerCase();
    if (!key) throw new Error(`No key in ${accelerator}`);
    stroke.key = KEY_ALIASES[key] ?? key;
    return stroke;
  });
}

/** True when a key event is exactly this keystroke (all four modifiers must agree). */
export function matchesKeyStroke(stroke: KeyStroke, event: KeyEventLike): boolean {
  if (event.ctrlKey !== stroke.ctrl || event.metaKey !== stroke.meta || event.altKey !== stroke.alt || event.shiftKey !== stroke.shift) return false;
  const key = event.key.toLowerCase();
  if (key === stroke.key) return true;
  // Letters and digits by physical key too (Alt/Shift change `key` on some layouts and on macOS).
  if (/^[a-z]$/.test(stroke.key)) return event.code === `Key${stroke.key.toUpperCase()}`;
  if (/^[0-9]$/.test(stroke.key)) return event.code === `Digit${stroke.key}`;
  const code = CODE_FOR_KEY[stroke.key];
  return code !== undefined && event.code === code;
}

/** How a shortcut is written for people: `Ctrl+Shift+S` on Linux/Windows, `⌘⇧S` on macOS. */
export function formatAccelerator(accelerator: string, platform: Platform): string {
  return parseAccelerator(accelerator, platform).map((s) => {
    const key = s.key.length === 1 ? s.key.toUpperCase() : s.key === ' ' ? 'Space' : s.key.replace(/^arrow/, '').replace(/^./, (ch) => ch.toUpperCase());
    if (platform === 'mac') return `${s.ctrl ? '⌃' : ''}${s.alt ? '⌥' : ''}${s.shift ? '⇧' : ''}${s.meta ? '⌘' : ''}${key}`;
    return [s.ctrl && 'Ctrl', s.meta && 'Super', s.alt && 'Alt', s.shift && 'Shift', key].filter(Boolean).join('+');
  }).join(' ');
}

interface Binding {
  command: string;
  strokes: KeyStroke[];
  mode: KeyMode;
}

/**
 * Turns key events into command ids, chords included (`D D`: the second D within `chordMs`).
 * The renderer feeds it every keydown with the current mode and runs what it returns; a returned
 * `'pending'` means the key started a chord and should be swallowed.
 */
export class KeybindingResolver {
  private readonly _bindings: Binding[];
  private _pending: { bindings: Binding[]; index: number; at: number } | undefined;

  constructor(
    platform: Platform,
    commands: readonly CommandDefinition[] = COMMANDS,
    private readonly _chordMs = 800,
  ) {
    this._bindings = commands.flatMap((cmd) => (cmd.keys ?? []).map((keys) => ({
      command: cmd.id, strokes: parseAccelerator(keys, platform), mode: cmd.keyMode ?? 'any',
    })));
  }

  /** The command for this key event, 'pending' in the middle of a chord, or undefined. */
  resolve(event: KeyEventLike, mode: 'command' | 'edit', now: number = Date.now()): string | 'pending' | undefined {
    if (['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) return this._pending ? 'pending' : undefined;
    const pending = this._pending && now - this._pending.at <= this._chordMs ? this._pending : undefined;
    this._pending = undefined;
    const candidates = pending ? pending.bindings : this._bindings.filter((b) => b.mode === 'any' || b.mode === mode);
    const index = pending ? pending.index : 0;
    const matching = candidates.filter((b) => b.strokes[index] && matchesKeyStroke(b.strokes[index], event));
    const complete = matching.find((b) => b.strokes.length === index + 1);
    if (complete) return complete.command;
    if (matching.length > 0) {
      this._pending = { bindings: matching, index: index + 1, at: now };
      return 'pending';
    }
    // A broken chord starts over with this key on its own.
    return pending ? this.resolve(event, mode, now) : undefined;
  }

  /** Forget a half-typed chord (e.g. on focus change). */
  reset(): void {
    this._pending = undefined;
  }
}

/**
 * The commands whose shortcuts the renderer handles in a shell: in Electron the main process owns
 * the `mainHandles` ones (through registered menu accelerators), in the browser the page owns all
 * but the Electron-only ones. Use: `new KeybindingResolver(platform, commandsForShell(shell))`.
 */
export function commandsForShell(shell: 'electron' | 'browser', commands: readonly CommandDefinition[] = COMMANDS): CommandDefinition[] {
  return commands.filter((cmd) => (shell === 'electron' ? !cmd.mainHandles && cmd.shell !== 'browser' : cmd.shell !== 'electron'));
}
