/**
 * The host's copy of a page's unsaved edits (files.saveRecovery / readRecovery / discardRecovery).
 * The page's own journal (localStorage) is per origin and browser profile, and `npm start` runs a
 * throwaway profile on a random port, so it is usually gone by the next start; this one lives in the
 * user's data folder: `<dir>/<sha256 of the notebook's absolute path>.json`, mode 0600 in a 0700
 * folder, replaced atomically. Operations on one notebook run in the order they arrive, so a
 * discard after a save leaves nothing behind. Entries come from a page and are checked, not trusted.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCode, QuireError } from '../../src/errors';
import type { RecoveryEntry } from '../../src/host/contract';
import { atomicWriteFile } from './atomicWrite';
import { queueByPath } from './pathQueue';

/** What is on disk: the entry plus a format version. */
interface StoredEntry extends RecoveryEntry {
  version: 1;
}

export class RecoveryJournal {
  /**
   * @param dir the folder for the entries (`<data folder>/recovery`), created 0700 on first save.
   * @param maxBytes larger entries are refused (the host's notebook size limit).
   */
  constructor(readonly dir: string, private readonly maxBytes: number) {}

  /** The entry file for a notebook: one per absolute path, named by its SHA-256. */
  fileFor(notebookPath: string): string {
    return join(this.dir, `${createHash('sha256').update(resolve(notebookPath)).digest('hex')}.json`);
  }

  save(notebookPath: string, entry: RecoveryEntry): Promise<void> {
    const path = resolve(notebookPath);
    checkEntry(entry);
    const stored: StoredEntry = {
      version: 1, path, notebook: entry.notebook, savedAt: entry.savedAt,
      ...(entry.mtimeMs !== undefined ? { mtimeMs: entry.mtimeMs } : {}),
      ...(entry.contentHash !== undefined ? { contentHash: entry.contentHash } : {}),
    };
    const text = JSON.stringify(stored);
    if (Buffer.byteLength(text) > this.maxBytes) {
      throw new QuireError(ErrorCode.InvalidArgument, `The unsaved edits of ${path} are larger than the host keeps (${this.maxBytes} bytes)`, { reason: 'tooLarge', limit: this.maxBytes });
    }
    const file = this.fileFor(path);
    return queueByPath(file, async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await atomicWriteFile(file, text, { mode: 0o600 });
    });
  }

  /** The entry, or null. One that does not read back is moved aside (never overwritten) and not offered. */
  read(notebookPath: string): Promise<RecoveryEntry | null> {
    const path = resolve(notebookPath);
    const file = this.fileFor(path);
    return queueByPath(file, async () => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        await rename(file, `${file}.damaged-${Date.now()}`).catch(() => undefined);
        return null;
      }
      const stored = value as Partial<StoredEntry>;
      if (stored?.version !== 1 || stored.path !== path || !isEntryShape(stored)) return null;
      const { version: _version, ...entry } = stored as StoredEntry;
      return entry;
    });
  }

  discard(notebookPath: string): Promise<void> {
    const file = this.fileFor(notebookPath);
    return queueByPath(file, async () => {
      await unlink(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    });
  }
}

function isEntryShape(e: Partial<RecoveryEntry> | null | undefined): boolean {
  const notebook = e?.notebook as { nbformat?: unknown; cells?: unknown } | null | undefined;
  return !!e && typeof e === 'object' && typeof e.savedAt === 'number' && Number.isFinite(e.savedAt)
    && !!notebook && typeof notebook === 'object' && notebook.nbformat === 4 && Array.isArray(notebook.cells)
    && (e.mtimeMs === undefined || (typeof e.mtimeMs === 'number' && Number.isFinite(e.mtimeMs)))
    && (e.contentHash === undefined || (typeof e.contentHash === 'string' && e.contentHash.length <= 128));
}

function checkEntry(entry: RecoveryEntry): void {
  if (!isEntryShape(entry)) {
    throw new QuireError(ErrorCode.InvalidArgument, 'saveRecovery needs { notebook (nbformat 4, with cells), savedAt, mtimeMs?, contentHash? }');
  }
}
