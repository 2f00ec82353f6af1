/**
 * Notebook files on disk: reading (regular files only, size-capped, with schema warnings and the
 * content's SHA-256) and saving (atomic, in Jupyter's canonical bytes, never over a file that is not
 * a notebook unless asked, never over a change made since the caller read it, never recreating a
 * file deleted since). Saves of one file are serialized: in this process by a queue per resolved
 * path, across processes by a lock file around check + rename (see saveLock.ts).
 */
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FileStat, NotebookDocument, NotebookHead, ReadNotebookHeadOptions, WriteNotebookOptions } from '../../src/host/contract';
import { ErrorCode, QuireError, isQuireError } from '../../src/errors';
import type { Notebook } from '../../src/jupyter/nbformat';
import { matchMultilineForms, parseNotebook, prepareNotebookForSave, serializeNotebook } from '../../src/jupyter/notebookFormat';
import { readNotebookText } from '../../src/jupyter/validateNotebook';
import { scanNotebookHead } from '../../src/jupyter/notebookHead';
import type { Cell, NotebookMetadata } from '../../src/jupyter/nbformat';
import { atomicWriteFile, describeFsError } from './atomicWrite';
import { queueByPath } from './pathQueue';
import { DEFAULT_MAX_NOTEBOOK_BYTES, MAX_NOTEBOOK_MB_ENV, readRegularFile } from './regularFile';
import { acquireSaveLock, type LockHolder } from './saveLock';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A notebook as read, with the exact text (useful as the reference for the next save). */
export interface NotebookFile extends NotebookDocument {
  text: string;
  contentHash: string;
}

/** SHA-256 (hex) of file bytes: what NotebookDocument.contentHash and FileStat.contentHash hold. */
export function contentHashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function fsError(path: string, error: unknown, doing: string): QuireError {
  if (isQuireError(error)) return error as QuireError;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new QuireError(ErrorCode.NotFound, `${path} does not exist.`, { path });
  if (code === 'EISDIR') return new QuireError(ErrorCode.InvalidArgument, `${path} is a folder, not a notebook.`, { path });
  return new QuireError(ErrorCode.Unknown, `Could not ${doing} ${path}: ${describeFsError(error)}`, { path, errno: code });
}

/** Decodes UTF-8 strictly: a file that is not UTF-8 is not a notebook Jupyter could have written. */
function decode(path: string, bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new QuireError(ErrorCode.NotebookParseError, `${path} is not UTF-8 text, so it is not a notebook.`, { path, location: { pointer: '' } });
  }
}

export interface ReadNotebookFileOptions {
  /** Larger files are refused with INVALID_ARGUMENT `details.reason: 'tooLarge'` (default 100 MB). */
  maxBytes?: number;
}

const readOptions = (maxBytes = DEFAULT_MAX_NOTEBOOK_BYTES) => ({ maxBytes, what: 'notebook', limitHint: `${MAX_NOTEBOOK_MB_ENV} sets the limit in MB` });

/**
 * Reads a notebook. Throws QuireError NOT_FOUND, INVALID_ARGUMENT (a folder, FIFO, device or socket:
 * `details.reason: 'notAFile'`; over the size limit: `'tooLarge'`), NOTEBOOK_PARSE_ERROR (with
 * details.location line and column), NOTEBOOK_UNSUPPORTED_VERSION or NOTEBOOK_INVALID (details.path
 * added). Schema problems do not stop reading: they come back as `warnings`.
 */
export async function readNotebookFile(path: string, options: ReadNotebookFileOptions = {}): Promise<NotebookFile> {
  // The handle's stat after the read, so the mtime belongs to exactly these bytes.
  const { bytes, info } = await readRegularFile(path, readOptions(options.maxBytes));
  const contentHash = contentHashOf(bytes);
  const text = decode(path, bytes);
  try {
    const { notebook, warnings } = readNotebookText(text);
    return { path, notebook, warnings, text, mtimeMs: info.mtimeMs, size: info.size, contentHash };
  } catch (error) {
    if (isQuireError(error)) throw new QuireError(error.code, `${path}: ${error.message}`, { ...error.details, path });
    throw error;
  }
}

export const DEFAULT_HEAD_CELLS = 50;
export const DEFAULT_HEAD_BYTES = 2 * 1024 * 1024;

/**
 * The first cells of a notebook file (see NotebookHead): reads at most `maxBytes` (default 2 MB)
 * from its start and cuts out at most `maxCells` (default 50) whole cells, without parsing the rest.
 * Null when that start is not UTF-8 or does not look like a notebook. Throws as readNotebookFile
 * does for the path (NOT_FOUND, INVALID_ARGUMENT `notAFile` / `tooLarge`).
 */
export async function readNotebookHeadFile(path: string, options: ReadNotebookHeadOptions & { maxFileBytes?: number } = {}): Promise<NotebookHead | null> {
  const budget = Math.max(1, options.maxBytes ?? DEFAULT_HEAD_BYTES);
  const maxCells = Math.max(1, options.maxCells ?? DEFAULT_HEAD_CELLS);
  // A first screen is usually in the first few hundred kB: read that, and more only when it is not.
  for (let prefixBytes = Math.min(budget, 256 * 1024); ; prefixBytes = Math.min(budget, prefixBytes * 4)) {
    const { bytes, info } = await readRegularFile(path, { ...readOptions(options.maxFileBytes), prefixBytes });
    const whole = bytes.length >= info.size;
    let text: string;
    try {
      // A prefix may end inside a character: `stream` holds those bytes back instead of failing.
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !whole });
    } catch {
      return null;
    }
    const scan = scanNotebookHead(text, maxCells);
    const enough = scan && (scan.complete || scan.cells.length >= maxCells);
    if (!enough && !whole && prefixBytes < budget) continue;
    if (!scan) return null;
    const { metadata, nbformat, nbformat_minor: minor } = scan.before;
    return {
      path, cells: scan.cells as Cell[], complete: scan.complete, size: info.size, mtimeMs: info.mtimeMs,
      ...(metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata) ? { metadata: metadata as NotebookMetadata } : {}),
      ...(typeof nbformat === 'number' ? { nbformat } : {}),
      ...(typeof minor === 'number' ? { nbformat_minor: minor } : {}),
    };
  }
}

/** Options for writeNotebookFile beyond the host contract's. */
export interface WriteNotebookFileOptions extends WriteNotebookOptions {
  /**
   * The notebook as last read, for number texts such as `1.0` (see serializeNotebook). By default the
   * existing file is read again and used, which is exact when nobody else changed it.
   */
  reference?: Notebook;
  /** The size limit for reading the existing file (default 100 MB). */
  maxBytes?: number;
  /** Points inside a save, for tests that must stop a save at an exact step. */
  hooks?: {
    /** The save lock is busy: this save starts waiting for it. */
    onLockWait?(holder: LockHolder): void;
    /** The save lock is held; nothing is checked or written yet. */
    afterLock?(): Promise<void>;
    /** The temp file is complete; the rename is next. */
    beforeRename?(tempPath: string): Promise<void>;
  };
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw fsError(path, error, 'inspect');
  }
}

/**
 * Saves a notebook atomically in Jupyter's canonical form (see serializeNotebook,
 * prepareNotebookForSave and matchMultilineForms: text keeps the string-or-list form the file had,
 * new text is written as lists like Jupyter) and returns the new stat with the written bytes'
 * contentHash. Refuses with FILE_EXISTS (`overwrite: false`), FILE_CHANGED_ON_DISK (the bytes differ
 * from `expectedContentHash`; without a hash, the mtime differs from `expectedMtimeMs`),
 * FILE_DELETED (either expectation given and the file is gone), WRITE_FAILED with details.reason
 * `existingFileNotNotebook` (the file there does not parse; pass `replaceUnparseable`), `locked`
 * (another process kept its save lock too long), or WRITE_FAILED when the disk refuses (the original
 * is then untouched). A symlink is followed: its target is replaced.
 */
export async function writeNotebookFile(path: string, notebook: Notebook, options: WriteNotebookFileOptions = {}): Promise<FileStat> {
  // Queued by the path as given, synchronously, so saves run in the order they were asked for; two
  // spellings of one file (a symlink and its target) meet at the lock, which is the resolved path's.
  return queueByPath(resolve(path), async () => {
    let target = path;
    try {
      target = await realpath(path);
    } catch {
      // A new file (or a dangling link): write at the given path.
    }
    const lock = await acquireSaveLock(target, { onWait: options.hooks?.onLockWait }).catch((error: unknown) => {
      // No folder for the lock file: the notebook's folder went away with it.
      const errno = isQuireError(error) ? error.details?.errno : undefined;
      if ((errno === 'ENOENT' || errno === 'ENOTDIR') && (options.expectedContentHash !== undefined || options.expectedMtimeMs !== undefined)) throw deleted(path);
      throw error;
    });
    try {
      await options.hooks?.afterLock?.();
      return await writeLocked(path, target, notebook, options);
    } finally {
      await lock.release();
    }
  });
}

function deleted(path: string): QuireError {
  return new QuireError(ErrorCode.FileDeleted, `${path} was deleted or renamed since it was opened, so it was not saved there. Save it again to recreate it, or save it under another name.`, { path });
}

/** The check and the write, with the save lock held. */
async function writeLocked(path: string, target: string, notebook: Notebook, options: WriteNotebookFileOptions): Promise<FileStat> {
  const existing = await statOrUndefined(target);
  const { expectedContentHash, expectedMtimeMs } = options;
  let reference = options.reference;
  let newline: '\n' | '\r\n' = '\n';
  if (!existing) {
    if (expectedContentHash !== undefined || expectedMtimeMs !== undefined) {
      throw deleted(path);
    }
  } else {
    if (existing.isDirectory()) throw new QuireError(ErrorCode.InvalidArgument, `${path} is a folder, not a notebook.`, { path });
    if (!existing.isFile()) throw new QuireError(ErrorCode.InvalidArgument, `${path} is not a regular file; it was not saved.`, { path, reason: 'notAFile' });
    if (options.overwrite === false) throw new QuireError(ErrorCode.FileExists, `${path} already exists.`, { path });
    // Renaming over a read-only file would work (the folder is writable) but ignore the user's intent.
    if (!(await access(target, constants.W_OK).then(() => true, () => false))) {
      throw new QuireError(ErrorCode.WriteFailed, `Not saved: ${path} is read-only.`, { path, reason: 'readOnly' });
    }
    if (expectedContentHash === undefined && expectedMtimeMs !== undefined && existing.mtimeMs !== expectedMtimeMs) {
      throw new QuireError(ErrorCode.FileChangedOnDisk, `${path} was changed on disk since it was opened.`, {
        path, reason: 'mtimeChanged', expectedMtimeMs, actualMtimeMs: existing.mtimeMs,
      });
    }
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_NOTEBOOK_BYTES;
    let onDiskBytes: Buffer | undefined;
    let onDiskInfo: Stats = existing;
    if (existing.size <= maxBytes) {
      try {
        ({ bytes: onDiskBytes, info: onDiskInfo } = await readRegularFile(target, readOptions(maxBytes)));
      } catch (error) {
        if (!(isQuireError(error) && error.details?.reason === 'tooLarge')) throw fsError(path, error, 'read');
      }
    }
    if (expectedContentHash !== undefined) {
      const actualContentHash = onDiskBytes ? contentHashOf(onDiskBytes) : undefined;
      if (actualContentHash !== expectedContentHash) {
        const sameMtime = expectedMtimeMs !== undefined && expectedMtimeMs === onDiskInfo.mtimeMs;
        throw new QuireError(
          ErrorCode.FileChangedOnDisk,
          `${path} was changed on disk since it was opened (its content differs${sameMtime ? ', although its modification time is the same' : ''}), so it was not saved.`,
          {
            path, reason: 'contentChanged', expectedContentHash, actualContentHash, actualSize: onDiskInfo.size, actualMtimeMs: onDiskInfo.mtimeMs,
            ...(expectedMtimeMs !== undefined ? { expectedMtimeMs } : {}),
          },
        );
      }
    }
    let onDisk: Notebook | undefined;
    try {
      if (!onDiskBytes) throw new QuireError(ErrorCode.InvalidArgument, `it is over ${maxBytes} bytes`);
      const text = decode(path, onDiskBytes);
      // Keep the file's line endings (Jupyter on Windows writes \r\n).
      if (text.includes('\r\n')) newline = '\r\n';
      onDisk = parseNotebook(text);
    } catch (error) {
      if (!isQuireError(error)) throw fsError(path, error, 'read');
      if (!options.replaceUnparseable) {
        throw new QuireError(ErrorCode.WriteFailed, `Not saved: ${path} on disk is not a readable notebook (${error.message}), so it was left as it is.`, {
          path,
          reason: 'existingFileNotNotebook',
          cause: error.message,
        });
      }
    }
    reference ??= onDisk;
  }
  // Multi-line text keeps the form the file had (a UI may hold sources as plain strings).
  const content = serializeNotebook(matchMultilineForms(prepareNotebookForSave(notebook), reference), { reference, newline });
  await atomicWriteFile(target, content, {
    mode: existing ? existing.mode & 0o7777 : undefined,
    owner: existing ? { uid: existing.uid, gid: existing.gid } : undefined,
    verify: (text) => void parseNotebook(text),
    beforeRename: options.hooks?.beforeRename,
  });
  const after = await stat(target);
  return { path, exists: true, kind: 'file', mtimeMs: after.mtimeMs, size: after.size, contentHash: contentHashOf(Buffer.from(content, 'utf8')) };
}
