/**
 * Image files for display (markdown `![plot](figures/plot.png)`): only real images of the types a
 * browser shows, told by both the file name and the first bytes, and only up to a size cap, so a
 * notebook cannot use an image reference to pull arbitrary files or huge ones into the window.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { ErrorCode, QuireError } from '../../src/errors';
import type { ImageFileContent } from '../../src/host/contract';
import { describeFsError } from './atomicWrite';

/** Images larger than this are refused (a 20 MB figure is already far beyond what a notebook shows well). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** File name endings that may name an image, with the MIME type the name suggests. */
export const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.bmp': 'image/bmp',
  '.ico': 'image/x-icon',
};

const KINDS = 'PNG, JPEG, GIF, WebP, SVG, BMP or ICO';

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) => prefix.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

// Before `<svg` an SVG file may have a BOM, an XML declaration, processing instructions, comments
// and a DOCTYPE (Illustrator's carries an internal subset in brackets).
const SVG_START = /^\uFEFF?(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>)*<svg[\s>/]/i;

/** The image type the bytes are, from their signature; undefined when they are none we show. */
export function sniffImageMime(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(bytes, ascii('BM')) && bytes.length >= 26) return 'image/bmp';
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) && bytes.length >= 6 && (bytes[4] | bytes[5]) !== 0) return 'image/x-icon';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 64 * 1024)).toString('utf8');
  if (SVG_START.test(head)) return 'image/svg+xml';
  return undefined;
}

function notAnImage(path: string, why: string): QuireError {
  return new QuireError(ErrorCode.InvalidArgument, `${path} ${why}; only ${KINDS} images are shown.`, { path, reason: 'notAnImage' });
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/**
 * Reads an image for display. Throws QuireError NOT_FOUND (missing), INVALID_ARGUMENT with
 * `details.reason` `notAnImage` (a folder, another file type, or content that is no image) or
 * `tooLarge` (over `maxBytes`, default MAX_IMAGE_BYTES), UNKNOWN for other read errors.
 */
export async function readImageFile(path: string, maxBytes = MAX_IMAGE_BYTES): Promise<ImageFileContent> {
  if (!IMAGE_EXTENSIONS[extname(path).toLowerCase()]) throw notAnImage(path, 'does not have an image file name ending');
  let bytes: Buffer;
  try {
    // stat first: opening a FIFO or device could block or never end.
    const before = await stat(path);
    if (!before.isFile()) throw notAnImage(path, before.isDirectory() ? 'is a folder' : 'is not a regular file');
    if (before.size > maxBytes) throw tooLarge(path, before.size, maxBytes);
    // O_NONBLOCK: should the path have become a FIFO since the stat, the open still returns at once.
    const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw notAnImage(path, 'is not a regular file');
      if (info.size > maxBytes) throw tooLarge(path, info.size, maxBytes);
      // Never more than the cap plus one byte, even if the file grows while it is read.
      const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) break;
      }
      if (length > maxBytes) throw tooLarge(path, length, maxBytes);
      bytes = buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof QuireError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new QuireError(ErrorCode.NotFound, `${path} does not exist.`, { path });
    throw new QuireError(ErrorCode.Unknown, `Could not read ${path}: ${describeFsError(error)}`, { path, ...(code ? { errno: code } : {}) });
  }
  const mime = sniffImageMime(bytes);
  if (!mime) throw notAnImage(path, bytes.length === 0 ? 'is empty' : `does not contain ${KINDS} data`);
  return { mime, dataBase64: bytes.toString('base64') };
}

function tooLarge(path: string, size: number, limit: number): QuireError {
  return new QuireError(ErrorCode.InvalidArgument, `${path} is ${megabytes(size)}; images over ${megabytes(limit)} are not shown.`, {
    path, reason: 'tooLarge', size, limit,
  });
}
