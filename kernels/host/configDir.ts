/**
 * Quire's own config folder (settings.json, recent.json). `QUIRE_CONFIG_DIR` names it exactly
 * (tests, portable setups); an explicit `XDG_CONFIG_HOME` is honoured on every platform; otherwise
 * the platform's folder: `~/.config/quire` (Linux, XDG's default), `~/Library/Application Support/Quire`
 * (macOS), `%APPDATA%\Quire` (Windows). Earlier versions used `~/.config/quire` everywhere: where
 * that folder exists and the platform's does not, it is kept, so nothing saved there is lost.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function userConfigDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
  exists: (path: string) => boolean = existsSync,
): string {
  if (env.QUIRE_CONFIG_DIR) return resolve(env.QUIRE_CONFIG_DIR);
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'quire');
  const xdgDefault = join(home, '.config', 'quire');
  const native = platform === 'darwin' ? join(home, 'Library', 'Application Support', 'Quire')
    : platform === 'win32' ? join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Quire')
      : xdgDefault;
  return native !== xdgDefault && !exists(native) && exists(xdgDefault) ? xdgDefault : native;
}
