/**
 * How the engine reads its input and writes its output, over the files engineer's layer
 * (parseNotebook, atomicWriteFile). The input is parsed without schema validation: compiling the
 * nbformat schema costs a few hundred milliseconds per process, a noticeable part of a short run,
 * and a run reports no schema warnings anyway. Output notebooks are written the way papermill writes them
 * (nbformat's canonical form: multi-line strings as line lists), atomically, so a reader never
 * sees half a notebook while a run autosaves.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Notebook } from '../../src/jupyter/nbformat';
import { ErrorCode, isQuireError, QuireError } from '../../src/errors';
import { canonicalizeNotebook, parseNotebook, serializeNotebook } from '../../src/jupyter/notebookFormat';
import { atomicWriteFile, describeFsError } from '../files/atomicWrite';

export interface RunNotebookIo {
  read(path: string): Promise<Notebook>;
  /** Serializes synchronously (the notebook keeps changing while the write is in flight). */
  write(path: string, nb: Notebook): Promise<void>;
  exists(path: string): Promise<boolean>;
}

export const defaultRunNotebookIo: RunNotebookIo = {
  async read(path) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new QuireError(missing ? ErrorCode.NotFound : ErrorCode.Unknown, missing ? `${path} does not exist.` : `Cannot read ${path}: ${describeFsError(error)}`, { path });
    }
    try {
      return parseNotebook(text);
    } catch (error) {
      if (isQuireError(error)) throw new QuireError(error.code, `${path}: ${error.message}`, { ...error.details, path });
      throw error;
    }
  },
  async write(path, nb) {
    const text = serializeNotebook(canonicalizeNotebook(nb));
    try {
      await mkdir(dirname(path), { recursive: true });
    } catch (error) {
      const errno = (error as NodeJS.ErrnoException).code;
      throw new QuireError(ErrorCode.WriteFailed, `Could not save ${path}: cannot create its folder: ${describeFsError(error)}`, { path, ...(errno ? { errno } : {}) });
    }
    await atomicWriteFile(path, text);
  },
  async exists(path) {
    return stat(path).then(() => true, () => false);
  },
};
