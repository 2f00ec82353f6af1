/**
 * The file browser's edits: new notebook and folder, rename, duplicate, delete. None of them
 * replaces an existing file: new names are taken with exclusive creates (a hard link from a
 * finished temp file, `mkdir`), so two clients asking at once get two different names, and a
 * rename onto an existing name fails with FILE_EXISTS. Names follow jupyter_server's
 * `increment_filename` (`Untitled.ipynb`, `Untitled1.ipynb`; `a-Copy1.ipynb`; `Untitled Folder 1`).
 */
import { constants } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, readdir, realpath, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { ErrorCode, QuireError } from '../../src/errors';
import type { FileStat } from '../../src/host/contract';
import { createEmptyNotebook, serializeNotebook } from '../../src/jupyter/notebookFormat';
import { describeFsError, tempPathFor } from './atomicWrite';
import { queueByPath } from './pathQueue';
import { acquireSaveLock } from './saveLock';

/** How many names are tried before giving up (a folder with 10,000 `Untitled` notebooks). */
const MAX_CANDIDATES = 10_000;
/** Errors of `link` on file systems without hard links (FAT, some network mounts): copy instead. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

export const UNTITLED_NOTEBOOK = 'Untitled.ipynb';
export const UNTITLED_FOLDER = 'Untitled Folder';

/**
 * jupyter_server's `increment_filename`: `name`, then `name` with `insert` + 1, 2, … before the
 * extension (the last dot for `.ipynb`, else the first dot: `a.tar.gz` → `a-Copy1.tar.gz`).
 */
export function* incrementedNames(filename: string, insert: string): Generator<string> {
  let stem = filename;
  let suffix = '';
  const last = filename.lastIndexOf('.');
  if (last >= 0 && filename.slice(last + 1) === 'ipynb') {
    stem = filename.slice(0, last);
    suffix = filename.slice(last);
  } else if (filename.indexOf('.') >= 0) {
    stem = filename.slice(0, filename.indexOf('.'));
    suffix = filename.slice(filename.indexOf('.'));
  }
  for (let i = 0; i < MAX_CANDIDATES; i++) yield `${stem}${i ? `${insert}${i}` : ''}${suffix}`;
}

/** A name for a new entry: one path segment, not `.`/`..`, no separators or NUL. */
export function checkName(name: string): string {
  if (typeof name !== 'string' || name.trim() === '' || name === '.' || name === '..' || /[/\0]/.test(name) || (sep === '\\' && name.includes('\\'))) {
    throw new QuireError(ErrorCode.InvalidArgument, `“${String(name)}” is not a valid name (no slashes, not empty, not . or ..)`, { reason: 'badName', name: String(name) });
  }
  return name;
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function failed(what: string, path: string, error: unknown): QuireError {
  if (error instanceof QuireError) return error;
  const errno = errnoOf(error);
  if (errno === 'ENOENT') return new QuireError(ErrorCode.NotFound, `${what}: ${path} does not exist`, { path, errno });
  return new QuireError(ErrorCode.WriteFailed, `${what}: ${describeFsError(error)}`, { path, ...(errno ? { errno } : {}) });
}

export async function statPath(path: string): Promise<FileStat> {
  const info = await stat(path);
  return { path, exists: true, kind: info.isDirectory() ? 'directory' : 'file', mtimeMs: info.mtimeMs, size: info.size };
}

async function requireFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch((error: unknown) => {
    throw failed('No such folder', folder, error);
  });
  if (!info.isDirectory()) throw new QuireError(ErrorCode.InvalidArgument, `${folder} is not a folder`, { path: folder, reason: 'notAFolder' });
}

/**
 * Gives the finished file `temp` the first free name of `names` in `folder` (hard link: atomic and
 * exclusive, so a reader never sees half a file and nothing is replaced), then removes `temp`.
 */
async function placeExclusively(temp: string, folder: string, names: Iterable<string>): Promise<string> {
  try {
    for (const name of names) {
      const target = join(folder, name);
      try {
        await link(temp, target);
        return target;
      } catch (error) {
        const errno = errnoOf(error);
        if (errno === 'EEXIST') continue;
        if (!errno || !NO_HARD_LINKS.has(errno)) throw error;
      }
      try {
        await copyFile(temp, target, constants.COPYFILE_EXCL);
        return target;
      } catch (error) {
        if (errnoOf(error) === 'EEXIST') continue;
        throw error;
      }
    }
    throw new QuireError(ErrorCode.FileExists, `No free name left in ${folder}`, { path: folder });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * A new empty notebook (nbformat 4.5, one code cell) in `folder`: named `name` (`.ipynb` added
 * when missing; FILE_EXISTS when taken), else the first free of `Untitled.ipynb`, `Untitled1.ipynb`, …
 */
export async function createNotebookFile(folder: string, name?: string): Promise<FileStat> {
  if (name !== undefined && !/\.ipynb$/i.test(checkName(name))) name = `${name}.ipynb`;
  const names = name === undefined ? incrementedNames(UNTITLED_NOTEBOOK, '') : [name];
  await requireFolder(folder);
  const temp = tempPathFor(join(folder, name ?? UNTITLED_NOTEBOOK));
  try {
    const handle = await open(temp, 'wx', 0o666);
    try {
      await handle.writeFile(serializeNotebook(createEmptyNotebook()), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    const target = await placeExclusively(temp, folder, names);
    return await statPath(target);
  } catch (error) {
    if (name !== undefined && error instanceof QuireError && error.code === ErrorCode.FileExists) {
      throw new QuireError(ErrorCode.FileExists, `${join(folder, name)} already exists`, { path: join(folder, name) });
    }
    throw failed('Could not create the notebook', folder, error);
  }
}

/** A new folder in `folder`: named `name` (FILE_EXISTS when taken), else `Untitled Folder`, `Untitled Folder 1`, … */
export async function createFolderIn(folder: string, name?: string): Promise<FileStat> {
  await requireFolder(folder);
  const names = name === undefined ? incrementedNames(UNTITLED_FOLDER, ' ') : [checkName(name)];
  for (const candidate of names) {
    const target = join(folder, candidate);
    try {
      await mkdir(target);
      return await statPath(target);
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw failed('Could not create the folder', target, error);
      if (name !== undefined) throw new QuireError(ErrorCode.FileExists, `${target} already exists`, { path: target });
    }
  }
  throw new QuireError(ErrorCode.FileExists, `No free name left in ${folder}`, { path: folder });
}

/**
 * Runs `task` while no save of the file at `path` can run (same queue and save lock as
 * writeNotebookFile), so a save either lands before a rename/delete or finds the file gone
 * (FILE_DELETED) after it, never in between. Folders need no lock.
 */
export async function withFileQuiet<T>(path: string, task: () => Promise<T>): Promise<T> {
  const info = await lstat(path).catch((error: unknown) => {
    throw failed('Not found', path, error);
  });
  if (!info.isFile()) return task();
  return queueByPath(resolve(path), async () => {
    const target = await realpath(path).catch(() => path);
    const lock = await acquireSaveLock(target);
    try {
      return await task();
    } finally {
      await lock.release();
    }
  });
}

/**
 * Renames (or moves) `from` to `to`, never replacing anything at `to`: FILE_EXISTS when it exists
 * (a case-only rename of the same file on a case-insensitive disk is allowed), NOT_FOUND when
 * `from` does not. Files move by hard link + unlink (exclusive); folders by rename, which the OS
 * refuses onto files and non-empty folders.
 */
export async function renameNoReplace(from: string, to: string): Promise<FileStat> {
  if (resolve(from) === resolve(to)) return statPath(to);
  await requireFolder(dirname(to));
  return withFileQuiet(from, async () => {
    const source = await lstat(from).catch((error: unknown) => {
      throw failed('Could not rename', from, error);
    });
    const existing = await lstat(to).catch(() => undefined);
    // The same file under a name differing only in case: a case-insensitive disk (macOS, Windows).
    const sameFile = existing && existing.ino === source.ino && existing.dev === source.dev && from.toLowerCase() === to.toLowerCase();
    if (existing && !sameFile) throw new QuireError(ErrorCode.FileExists, `${basename(to)} already exists in ${dirname(to)}`, { path: to });
    try {
      if (source.isDirectory() || sameFile) {
        await rename(from, to);
      } else {
        try {
          await link(from, to);
        } catch (error) {
          const errno = errnoOf(error);
          if (errno === 'EEXIST') throw new QuireError(ErrorCode.FileExists, `${basename(to)} already exists in ${dirname(to)}`, { path: to });
          if (!errno || !NO_HARD_LINKS.has(errno)) throw error;
          // No hard links here: checked just above that nothing is at `to`.
          await rename(from, to);
          return await statPath(to);
        }
        await unlink(from);
      }
    } catch (error) {
      if (errnoOf(error) === 'EINVAL') throw new QuireError(ErrorCode.InvalidArgument, `Cannot move ${from} into itself`, { path: from, reason: 'intoItself' });
      if (errnoOf(error) === 'ENOTEMPTY' || errnoOf(error) === 'EEXIST' || errnoOf(error) === 'ENOTDIR') {
        throw new QuireError(ErrorCode.FileExists, `${basename(to)} already exists in ${dirname(to)}`, { path: to });
      }
      throw failed('Could not rename', from, error);
    }
    return statPath(to);
  });
}

/** A copy of the file at `path` beside it, named as JupyterLab's Duplicate does: `a.ipynb` → `a-Copy1.ipynb`. */
export async function duplicateFile(path: string): Promise<FileStat> {
  const info = await stat(path).catch((error: unknown) => {
    throw failed('Could not duplicate', path, error);
  });
  if (!info.isFile()) throw new QuireError(ErrorCode.InvalidArgument, `Only files can be duplicated; ${path} is a folder`, { path, reason: 'notAFile' });
  const folder = dirname(path);
  const name = basename(path).replace(/-Copy\d*\./g, '.');
  const temp = tempPathFor(join(folder, name));
  try {
    await copyFile(path, temp, constants.COPYFILE_EXCL);
    return await statPath(await placeExclusively(temp, folder, incrementedNames(name, '-Copy')));
  } catch (error) {
    throw failed('Could not duplicate', path, error);
  }
}

/**
 * Deletes for good (after the user confirmed, where there is no trash): a file, a link, or an empty
 * folder. A folder with anything in it is refused (INVALID_ARGUMENT `reason: 'notEmpty'`), as
 * jupyter_server does without a trash.
 */
export async function deleteForGood(path: string): Promise<void> {
  await withFileQuiet(path, async () => {
    const info = await lstat(path);
    try {
      if (info.isDirectory()) {
        if ((await readdir(path)).length > 0) {
          throw new QuireError(ErrorCode.InvalidArgument, `${basename(path)} is not empty; only empty folders are deleted for good`, { path, reason: 'notEmpty' });
        }
        await rmdir(path);
      } else {
        await unlink(path);
      }
    } catch (error) {
      if (errnoOf(error) === 'ENOTEMPTY') throw new QuireError(ErrorCode.InvalidArgument, `${basename(path)} is not empty`, { path, reason: 'notEmpty' });
      throw failed('Could not delete', path, error);
    }
  });
}
