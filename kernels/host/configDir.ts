/**
 * Quire's own config folder (settings.json, recent.json). `QUIRE_CONFIG_DIR` names it exactly
 * (tests, portable setups); an explicit `XDG_CONFIG_HOME` is honoured on every platform; otherwise
 * the platform's folder: `~/.config/quire` (Linux, XDG's default), `~/Library/Application Support/Quire`
 * (macOS), `%APPDATA%\Quire` (Windows).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function userConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.QUIRE_CONFIG_DIR) return resolve(env.QUIRE_CONFIG_DIR);
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'quire');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Quire');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Quire');
  return join(home, '.config', 'quire');
}
