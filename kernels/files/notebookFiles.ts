/**
 * Notebook files on disk: reading (with schema warnings) and saving (atomic, in Jupyter's canonical
 * bytes, never over a file that is not a notebook unless asked, with change detection).
 */
import { constants } from 'node:fs';
import { access, open, readFile, realpath, stat } from 'node:fs/promises';
import type { FileStat, NotebookDocument, WriteNotebookOptions } from '../../src/host/contract';
import { ErrorCode, QuireError, isQuireError } from '../../src/errors';
import type { Notebook } from '../../src/jupyter/nbformat';
import { matchMultilineForms, parseNotebook, prepareNotebookForSave, serializeNotebook } from '../../src/jupyter/notebookFormat';
import { readNotebookText } from '../../src/jupyter/validateNotebook';
import { atomicWriteFile, describeFsError } from './atomicWrite';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A notebook as read, with the exact text (useful as the reference for the next save). */
export interface NotebookFile extends NotebookDocument {
  text: string;
}

function fsError(path: string, error: unknown, doing: string): QuireError {
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

/**
 * Reads a notebook. Throws QuireError NOT_FOUND, NOTEBOOK_PARSE_ERROR (with details.location line and
 * column), NOTEBOOK_UNSUPPORTED_VERSION or NOTEBOOK_INVALID (details.path added). Schema problems do
 * not stop reading: they come back as `warnings`.
 */
export async function readNotebookFile(path: string): Promise<NotebookFile> {
  let bytes: Buffer;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    // Stat the handle that was read, so the mtime belongs to exactly these bytes.
    const handle = await open(path, 'r');
    try {
      info = await handle.stat();
      if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      bytes = await handle.readFile();
      info = await handle.stat();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fsError(path, error, 'read');
  }
  const text = decode(path, bytes);
  try {
    const { notebook, warnings } = readNotebookText(text);
    return { path, notebook, warnings, text, mtimeMs: info.mtimeMs, size: info.size };
  } catch (error) {
    if (isQuireError(error)) throw new QuireError(error.code, `${path}: ${error.message}`, { ...error.details, path });
    throw error;
  }
}

/** Options for writeNotebookFile beyond the host contract's. */
export interface WriteNotebookFileOptions extends WriteNotebookOptions {
  /**
   * The notebook as last read, for number texts such as `1.0` (see serializeNotebook). By default the
   * existing file is read again and used, which is exact when nobody else changed it.
   */
  reference?: Notebook;
}

async function statOrUndefined(path: string) {
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
 * new text is written as lists like Jupyter) and returns the new stat. Refuses with FILE_EXISTS (`overwrite: false`),
 * FILE_CHANGED_ON_DISK (`expectedMtimeMs` differs), WRITE_FAILED with details.reason
 * `existingFileNotNotebook` (the file there does not parse; pass `replaceUnparseable`), or WRITE_FAILED
 * when the disk refuses (the original is then untouched). A symlink is followed: its target is replaced.
 */
export async function writeNotebookFile(path: string, notebook: Notebook, options: WriteNotebookFileOptions = {}): Promise<FileStat> {
  let target = path;
  try {
    target = await realpath(path);
  } catch {
    // A new file (or a dangling link): write at the given path.
  }
  const existing = await statOrUndefined(target);
  let reference = options.reference;
  let newline: '\n' | '\r\n' = '\n';
  if (existing) {
    if (existing.isDirectory()) throw new QuireError(ErrorCode.InvalidArgument, `${path} is a folder, not a notebook.`, { path });
    if (options.overwrite === false) throw new QuireError(ErrorCode.FileExists, `${path} already exists.`, { path });
    // Renaming over a read-only file would work (the folder is writable) but ignore the user's intent.
    if (!(await access(target, constants.W_OK).then(() => true, () => false))) {
      throw new QuireError(ErrorCode.WriteFailed, `Not saved: ${path} is read-only.`, { path, reason: 'readOnly' });
    }
    if (options.expectedMtimeMs !== undefined && existing.mtimeMs !== options.expectedMtimeMs) {
      throw new QuireError(ErrorCode.FileChangedOnDisk, `${path} was changed on disk since it was opened.`, {
        path,
        expectedMtimeMs: options.expectedMtimeMs,
        actualMtimeMs: existing.mtimeMs,
      });
    }
    let onDisk: Notebook | undefined;
    try {
      const text = decode(path, await readFile(target));
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
  });
  const after = await stat(target);
  return { path, exists: true, kind: 'file', mtimeMs: after.mtimeMs, size: after.size };
}
