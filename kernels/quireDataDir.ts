/**
 * Quire's own per-user data folder (the run index lives there): `$QUIRE_DATA_DIR` when set (tests
 * and unusual setups), else `$XDG_DATA_HOME/quire` (default ~/.local/share/quire) on Linux,
 * ~/Library/Application Support/Quire on macOS and %APPDATA%\Quire on Windows.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { JupyterPathOptions } from './jupyterPaths';

export function quireDataDir(options: JupyterPathOptions = {}): string {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const home = options.homeDir ?? homedir();
  if (env.QUIRE_DATA_DIR) return env.QUIRE_DATA_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Quire');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Quire');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'quire');
}
