/**
 * Tells when open notebooks change on disk (another program, `git checkout`, another window's save),
 * as VS Code does, instead of only at the next save. Each watched notebook's folder is watched with
 * fs.watch (an atomic save replaces the file, so a watch on the file itself would be lost with the
 * first save); a burst of events is looked at once after `debounceMs`: stat and SHA-256 of the bytes
 * (the same hash reads and writes report), and an event only when the hash differs from the last one
 * known here, or the file is gone. The host's own writes update the known hash (`noteWritten`) and are
 * reported at once, so every client of the host learns of a save by another; each client compares the
 * hash with its own. Watches are counted per path: the folder watch ends with the last unwatch.
 */
import { createHash } from 'node:crypto';
import { createReadStream, watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { Emitter, type Event } from '../../src/base/event';
import type { IDisposable } from '../../src/base/lifecycle';
import { ErrorCode, QuireError } from '../../src/errors';
import type { INotebookFileService, NotebookFileChange, NotebookWatchState } from '../../src/host/contract';

/** What is on disk: the content hash and mtime, or null when the file is missing. */
type OnDisk = { contentHash: string; mtimeMs: number } | null;

interface Watched {
  path: string;
  refs: number;
  known: OnDisk;
  timer?: ReturnType<typeof setTimeout>;
  /** Looks one after another; `generation` changes when a write made what a look read stale. */
  looking: Promise<void>;
  generation: number;
}

interface Folder {
  watcher: FSWatcher;
  /** Watched paths in the folder, by file name. */
  files: Map<string, Watched>;
}

async function onDisk(path: string): Promise<OnDisk> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return null;
    const hash = createHash('sha256');
    await new Promise<void>((done, fail) => {
      createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('end', done).on('error', fail);
    });
    return { contentHash: hash.digest('hex'), mtimeMs: info.mtimeMs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

export class NotebookWatcher implements IDisposable {
  private readonly _onDidChange = new Emitter<NotebookFileChange>();
  readonly onDidChange: Event<NotebookFileChange> = this._onDidChange.event;
  private readonly _watched = new Map<string, Watched>();
  private readonly _folders = new Map<string, Folder>();
  private _disposed = false;

  constructor(private readonly _debounceMs = 100) {}

  /** Starts (or counts another) watch of `path`; resolves with what is on disk now. */
  async watch(path: string): Promise<NotebookWatchState> {
    if (this._disposed) throw new QuireError(ErrorCode.RpcClosed, 'The host is shutting down');
    const absolute = resolve(path);
    let entry = this._watched.get(absolute);
    if (!entry) {
      const folderPath = dirname(absolute);
      let folder = this._folders.get(folderPath);
      if (!folder) {
        let watcher: FSWatcher;
        try {
          watcher = watch(folderPath, { persistent: false }, (_type, name) => this._folderChanged(folderPath, name === null ? null : String(name)));
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'ENOTDIR') throw new QuireError(ErrorCode.NotFound, `${folderPath} does not exist.`, { path: folderPath });
          throw new QuireError(ErrorCode.Unknown, `Could not watch ${folderPath}: ${(error as Error).message}`, { path: folderPath });
        }
        // The folder went away (or cannot be watched any more): look at its files once more.
        watcher.on('error', () => this._folderChanged(folderPath, null));
        folder = { watcher, files: new Map() };
        this._folders.set(folderPath, folder);
      }
      entry = { path: absolute, refs: 0, known: null, looking: Promise.resolve(), generation: 0 };
      this._watched.set(absolute, entry);
      folder.files.set(basename(absolute), entry);
      const first = entry;
      const generation = first.generation;
      first.looking = onDisk(absolute).then((now) => { if (first.generation === generation) first.known = now; }, () => undefined);
    }
    entry.refs += 1;
    await entry.looking;
    const known = entry.known;
    return known ? { path: absolute, exists: true, mtimeMs: known.mtimeMs, contentHash: known.contentHash } : { path: absolute, exists: false };
  }

  /** Ends one watch of `path`; the last one stops looking at it. Unknown paths are fine. */
  unwatch(path: string): void {
    const absolute = resolve(path);
    const entry = this._watched.get(absolute);
    if (!entry) return;
    entry.refs -= 1;
    if (entry.refs > 0) return;
    this._forget(entry);
  }

  /** How many watches `path` has (tests). */
  refs(path: string): number {
    return this._watched.get(resolve(path))?.refs ?? 0;
  }

  /** Folders being watched (tests). */
  get watchedFolders(): number {
    return this._folders.size;
  }

  /** The host wrote `path` with these bytes: all clients hear of it now, and the fs event after it is no news. */
  noteWritten(path: string, contentHash: string | undefined, mtimeMs: number | undefined): void {
    const entry = this._watched.get(resolve(path));
    if (!entry || contentHash === undefined) return;
    entry.generation += 1;
    if (entry.known?.contentHash === contentHash) {
      entry.known = { contentHash, mtimeMs: mtimeMs ?? entry.known.mtimeMs };
      return;
    }
    entry.known = { contentHash, mtimeMs: mtimeMs ?? 0 };
    this._onDidChange.fire({ path: entry.path, kind: 'changed', contentHash, ...(mtimeMs !== undefined ? { mtimeMs } : {}) });
  }

  /**
   * The host renamed or moved `from` (and what lies under it): its clients follow the new path, so the
   * old one's disappearance is no news.
   */
  noteMoved(from: string): void {
    const absolute = resolve(from);
    for (const entry of this._watched.values()) {
      if (entry.path === absolute || entry.path.startsWith(`${absolute}/`)) {
        entry.generation += 1;
        entry.known = null;
      }
    }
  }

  private _folderChanged(folderPath: string, name: string | null): void {
    const folder = this._folders.get(folderPath);
    if (!folder) return;
    const entries = name === null ? [...folder.files.values()] : [folder.files.get(name)].filter((e): e is Watched => !!e);
    for (const entry of entries) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = setTimeout(() => this._look(entry), this._debounceMs);
      entry.timer.unref?.();
    }
  }

  private _look(entry: Watched): void {
    entry.timer = undefined;
    entry.looking = entry.looking.then(async () => {
      if (this._watched.get(entry.path) !== entry) return;
      const generation = entry.generation;
      const now = await onDisk(entry.path).catch(() => undefined);
      if (now === undefined || this._watched.get(entry.path) !== entry) return;
      // A write of the host's own landed meanwhile: what was read may be older than what it reported.
      if (entry.generation !== generation) return this._folderChanged(dirname(entry.path), basename(entry.path));
      const before = entry.known;
      if (before?.contentHash === now?.contentHash) {
        entry.known = now;
        return;
      }
      entry.known = now;
      this._onDidChange.fire(now
        ? { path: entry.path, kind: 'changed', mtimeMs: now.mtimeMs, contentHash: now.contentHash }
        : { path: entry.path, kind: 'deleted' });
    });
  }

  private _forget(entry: Watched): void {
    if (entry.timer) clearTimeout(entry.timer);
    this._watched.delete(entry.path);
    const folderPath = dirname(entry.path);
    const folder = this._folders.get(folderPath);
    if (!folder) return;
    folder.files.delete(basename(entry.path));
    if (folder.files.size === 0) {
      folder.watcher.close();
      this._folders.delete(folderPath);
    }
  }

  dispose(): void {
    this._disposed = true;
    for (const entry of [...this._watched.values()]) this._forget(entry);
    this._onDidChange.dispose();
  }
}

/**
 * The file service for one client (an Electron window, a page's socket): its watches are counted,
 * and `release()` (the client went away without unwatching) ends those still open.
 */
export function trackNotebookWatches(files: INotebookFileService): { files: INotebookFileService; release(): void } {
  const held = new Map<string, number>();
  let released = false;
  const overrides: Pick<INotebookFileService, 'watchNotebook' | 'unwatchNotebook'> = {
    watchNotebook: async (path) => {
      const state = await files.watchNotebook(path);
      if (released) {
        void files.unwatchNotebook(path).catch(() => undefined);
        return state;
      }
      held.set(path, (held.get(path) ?? 0) + 1);
      return state;
    },
    unwatchNotebook: async (path) => {
      // Only this client's own watches: another client's count is not its to lower.
      const count = held.get(path);
      if (count === undefined) return;
      if (count > 1) held.set(path, count - 1);
      else held.delete(path);
      await files.unwatchNotebook(path);
    },
  };
  // Every other member is the service's own, methods bound to it.
  const tracked = new Proxy(files, {
    get(target, key) {
      if (key === 'watchNotebook' || key === 'unwatchNotebook') return overrides[key];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    files: tracked,
    release() {
      released = true;
      for (const [path, count] of held) for (let i = 0; i < count; i++) void files.unwatchNotebook(path).catch(() => undefined);
      held.clear();
    },
  };
}
