/**
 * The host's file service (INotebookFileService): notebooks, folders and recent files for the
 * renderer. With `restrictToRoot` (the browser host), every path must lie inside the workspace root
 * after resolving symlinks, so a page holding the token cannot read or write the rest of the disk.
 */
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { homedir, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Event } from '../../src/base/event';
import type { IDisposable } from '../../src/base/lifecycle';
import { ErrorCode, QuireError } from '../../src/errors';
import type {
  DirectoryEntry, FileStat, ImageFileContent, INotebookFileService, ListDirectoryOptions, NotebookDocument, NotebookFileChange, NotebookHead, NotebookWatchState,
  ReadNotebookHeadOptions, RecoveryEntry, TrashResult, ValidationProblem, WorkspaceInfo, WriteNotebookOptions,
} from '../../src/host/contract';
import type { Notebook } from '../../src/jupyter/nbformat';
import { validateNotebook } from '../../src/jupyter/validateNotebook';
import { atomicWriteFile } from '../files/atomicWrite';
import { createFolderIn, createNotebookFile, deleteForGood, duplicateFile, renameNoReplace, withFileQuiet } from '../files/fileOperations';
import { moveToTrash, type TrashOptions } from '../files/moveToTrash';
import { readImageFile } from '../files/imageFiles';
import { readNotebookHeadFile, writeNotebookFile, type NotebookFile } from '../files/notebookFiles';
import { NotebookWatcher } from '../files/notebookWatcher';
import { readNotebookOffThread } from '../files/readNotebookOffThread';
import { RecoveryJournal } from '../files/recoveryJournal';
import { maxNotebookBytesFromEnv } from '../files/regularFile';
import { removeSaveLeftovers } from '../files/saveLeftovers';
import { quireDataDir } from '../quireDataDir';
import { WorkspaceGuard } from './workspaceGuard';

export interface NotebookServiceOptions {
  /** The workspace folder; relative paths are resolved against it. */
  root: string;
  /** A notebook or folder to open at start. */
  openPath?: string;
  shell: 'electron' | 'browser';
  /** Where `recent.json` lives (e.g. `$XDG_CONFIG_HOME/quire`); tests pass a temp folder. */
  configDir: string;
  /** Refuse paths outside `root` (UNAUTHORIZED). The browser host sets this. */
  restrictToRoot?: boolean;
  /** How many recent files to keep (default 20). */
  maxRecentFiles?: number;
  /** Larger notebooks are refused (default: `QUIRE_MAX_NOTEBOOK_MB`, else 100 MB). */
  maxNotebookBytes?: number;
  /** Where unsaved edits are journaled (default `<quireDataDir()>/recovery`); tests pass a temp folder. */
  recoveryDir?: string;
  /** Which trash `trashPath` uses (default: the user's, from the environment); tests pass a temp `XDG_DATA_HOME`. */
  trash?: TrashOptions;
  /** How long a watched notebook's changes must settle before it is looked at (default 100 ms). */
  watchDebounceMs?: number;
}

interface RecentFile {
  version: 1;
  files: string[];
}

/** The default config folder: `$XDG_CONFIG_HOME/quire`, else the platform's usual place. */
export function platformConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'quire');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'quire');
  if (process.platform === 'win32') return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'quire');
  return join(homedir(), '.config', 'quire');
}

/** Only finite positive numbers, and not more than 1,000 cells or 16 MB: the head is a preview. */
function sanitizeHeadOptions(options: ReadNotebookHeadOptions | undefined): ReadNotebookHeadOptions {
  const pick = (value: unknown, max: number) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(Math.floor(value), max) : undefined);
  const maxCells = pick(options?.maxCells, 1000);
  const maxBytes = pick(options?.maxBytes, 16 * 1024 * 1024);
  return { ...(maxCells ? { maxCells } : {}), ...(maxBytes ? { maxBytes } : {}) };
}

export class NotebookFileService implements INotebookFileService, IDisposable {
  private readonly root: string;
  private readonly guard?: WorkspaceGuard;
  private readonly recentPath: string;
  /** Recent-file updates run one after another so none is lost. */
  private recentQueue: Promise<unknown> = Promise.resolve();
  /**
   * Notebooks read before anyone asked (see readAhead), by absolute path, each taken by the first
   * readNotebook of it (several windows of one host may be opening at once).
   */
  private readonly early = new Map<string, { read: Promise<NotebookDocument | NotebookFile>; expiry: ReturnType<typeof setTimeout> }>();
  private readonly maxNotebookBytes: number;
  /** Folders already cleaned of save leftovers (once per folder per host). */
  private readonly cleaned = new Map<string, Promise<string[]>>();
  private readonly recovery: RecoveryJournal;
  /** Open notebooks' changes on disk (see notebookWatcher.ts). */
  private readonly watcher: NotebookWatcher;
  readonly onDidChangeNotebookFile: Event<NotebookFileChange>;

  constructor(private readonly options: NotebookServiceOptions) {
    this.watcher = new NotebookWatcher(options.watchDebounceMs);
    this.onDidChangeNotebookFile = this.watcher.onDidChange;
    this.root = resolve(options.root);
    if (options.restrictToRoot) this.guard = new WorkspaceGuard(this.root);
    this.recentPath = join(options.configDir, 'recent.json');
    this.maxNotebookBytes = options.maxNotebookBytes ?? maxNotebookBytesFromEnv();
    this.recovery = new RecoveryJournal(options.recoveryDir ?? join(quireDataDir(), 'recovery'), this.maxNotebookBytes);
  }

  /**
   * Removes stale save leftovers (temp files of killed saves, lock files of dead processes) in
   * `folder`, once per folder for this service; resolves with the paths removed. See saveLeftovers.ts.
   */
  cleanLeftovers(folder: string): Promise<string[]> {
    const absolute = resolve(this.root, folder);
    let done = this.cleaned.get(absolute);
    if (!done) {
      done = removeSaveLeftovers(absolute);
      this.cleaned.set(absolute, done);
    }
    return done;
  }

  /** Large files are read in a worker thread and come back as JSON text too (see readNotebookOffThread). */
  private read(absolute: string): Promise<NotebookDocument | NotebookFile> {
    void this.cleanLeftovers(dirname(absolute));
    return readNotebookOffThread(absolute, this.maxNotebookBytes);
  }

  /** The absolute path for a request, refused when it leaves the workspace (restrictToRoot). */
  private resolvePath(path: string): string {
    if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
      throw new QuireError(ErrorCode.InvalidArgument, 'A path must be a non-empty string');
    }
    return this.guard ? this.guard.check(path) : resolve(this.root, path);
  }

  async getWorkspace(): Promise<WorkspaceInfo> {
    return {
      root: this.root,
      ...(this.options.openPath ? { openPath: resolve(this.root, this.options.openPath) } : {}),
      homeDir: homedir(),
      platform: platform(),
      shell: this.options.shell,
    };
  }

  async readNotebook(path: string): Promise<NotebookDocument> {
    const absolute = this.resolvePath(path);
    const file = (await this.takeEarlyRead(absolute)) ?? (await this.read(absolute));
    if (!('text' in file)) return file;
    // The text stays here: sending it along would double what crosses the RPC.
    const { text: _text, ...document } = file;
    return document;
  }

  /**
   * The first cells, from the start of the file only, on this thread (a read of at most a few MB and
   * a scan of it): it answers while readNotebook of a large file is still in its worker.
   */
  async readNotebookHead(path: string, options?: ReadNotebookHeadOptions): Promise<NotebookHead | null> {
    const absolute = this.resolvePath(path);
    const head = await readNotebookHeadFile(absolute, { ...sanitizeHeadOptions(options), maxFileBytes: this.maxNotebookBytes });
    return head && { ...head, path: absolute };
  }

  /**
   * Starts reading the notebook a window is about to open, while the page loads: a cold read of a
   * large notebook (parsing, compiling the schema validator) takes a few hundred milliseconds that
   * would otherwise come after the page asks. The first readNotebook of that path takes the result
   * if the file's mtime and size are still the same; unclaimed, it is dropped after a minute. While
   * one is unclaimed, reading the same path ahead again starts no second read.
   * Resolves when the read has finished, never rejects (the page's own read reports errors).
   */
  async readAhead(path: string): Promise<void> {
    let absolute: string;
    try {
      absolute = this.resolvePath(path);
    } catch {
      return; // refused paths are refused again, with the error, when the page asks
    }
    const pending = this.early.get(absolute);
    if (pending) {
      await pending.read.catch(() => undefined);
      return;
    }
    const read = this.read(absolute);
    const expiry = setTimeout(() => this.dropEarlyRead(absolute), 60_000);
    expiry.unref?.();
    this.early.set(absolute, { read, expiry });
    await read.catch(() => undefined);
  }

  private async takeEarlyRead(absolute: string): Promise<NotebookDocument | NotebookFile | undefined> {
    const early = this.early.get(absolute);
    if (!early) return undefined;
    const { read } = early;
    this.dropEarlyRead(absolute);
    const file = await read.catch(() => undefined);
    if (!file) return undefined;
    const now = await stat(absolute).catch(() => undefined);
    return now && now.mtimeMs === file.mtimeMs && now.size === file.size ? file : undefined;
  }

  private dropEarlyRead(absolute: string): void {
    const early = this.early.get(absolute);
    if (early) clearTimeout(early.expiry);
    this.early.delete(absolute);
  }

  async writeNotebook(path: string, notebook: Notebook, options?: WriteNotebookOptions): Promise<FileStat> {
    if (notebook === null || typeof notebook !== 'object' || !Array.isArray(notebook.cells)) {
      throw new QuireError(ErrorCode.InvalidArgument, 'writeNotebook needs a notebook object with a cells list');
    }
    const absolute = this.resolvePath(path);
    const written = await writeNotebookFile(absolute, notebook, {
      expectedMtimeMs: options?.expectedMtimeMs,
      expectedContentHash: options?.expectedContentHash,
      maxBytes: this.maxNotebookBytes,
      overwrite: options?.overwrite,
      replaceUnparseable: options?.replaceUnparseable,
    });
    // Every client watching it hears of the new bytes now (the saving one has their hash already).
    this.watcher.noteWritten(absolute, written.contentHash, written.mtimeMs);
    return written;
  }

  async validateNotebook(notebook: Notebook): Promise<ValidationProblem[]> {
    return validateNotebook(notebook);
  }

  async stat(path: string): Promise<FileStat> {
    const absolute = this.resolvePath(path);
    try {
      const info = await stat(absolute);
      return { path: absolute, exists: true, kind: info.isDirectory() ? 'directory' : 'file', mtimeMs: info.mtimeMs, size: info.size };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { path: absolute, exists: false };
      throw error;
    }
  }

  /**
   * Folders and `.ipynb` files (with `allFiles`, every regular file), hidden ones skipped, folders
   * first, then by name (natural order).
   */
  async listDirectory(path: string, options?: ListDirectoryOptions): Promise<DirectoryEntry[]> {
    const allFiles = options?.allFiles === true;
    const folder = this.resolvePath(path);
    void this.cleanLeftovers(folder);
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new QuireError(ErrorCode.NotFound, `${folder} does not exist`, { path: folder });
      if (code === 'ENOTDIR') throw new QuireError(ErrorCode.InvalidArgument, `${folder} is not a folder`, { path: folder });
      throw error;
    }
    const entries: DirectoryEntry[] = [];
    await Promise.all(
      names
        .filter((name) => !name.startsWith('.'))
        .map(async (name) => {
          const entryPath = join(folder, name);
          // stat (not lstat): a link to a folder is listed as a folder; broken links are skipped.
          const info = await stat(entryPath).catch(() => undefined);
          if (!info) return;
          const isNotebook = info.isFile() && name.toLowerCase().endsWith('.ipynb');
          if (!info.isDirectory() && !isNotebook && !(allFiles && info.isFile())) return;
          if (this.guard && !this.guard.contains(entryPath)) return;
          entries.push({ name, path: entryPath, kind: info.isDirectory() ? 'directory' : 'file', isNotebook, mtimeMs: info.mtimeMs });
        }),
    );
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    return entries.sort((a, b) => (a.kind === b.kind ? collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind === 'directory' ? -1 : 1));
  }

  /** A path the file browser may change: not the workspace root itself. */
  private resolveEntry(path: string): string {
    const absolute = this.resolvePath(path);
    if (absolute === this.root) throw new QuireError(ErrorCode.InvalidArgument, 'The workspace folder itself cannot be renamed or deleted here', { path: absolute, reason: 'workspaceRoot' });
    return absolute;
  }

  async createNotebook(dir: string, name?: string): Promise<FileStat> {
    return createNotebookFile(this.resolvePath(dir), name ?? undefined);
  }

  async createFolder(dir: string, name?: string): Promise<FileStat> {
    return createFolderIn(this.resolvePath(dir), name ?? undefined);
  }

  async renamePath(from: string, to: string): Promise<FileStat> {
    const source = this.resolveEntry(from);
    const moved = await renameNoReplace(source, this.resolveEntry(to));
    // The renaming window retargets its documents; the old path's going is not a deletion to report.
    this.watcher.noteMoved(source);
    return moved;
  }

  async duplicate(path: string): Promise<FileStat> {
    return duplicateFile(this.resolveEntry(path));
  }

  /** To the system trash (see moveToTrash.ts); a save of the notebook in progress finishes first. */
  async trashPath(path: string): Promise<TrashResult> {
    const absolute = this.resolveEntry(path);
    return withFileQuiet(absolute, () => moveToTrash(absolute, this.options.trash));
  }

  async deletePath(path: string): Promise<void> {
    return deleteForGood(this.resolveEntry(path));
  }

  /** An image for markdown (`![plot](figures/plot.png)`): image types only, at most 20 MB (see readImageFile). */
  async readImage(path: string): Promise<ImageFileContent> {
    return readImageFile(this.resolvePath(path));
  }

  /** Recent notebooks, newest first; files that no longer exist (or lie outside the root) are left out. */
  async getRecentFiles(): Promise<string[]> {
    const files = await this.loadRecent();
    const present = await Promise.all(files.map(async (file) => (await stat(file).then((s) => s.isFile(), () => false)) && (!this.guard || this.guard.contains(file))));
    return files.filter((_, i) => present[i]);
  }

  async addRecentFile(path: string): Promise<void> {
    const absolute = this.resolvePath(path);
    const update = this.recentQueue.then(async () => {
      const files = [absolute, ...(await this.loadRecent()).filter((f) => f !== absolute)].slice(0, this.options.maxRecentFiles ?? 20);
      await mkdir(this.options.configDir, { recursive: true });
      const data: RecentFile = { version: 1, files };
      await atomicWriteFile(this.recentPath, JSON.stringify(data, null, 2) + '\n');
    });
    this.recentQueue = update.catch(() => undefined);
    return update;
  }

  /** Unsaved edits kept for the next open (see recoveryJournal.ts). */
  async saveRecovery(path: string, entry: RecoveryEntry): Promise<void> {
    return this.recovery.save(this.resolvePath(path), entry);
  }

  async readRecovery(path: string): Promise<RecoveryEntry | null> {
    return this.recovery.read(this.resolvePath(path));
  }

  async discardRecovery(path: string): Promise<void> {
    return this.recovery.discard(this.resolvePath(path));
  }

  async watchNotebook(path: string): Promise<NotebookWatchState> {
    return this.watcher.watch(this.resolvePath(path));
  }

  async unwatchNotebook(path: string): Promise<void> {
    this.watcher.unwatch(this.resolvePath(path));
  }

  private async loadRecent(): Promise<string[]> {
    try {
      const data = JSON.parse(await readFile(this.recentPath, 'utf8')) as Partial<RecentFile>;
      return Array.isArray(data.files) ? data.files.filter((f): f is string => typeof f === 'string') : [];
    } catch {
      // Missing or damaged: start a new list rather than failing the UI.
      return [];
    }
  }

  dispose(): void {
    // Pending recent-file writes finish on their own; the folder watches end here.
    for (const path of [...this.early.keys()]) this.dropEarlyRead(path);
    this.watcher.dispose();
  }
}
