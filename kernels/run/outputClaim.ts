/**
 * Claiming a run's output before any kernel starts. Without `overwrite`, the output path is taken
 * with an exclusive create: a placeholder notebook is written to a temp file beside it and hard-
 * linked to the path (link(2) fails with EEXIST when the path exists, and the placeholder appears
 * complete or not at all). Of two runs racing for one output, exactly one gets it; the run's own
 * atomic saves then replace the placeholder. With `overwrite`, the same placeholder is written to
 * a temp file and removed again: proof that the folder exists, is writable and has room, without
 * touching the existing output until the run's first save.
 */
import { link, lstat, mkdir, readFile, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ErrorCode, QuireError } from '../../src/errors';
import type { Notebook } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { atomicWriteFile, describeFsError, tempPathFor } from '../files/atomicWrite';
import { papermillNow } from './executionManager';

export interface OutputClaim {
  readonly path: string;
  /**
   * Removes the placeholder if the run never replaced it (the run was refused or stopped before its
   * first save). A placeholder replaced by a save is the run's record and stays. Never throws.
   */
  release(): Promise<void>;
}

export interface ClaimOptions {
  overwrite: boolean;
  inputPath: string;
}

/**
 * The placeholder: a valid notebook that says which input it is a run of and that the run has not
 * finished (no end_time; readers of run records list it as incomplete if the run dies now).
 */
export function placeholderNotebook(outputPath: string, inputPath: string): Notebook {
  return {
    nbformat: 4, nbformat_minor: 5, cells: [],
    metadata: { papermill: { input_path: inputPath, output_path: outputPath, start_time: papermillNow(), end_time: null, duration: null, exception: null } },
  };
}

/** A thrown claim failure: FILE_EXISTS for a taken path, WRITE_FAILED (with errno) for the rest. */
function claimError(path: string, error: unknown): QuireError {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code ?? (error as QuireError | undefined)?.details?.errno;
  if (errno === 'EEXIST') {
    return new QuireError(ErrorCode.FileExists, `Output notebook ${path} already exists or another run has claimed it (pass --overwrite to replace it)`, { path });
  }
  return new QuireError(ErrorCode.WriteFailed, `Cannot write the output notebook ${path}: ${describeFsError(error)}`, { path, ...(typeof errno === 'string' ? { errno } : {}) });
}

export async function claimOutput(path: string, options: ClaimOptions): Promise<OutputClaim> {
  const text = serializeNotebook(placeholderNotebook(path, options.inputPath));
  const temp = tempPathFor(path);
  try {
    await mkdir(dirname(path), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      // Node's recursive mkdir says EEXIST when a part of the path is a file.
      throw error.code === 'EEXIST' ? Object.assign(new Error('a part of the path is a file'), { code: 'ENOTDIR' }) : error;
    });
    // A folder at the output path would only fail at the run's first save.
    if ((await stat(path).catch(() => undefined))?.isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    await atomicWriteFile(temp, text);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw claimError(path, error);
  }
  if (options.overwrite) {
    await unlink(temp).catch(() => undefined);
    return { path, release: async () => undefined };
  }
  try {
    await link(temp, path);
  } catch (error) {
    throw claimError(path, error);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const claimed = await lstat(path);
  return {
    path,
    release: async () => {
      // A save replaces the file by rename: a new inode. But ext4 hands a freed inode number out
      // again, so a later save of the run can carry the placeholder's number: only a file that is
      // still the placeholder's inode, time and bytes is removed.
      const now = await lstat(path).catch(() => undefined);
      if (!now || now.ino !== claimed.ino || now.dev !== claimed.dev || now.size !== claimed.size || now.mtimeMs !== claimed.mtimeMs) return;
      if ((await readFile(path, 'utf8').catch(() => undefined)) === text) await unlink(path).catch(() => undefined);
    },
  };
}

/** Claims every path (a batch's outputs); on a failure releases those already claimed and throws. */
export async function claimOutputs(paths: string[], options: ClaimOptions): Promise<OutputClaim[]> {
  const claims: OutputClaim[] = [];
  try {
    for (const path of paths) claims.push(await claimOutput(path, options));
  } catch (error) {
    await Promise.all(claims.map((c) => c.release()));
    throw error;
  }
  return claims;
}
