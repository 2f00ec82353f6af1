/**
 * Unsaved edits kept in the page's own storage (localStorage, keyed by notebook path) while they
 * are not on disk, so a host that dies, or a page reloaded meanwhile, loses nothing: the next
 * start on that notebook offers them back. What comes back out is checked, not trusted.
 */
import type { RecoveryEntry } from '../../../src/host/contract';

export type { RecoveryEntry };

export interface RecoveryStore {
  load(path: string): RecoveryEntry | undefined;
  save(entry: RecoveryEntry): void;
  remove(path: string): void;
}

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const KEY_PREFIX = 'quire.recovery:';

function isEntry(value: unknown, path: string): value is RecoveryEntry {
  const e = value as Partial<RecoveryEntry> | null;
  return !!e && typeof e === 'object' && e.path === path && typeof e.savedAt === 'number'
    && !!e.notebook && typeof e.notebook === 'object' && Array.isArray(e.notebook.cells) && e.notebook.nbformat === 4
    && (e.mtimeMs === undefined || typeof e.mtimeMs === 'number') && (e.contentHash === undefined || typeof e.contentHash === 'string');
}

/** The browser's storage; a full or missing storage degrades to keeping nothing (never throws). */
export function storageRecoveryStore(storage: StorageLike | undefined): RecoveryStore {
  return {
    load(path) {
      try {
        const text = storage?.getItem(KEY_PREFIX + path);
        const value: unknown = text ? JSON.parse(text) : undefined;
        return isEntry(value, path) ? value : undefined;
      } catch {
        return undefined;
      }
    },
    save(entry) {
      try {
        storage?.setItem(KEY_PREFIX + entry.path, JSON.stringify(entry));
      } catch {
        // Quota exceeded or storage disabled: the edits are still in the page.
      }
    },
    remove(path) {
      try {
        storage?.removeItem(KEY_PREFIX + path);
      } catch {
        // As above.
      }
    },
  };
}

/** For tests and pages without storage. */
export function memoryRecoveryStore(): RecoveryStore & { entries: Map<string, RecoveryEntry> } {
  const entries = new Map<string, RecoveryEntry>();
  return {
    entries,
    load: (path) => entries.get(path),
    save: (entry) => { entries.set(entry.path, entry); },
    remove: (path) => { entries.delete(path); },
  };
}
