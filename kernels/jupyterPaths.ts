/**
 * Jupyter's data and runtime directories, computed as jupyter_core.paths does, so specs and
 * connection files land where `jupyter kernelspec list` and `jupyter --runtime-dir` look.
 */
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface JupyterPathOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homeDir?: string;
}

/** `$JUPYTER_DATA_DIR`, else the per-user default (XDG on Linux, ~/Library on macOS, %APPDATA% on Windows). */
export function jupyterDataDir(options: JupyterPathOptions = {}): string {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const home = options.homeDir ?? homedir();
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Jupyter');
  if (platform === 'win32') return env.APPDATA ? join(env.APPDATA, 'jupyter') : join(home, '.jupyter', 'data');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'jupyter');
}

/** `$JUPYTER_RUNTIME_DIR`, else `<data dir>/runtime`: where connection files go. */
export function jupyterRuntimeDir(options: JupyterPathOptions = {}): string {
  const env = options.env ?? process.env;
  return env.JUPYTER_RUNTIME_DIR || join(jupyterDataDir(options), 'runtime');
}

/** System-wide data dirs, lowest priority. */
export function systemJupyterDirs(options: JupyterPathOptions = {}): string[] {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') return [join(env.PROGRAMDATA ?? 'C:\\ProgramData', 'jupyter')];
  return ['/usr/local/share/jupyter', '/usr/share/jupyter'];
}

/** `JUPYTER_PATH` entries, in order, empty entries removed. */
export function jupyterPathEnv(options: JupyterPathOptions = {}): string[] {
  const env = options.env ?? process.env;
  const sep = (options.platform ?? process.platform) === 'win32' ? ';' : delimiter;
  return (env.JUPYTER_PATH ?? '').split(sep).filter((p) => p.length > 0);
}
