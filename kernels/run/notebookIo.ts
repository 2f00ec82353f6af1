/**
 * How the engine reads its input and writes its output, over the files engineer's layer
 * (readNotebookFile, atomicWriteFile). Output notebooks are written the way papermill writes them
 * (nbformat's canonical form: multi-line strings as line lists), atomically, so a reader never
 * sees half a notebook while a run autosaves.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Notebook } from '../../src/jupyter/nbformat';
import { canonicalizeNotebook, serializeNotebook } from '../../src/jupyter/notebookFormat';
import { atomicWriteFile } from '../files/atomicWrite';
import { readNotebookFile } from '../files/notebookFiles';

export interface RunNotebookIo {
  read(path: string): Promise<Notebook>;
  /** Serializes synchronously (the notebook keeps changing while the write is in flight). */
  write(path: string, nb: Notebook): Promise<void>;
  exists(path: string): Promise<boolean>;
}

export const defaultRunNotebookIo: RunNotebookIo = {
  async read(path) {
    return (await readNotebookFile(path)).notebook;
  },
  async write(path, nb) {
    const text = serializeNotebook(canonicalizeNotebook(nb));
    await mkdir(dirname(path), { recursive: true });
    await atomicWriteFile(path, text);
  },
  async exists(path) {
    return stat(path).then(() => true, () => false);
  },
};
