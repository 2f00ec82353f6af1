// Pure-ish helpers for scripts/start.mjs (`npm start`), kept apart so they can be unit-tested.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Folders whose sources feed the build, and what the build produces. */
export const SOURCE_DIRS = ['src', 'kernels', 'main', 'renderer', 'assets'];
export const BUILD_OUTPUTS = ['dist/kernels/cli.js', 'dist/main/main.js', 'dist/main/preload.cjs', 'dist/renderer/index.html'];

function newestMtime(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Why a build is needed ('missing …' / 'stale …'), or undefined when dist/ is up to date. */
export function buildReason(repo, outputs = BUILD_OUTPUTS, sources = SOURCE_DIRS) {
  const missing = outputs.filter((o) => !existsSync(join(repo, o)));
  if (missing.length) return `missing ${missing.join(', ')}`;
  const built = Math.min(...outputs.map((o) => statSync(join(repo, o)).mtimeMs));
  const extra = ['package.json', 'package-lock.json'].map((f) => join(repo, f)).filter(existsSync).map((f) => statSync(f).mtimeMs);
  const newest = Math.max(...sources.map((s) => newestMtime(join(repo, s))), ...extra);
  return newest > built ? 'sources changed since the last build' : undefined;
}

/**
 * The Electron executable when its binary was downloaded. Reads electron's own path.txt instead
 * of calling require('electron') first, because that call tries a download when the binary is absent.
 */
export function findElectron(repo, env = process.env, platform = process.platform) {
  const pkg = join(repo, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const fallback = platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : platform === 'win32' ? 'electron.exe' : 'electron';
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  // ELECTRON_OVERRIDE_DIST_PATH: electron's own way to use a binary from elsewhere (as its index.js does).
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? fallback);
    return existsSync(binary) ? binary : undefined;
  }
  if (!relative) return undefined;
  const binary = join(pkg, 'dist', relative);
  return existsSync(binary) ? binary : undefined;
}

/** A Chromium-family browser: $QUIRE_BROWSER, then the usual names on PATH, then known locations. */
export function findBrowser(env = process.env, platform = process.platform) {
  if (env.QUIRE_BROWSER) return existsSync(env.QUIRE_BROWSER) ? env.QUIRE_BROWSER : undefined;
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'brave-browser'];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, platform === 'win32' ? `${name}.exe` : name);
      if (existsSync(candidate)) return candidate;
    }
  }
  const known = platform === 'darwin'
    ? ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']
    : platform === 'win32'
      ? [`${env['ProgramFiles'] ?? 'C:\\Program Files'}\\Google\\Chrome\\Application\\chrome.exe`, `${env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)'}\\Microsoft\\Edge\\Application\\msedge.exe`]
      : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/snap/bin/chromium'];
  return known.find((p) => existsSync(p));
}

/**
 * Arguments for an app window: its own fresh profile, no first-run UI, no background traffic.
 * The sandbox is turned off only when running as root, where Chromium refuses to start with it.
 */
export function browserArgs({ url, userDataDir, isRoot, remoteDebuggingPort }) {
  const args = [
    `--app=${url}`,
    `--user-data-dir=${userDataDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--class=Quire',
    '--window-size=1280,860',
  ];
  if (isRoot) args.push('--no-sandbox', '--test-type');
  if (remoteDebuggingPort !== undefined) args.push(`--remote-debugging-port=${remoteDebuggingPort}`);
  return args;
}

/** The URL line `quire serve` prints. */
export function parseServeUrl(text) {
  return /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(text)?.[1];
}

/** The one-time launch page `quire serve` prints (a file: URL; the token is not in it). */
export function parseLaunchUrl(text) {
  return /Launch page[^\n]*?(file:\/\/\S+\.html)/.exec(text)?.[1];
}

/** Throwaway browser profiles are `PROFILE_PREFIX<launcher pid>-XXXXXX` in the temp folder. */
export const PROFILE_PREFIX = 'quire-browser-';

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Removes profiles of ours whose launcher is dead (returns their paths). */
export function removeStaleProfiles(dir, alive = isAlive) {
  const removed = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const entry of entries) {
    const match = entry.isDirectory() && new RegExp(`^${PROFILE_PREFIX}(\\d+)-[^/]+$`).exec(entry.name);
    if (!match) continue;
    const path = join(dir, entry.name);
    try {
      if (uid !== undefined && statSync(path).uid !== uid) continue;
      if (alive(Number(match[1]))) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}
