/**
 * Moves a file or folder to the system trash, with no dependency:
 *
 * - Linux and other freedesktop systems: the Trash specification 1.0. Files on the home trash's
 *   disk go to `$XDG_DATA_HOME/Trash` (`~/.local/share/Trash`); files on another disk to that
 *   disk's `$topdir/.Trash/$uid` (when `.Trash` is a real, sticky folder) or `$topdir/.Trash-$uid`
 *   (created 0700). `info/NAME.trashinfo` (Path, DeletionDate) is created first with O_EXCL, then
 *   the file is renamed to `files/NAME`, so file managers can restore it and two trashings of
 *   `a.ipynb` get `a.ipynb` and `a.2.ipynb`. Nothing is ever copied across disks.
 * - macOS: `~/.Trash` when on the same disk (no "Put Back" data: Finder keeps that privately).
 * - Windows, and any case without a trash on the file's disk: WRITE_FAILED with
 *   `details.reason: 'noTrash'` and the reason, so the caller can ask before deleting for good.
 */
import { lstat, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, extname, join, relative } from 'node:path';
import { ErrorCode, QuireError } from '../../src/errors';
import type { TrashResult } from '../../src/host/contract';
import { describeFsError } from './atomicWrite';

export interface TrashOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homeDir?: string;
  uid?: number;
  /** The top folder of the disk holding `path` (tests stand in a folder for a mount point). */
  mountPointOf?(path: string, dev: number): Promise<string>;
  now?: Date;
}

const MAX_NAMES = 10_000;

function noTrash(path: string, why: string): QuireError {
  return new QuireError(ErrorCode.WriteFailed, `There is no trash for ${path}: ${why}`, { path, reason: 'noTrash', why });
}

export async function moveToTrash(path: string, options: TrashOptions = {}): Promise<TrashResult> {
  const info = await lstat(path).catch((error: unknown) => {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT' || errno === 'ENOTDIR') throw new QuireError(ErrorCode.NotFound, `${path} does not exist`, { path });
    throw new QuireError(ErrorCode.WriteFailed, `Could not move ${path} to the trash: ${describeFsError(error)}`, { path, errno });
  });
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') throw noTrash(path, 'Quire cannot use the Windows Recycle Bin yet');
  const home = options.homeDir ?? homedir();
  if (platform === 'darwin') return macTrash(path, info.dev, home);
  const env = options.env ?? process.env;
  const dataHome = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(home, '.local', 'share');
  const homeTrash = join(dataHome, 'Trash');
  if ((await nearestDevice(homeTrash)) === info.dev) {
    return freedesktopTrash(path, homeTrash, undefined, options.now);
  }
  const uid = options.uid ?? process.getuid?.() ?? 0;
  const top = await (options.mountPointOf ?? mountPointOf)(path, info.dev);
  const trash = (await sharedTrash(top, uid)) ?? (await ownTrash(top, uid));
  if (!trash) throw noTrash(path, `it is on another disk than your home trash (${homeTrash}), and that disk (${top}) has no usable trash folder`);
  return freedesktopTrash(path, trash, top, options.now);
}

/** The device of `path`, or of its nearest existing parent (the trash may not exist yet). */
async function nearestDevice(path: string): Promise<number | undefined> {
  for (let p = path; ; p = dirname(p)) {
    const info = await stat(p).catch(() => undefined);
    if (info) return info.dev;
    if (dirname(p) === p) return undefined;
  }
}

/** The highest folder above `path` still on the same device. */
async function mountPointOf(path: string, dev: number): Promise<string> {
  let top = dirname(path);
  for (;;) {
    const parent = dirname(top);
    if (parent === top) return top;
    const info = await stat(parent).catch(() => undefined);
    if (!info || info.dev !== dev) return top;
    top = parent;
  }
}

/** `$topdir/.Trash/$uid`: only when `.Trash` is a real folder with the sticky bit (spec, "(1)"). */
async function sharedTrash(top: string, uid: number): Promise<string | undefined> {
  const shared = join(top, '.Trash');
  const info = await lstat(shared).catch(() => undefined);
  if (!info || !info.isDirectory() || (info.mode & 0o1000) === 0) return undefined;
  const mine = join(shared, String(uid));
  await mkdir(mine, { mode: 0o700 }).catch(() => undefined);
  return (await usable(mine, uid)) ? mine : undefined;
}

/** `$topdir/.Trash-$uid`, created when missing (spec, "(2)"). */
async function ownTrash(top: string, uid: number): Promise<string | undefined> {
  const own = join(top, `.Trash-${uid}`);
  await mkdir(own, { mode: 0o700 }).catch(() => undefined);
  return (await usable(own, uid)) ? own : undefined;
}

async function usable(folder: string, uid: number): Promise<boolean> {
  const info = await lstat(folder).catch(() => undefined);
  return !!info && info.isDirectory() && info.uid === uid;
}

/** `Path=` escaped as in URLs (RFC 2396), keeping `/`. */
function escapePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Local time without a zone, as the spec asks: `2026-12-08T02:03:04`. */
function deletionDate(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}T${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
}

function* trashNames(name: string): Generator<string> {
  const ext = extname(name);
  const stem = ext && ext !== name ? name.slice(0, -ext.length) : name;
  yield name;
  for (let i = 2; i < MAX_NAMES; i++) yield `${stem}.${i}${ext && ext !== name ? ext : ''}`;
}

async function freedesktopTrash(path: string, trash: string, top: string | undefined, now = new Date()): Promise<TrashResult> {
  const filesDir = join(trash, 'files');
  const infoDir = join(trash, 'info');
  try {
    await mkdir(filesDir, { recursive: true, mode: 0o700 });
    await mkdir(infoDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw noTrash(path, `the trash folder ${trash} cannot be created (${describeFsError(error)})`);
  }
  const recorded = top ? relative(top, path) : path;
  const content = `[Trash Info]\nPath=${escapePath(recorded)}\nDeletionDate=${deletionDate(now)}\n`;
  for (const name of trashNames(basename(path))) {
    const infoPath = join(infoDir, `${name}.trashinfo`);
    let handle;
    try {
      handle = await open(infoPath, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw noTrash(path, `the trash ${trash} cannot be written (${describeFsError(error)})`);
    }
    try {
      await handle.writeFile(content, 'utf8');
    } finally {
      await handle.close();
    }
    const target = join(filesDir, name);
    // A file left in files/ without its info (another program's half-done trashing): not ours to replace.
    if (await lstat(target).then(() => true, () => false)) {
      await unlink(infoPath).catch(() => undefined);
      continue;
    }
    try {
      await rename(path, target);
    } catch (error) {
      await unlink(infoPath).catch(() => undefined);
      const errno = (error as NodeJS.ErrnoException).code;
      if (errno === 'ENOENT') throw new QuireError(ErrorCode.NotFound, `${path} does not exist`, { path });
      if (errno === 'EXDEV') throw noTrash(path, `the trash ${trash} is on another disk`);
      throw new QuireError(ErrorCode.WriteFailed, `Could not move ${path} to the trash: ${describeFsError(error)}`, { path, ...(errno ? { errno } : {}) });
    }
    return { path, trashedTo: target, trash };
  }
  throw noTrash(path, `the trash ${trash} has no free name for it`);
}

async function macTrash(path: string, dev: number, home: string): Promise<TrashResult> {
  const trash = join(home, '.Trash');
  if ((await nearestDevice(trash)) !== dev) throw noTrash(path, `it is on another disk than your trash (${trash})`);
  await mkdir(trash, { recursive: true }).catch(() => undefined);
  for (const name of trashNames(basename(path))) {
    const target = join(trash, name);
    if (await lstat(target).then(() => true, () => false)) continue;
    try {
      await rename(path, target);
    } catch (error) {
      const errno = (error as NodeJS.ErrnoException).code;
      if (errno === 'ENOENT') throw new QuireError(ErrorCode.NotFound, `${path} does not exist`, { path });
      throw new QuireError(ErrorCode.WriteFailed, `Could not move ${path} to the trash: ${describeFsError(error)}`, { path, ...(errno ? { errno } : {}) });
    }
    return { path, trashedTo: target, trash };
  }
  throw noTrash(path, `the trash ${trash} has no free name for it`);
}
