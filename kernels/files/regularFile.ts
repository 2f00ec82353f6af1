/**
 * Reading a file the host opens for a page, safely: only regular files (a FIFO would block the
 * read forever, a device never ends), never more than a size cap, and in chunks through the thread
 * pool, so a slow disk or a large file does not hold up the host's other requests.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { ErrorCode, QuireError } from '../../src/errors';
import { describeFsError } from './atomicWrite';

/** Notebooks larger than this are refused unless the host is given another limit. */
export const DEFAULT_MAX_NOTEBOOK_BYTES = 100 * 1024 * 1024;

/** The environment variable that sets the notebook size limit, in MB. */
export const MAX_NOTEBOOK_MB_ENV = 'QUIRE_MAX_NOTEBOOK_MB';

/** The notebook size limit from `QUIRE_MAX_NOTEBOOK_MB`, else the default. */
export function maxNotebookBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env[MAX_NOTEBOOK_MB_ENV]);
  return Number.isFinite(mb) && mb > 0 ? Math.round(mb * 1024 * 1024) : DEFAULT_MAX_NOTEBOOK_BYTES;
}

const CHUNK_BYTES = 1024 * 1024;

export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

export interface ReadRegularFileOptions {
  maxBytes: number;
  /** What the file should be, for messages: "notebook". */
  what: string;
  /** Completes the too-large message, e.g. how to raise the limit. */
  limitHint?: string;
  /** Read only the first this many bytes (a file over `maxBytes` is still refused, by its size). */
  prefixBytes?: number;
}

/** Throws INVALID_ARGUMENT unless `info` is a regular file within the limit. */
function checkStat(path: string, info: Stats, options: ReadRegularFileOptions): void {
  if (info.isDirectory()) throw new QuireError(ErrorCode.InvalidArgument, `${path} is a folder, not a ${options.what}.`, { path, reason: 'notAFile' });
  if (!info.isFile()) {
    throw new QuireError(ErrorCode.InvalidArgument, `${path} is ${kindOf(info)}, not a ${options.what} file; it was not opened.`, { path, reason: 'notAFile' });
  }
  if (info.size > options.maxBytes) throw tooLarge(path, info.size, options);
}

function tooLarge(path: string, size: number, options: ReadRegularFileOptions): QuireError {
  return new QuireError(
    ErrorCode.InvalidArgument,
    `${path} is ${megabytes(size)}; ${options.what}s over ${megabytes(options.maxBytes)} are not opened${options.limitHint ? ` (${options.limitHint})` : ''}.`,
    { path, reason: 'tooLarge', size, limit: options.maxBytes },
  );
}

/**
 * Reads a regular file of at most `maxBytes`. The path is checked with stat before opening, opened
 * with O_NONBLOCK (should it have become a FIFO since, the open still returns at once) and checked
 * again on the open handle. Returns the bytes and the handle's stat taken after reading them.
 * Throws QuireError NOT_FOUND, INVALID_ARGUMENT (`details.reason` `notAFile` or `tooLarge`), or
 * UNKNOWN for other read errors.
 */
export async function readRegularFile(path: string, options: ReadRegularFileOptions): Promise<{ bytes: Buffer; info: Stats }> {
  try {
    checkStat(path, await stat(path), options);
    const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const before = await handle.stat();
      checkStat(path, before, options);
      // Chunks, up to the cap plus one byte (the file may grow while it is read), or the prefix.
      const chunks: Buffer[] = [];
      let length = 0;
      const prefix = options.prefixBytes;
      for (;;) {
        if (prefix !== undefined && length >= prefix) break;
        const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, (prefix ?? options.maxBytes + 1) - length));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, length);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        length += bytesRead;
        if (length > options.maxBytes) throw tooLarge(path, length, options);
      }
      const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
      const info = await handle.stat();
      return { bytes, info };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof QuireError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new QuireError(ErrorCode.NotFound, `${path} does not exist.`, { path });
    throw new QuireError(ErrorCode.Unknown, `Could not read ${path}: ${describeFsError(error)}`, { path, ...(code ? { errno: code } : {}) });
  }
}
