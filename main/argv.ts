import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ArgvOptions {
  /** The launching process's working directory (a second instance reports its own). */
  cwd: string;
  /**
   * True when running as `electron <appPath> …` (process.defaultApp): argv[1] is the app folder,
   * not a document. Packaged builds put documents straight after the executable.
   */
  defaultApp: boolean;
}

/**
 * The notebooks and folders a launch asks to open: `quire a.ipynb`, a double-click on Linux and
 * Windows (the path, or a file:// URI from `%u`), or a second launch's argv. Switches (Chromium's
 * and ours) are skipped, as is everything that is neither a notebook nor an existing folder.
 */
export function pathsFromArgv(argv: readonly string[], options: ArgvOptions): string[] {
  const args = argv.slice(options.defaultApp ? 2 : 1);
  const paths: string[] = [];
  for (const arg of args) {
    if (!arg || arg === '--' || arg.startsWith('-')) continue;
    const path = toPath(arg, options.cwd);
    if (path && isOpenable(path) && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

function toPath(arg: string, cwd: string): string | undefined {
  if (arg.startsWith('file://')) {
    try {
      return fileURLToPath(arg);
    } catch {
      return undefined;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) return undefined; // another URL scheme
  return isAbsolute(arg) ? resolve(arg) : resolve(cwd, arg);
}

/** A notebook (which may not exist yet: `quire new.ipynb` creates it) or an existing folder. */
export function isOpenable(path: string): boolean {
  if (path.toLowerCase().endsWith('.ipynb')) return !existsSync(path) || statSync(path).isFile();
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * Collects open requests that arrive before the app is ready (macOS `open-file` fires before
 * `ready`; a second instance can arrive during start-up) and hands them over in order once it is.
 */
export class OpenRequests {
  private _queue: string[] = [];
  private _open: ((path: string) => void) | undefined;

  /** macOS `open-file` and second-instance paths. */
  add(paths: readonly string[]): void {
    if (this._open) for (const path of paths) this._open(path);
    else for (const path of paths) if (!this._queue.includes(path)) this._queue.push(path);
  }

  /** Called once when windows can be made; returns how many queued requests it opened. */
  ready(open: (path: string) => void): number {
    this._open = open;
    const queued = this._queue;
    this._queue = [];
    for (const path of queued) open(path);
    return queued.length;
  }
}

/**
 * What the running app does when another launch hands over: open each path it names (a window
 * per notebook, focusing one already open), or, with no path, bring an existing window forward.
 */
export function handleSecondInstance(
  argv: readonly string[],
  workingDirectory: string,
  deps: { defaultApp: boolean; openPaths(paths: string[]): void; focusAnyWindow(): boolean; openEmptyWindow(): void },
): string[] {
  const paths = pathsFromArgv(argv, { cwd: workingDirectory, defaultApp: deps.defaultApp });
  if (paths.length > 0) deps.openPaths(paths);
  else if (!deps.focusAnyWindow()) deps.openEmptyWindow();
  return paths;
}
