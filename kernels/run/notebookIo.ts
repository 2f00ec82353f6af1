/**
 * How the engine reads its input and writes its output. Output notebooks are written the way
 * papermill writes them (nbformat's canonical form: multi-line strings as line lists) and
 * atomically, so a reader never sees half a notebook while a run autosaves.
 */
import { mkdir, readFile, rename, stat, writeFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ErrorCode, QuireError } from '../../src/errors';
import type { Notebook } from '../../src/jupyter/nbformat';
import { canonicalizeNotebook, parseNotebook, serializeNotebook } from '../../src/jupyter/notebookFormat';

export interface RunNotebookIo {
  read(path: string): Promise<Notebook>;
  /** Serializes synchronously (the notebook keeps changing while the write is in flight). */
  write(path: string, nb: Notebook): Promise<void>;
  exists(path: string): Promise<boolean>;
}

let tmpCounter = 0;

export const defaultRunNotebookIo: RunNotebookIo = {
  async read(path) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new QuireError(code === 'ENOENT' ? ErrorCode.NotFound : ErrorCode.Unknown, code === 'ENOENT' ? `No such notebook: ${path}` : `Cannot read ${path}: ${(error as Error).message}`, { path });
    }
    return parseNotebook(text);
  },
  async write(path, nb) {
    const text = serializeNotebook(canonicalizeNotebook(nb));
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.quire-${process.pid}-${++tmpCounter}.tmp`;
    try {
      await writeFile(tmp, text, 'utf8');
      await rename(tmp, path);
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw new QuireError(ErrorCode.WriteFailed, `Cannot write ${path}: ${(error as Error).message}`, { path });
    }
  },
  async exists(path) {
    return stat(path).then(() => true, () => false);
  },
};
