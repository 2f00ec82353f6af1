/**
 * Atomic file replacement: write a temp file beside the target, fsync it, check that it reads back,
 * rename it over the target, fsync the folder. Readers see the old file or the new one, never half a
 * file; on any failure the original is untouched and the temp file is removed.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ErrorCode, QuireError } from '../../src/errors';

export interface AtomicWriteOptions {
  /** File mode for the new file (the replaced file's mode, to keep it); default 0o666 minus umask. */
  mode?: number;
  /** Owner to keep (the replaced file's); applied when permitted (root), silently skipped otherwise. */
  owner?: { uid: number; gid: number };
  /** Called with the text read back from the temp file; throw to abort the write. */
  verify?(text: string): void;
  /** Called after the temp file is written and checked, just before the rename (tests pause here). */
  beforeRename?(tempPath: string): Promise<void>;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'the path is a folder',
  EIO: 'an input/output error occurred',
  EMFILE: 'too many open files',
};

/** A short human description of a Node file system error. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && ERRNO_TEXT[code]) return `${ERRNO_TEXT[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/** The temp file name used beside `target` (hidden, recognizable, unique). */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.quire-tmp`);
}

/**
 * Replaces `target` with `content` atomically. Throws QuireError WRITE_FAILED (details: path, errno)
 * saying what happened; the original file is then unchanged and no temp file is left.
 */
export async function atomicWriteFile(target: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(target);
  let created = false;
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o666);
    created = true;
    try {
      // open() applies the umask; an explicit chmod keeps the replaced file's exact mode.
      if (options.owner) await handle.chown(options.owner.uid, options.owner.gid).catch(() => undefined);
      if (options.mode !== undefined) await handle.chmod(options.mode);
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    const readBack = await readFile(temp, 'utf8');
    if (readBack !== content) throw new Error('the written file does not read back as written');
    options.verify?.(readBack);
    await options.beforeRename?.(temp);
    await rename(temp, target);
    created = false;
  } catch (error) {
    if (created) await unlink(temp).catch(() => undefined);
    const errno = (error as NodeJS.ErrnoException).code;
    throw new QuireError(ErrorCode.WriteFailed, `Could not save ${target}: ${describeFsError(error)}. The file on disk was not changed.`, {
      path: target,
      ...(errno ? { errno } : {}),
    });
  }
  await fsyncFolder(dirname(target));
}

/** Makes the rename durable. Some platforms cannot open or fsync a folder; the data is already safe then. */
async function fsyncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported here (e.g. Windows): the rename itself still happened.
  }
}
