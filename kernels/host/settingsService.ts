/**
 * The settings service: `settings.json` in the user's config folder, shared by every client of the
 * host. Reads are validated (src/settings/validateSettings.ts); updates re-read the file, change
 * only the given keys (unknown keys stay) and replace the file atomically. The folder is watched, so
 * an edit in a text editor or by another Quire process (each Electron window has its own host)
 * reaches every client as onDidChange.
 *
 * Data rules: a file that does not parse is never written; a failed write is a failed update with a
 * clear message, and the change still applies for this session (state.saveError says so).
 */
import { watch, type FSWatcher } from 'node:fs';
import { access, constants, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Emitter } from '../../src/base/event';
import type { IDisposable } from '../../src/base/lifecycle';
import { ErrorCode, QuireError } from '../../src/errors';
import type { ISettingsService } from '../../src/host/contract';
import { SETTINGS_FILE_VERSION, type Settings, type SettingsParseError, type SettingsProblem, type SettingsState } from '../../src/settings/settings';
import { parseSettingsText, updateProblems, validateSettings } from '../../src/settings/validateSettings';
import { atomicWriteFile, describeFsError } from '../files/atomicWrite';

export const SETTINGS_FILE = 'settings.json';

export interface SettingsServiceOptions {
  /** The folder holding settings.json (created on the first save). */
  configDir: string;
  /** Quiet time after a change on disk before it is read (editors write in several steps). Default 75 ms. */
  watchDebounceMs?: number;
}

/** The file as last read: its text (null when there is none) or why it could not be read. */
type FileRead = { text: string | null; unreadable?: undefined } | { text?: undefined; unreadable: string };

export class SettingsService implements ISettingsService, IDisposable {
  readonly path: string;
  private readonly _onDidChange = new Emitter<SettingsState>();
  readonly onDidChange = this._onDidChange.event;
  private state: SettingsState | undefined;
  /** The text last read or written, to tell our own writes and no-op events from real changes. */
  private lastText: string | null | undefined;
  /** Changes that could not be saved: applied over the file for this session, saved with the next write. */
  private unsaved: Partial<Settings> = {};
  private saveError: string | undefined;
  /** Reads and writes run one after another, so an update never merges into a stale read. */
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly options: SettingsServiceOptions) {
    this.path = join(options.configDir, SETTINGS_FILE);
  }

  get(): Promise<SettingsState> {
    return this.enqueue(async () => this.state ?? this.reload());
  }

  update(partial: Partial<Settings>): Promise<SettingsState> {
    const problems = updateProblems(partial);
    if (problems.length > 0) return Promise.reject(new QuireError(ErrorCode.InvalidArgument, `Settings not changed: ${problems.join('; ')}.`, { problems }));
    return this.enqueue(async () => {
      // Read again: another window or a text editor may have changed the file since.
      const read = await this.readFile();
      const parsed = read.text === undefined || read.text === null ? undefined : parseSettingsText(read.text);
      if (read.unreadable !== undefined || parsed?.parseError) {
        const why = read.unreadable ?? `it does not parse (${parsed!.parseError!.message})`;
        this.unsaved = { ...this.unsaved, ...partial };
        this.saveError = `Settings were not saved: ${this.path} could not be read, ${why}. It was left as it is; fix or remove it. The change applies until Quire closes.`;
        this.publish(this.compute(read));
        throw new QuireError(ErrorCode.WriteFailed, this.saveError, { reason: 'unparseable', path: this.path, ...(parsed?.parseError ?? {}) });
      }
      const next: Record<string, unknown> = parsed?.value ? { ...parsed.value } : { version: SETTINGS_FILE_VERSION };
      Object.assign(next, this.unsaved, partial);
      const text = `${JSON.stringify(next, null, 2)}\n`;
      try {
        await mkdir(this.options.configDir, { recursive: true });
        const mode = await stat(this.path).then((s) => s.mode & 0o7777, () => undefined);
        await atomicWriteFile(this.path, text, mode === undefined ? {} : { mode });
      } catch (error) {
        this.unsaved = { ...this.unsaved, ...partial };
        const reason = error instanceof QuireError ? error.message.replace(/^Could not save [^:]*: /, '').replace(/ The file on disk was not changed\.$/, '') : `${describeFsError(error)}.`;
        this.saveError = `Settings were not saved to ${this.path}: ${reason} The change applies until Quire closes.`;
        this.publish({ ...this.compute(read), readOnly: true });
        throw new QuireError(ErrorCode.WriteFailed, this.saveError, { reason: 'writeFailed', path: this.path });
      }
      this.unsaved = {};
      this.saveError = undefined;
      this.watchFolder();
      const { readOnly: _wasReadOnly, ...saved } = this.compute({ text });
      return this.publish(saved);
    });
  }

  /** Reads the file (and whether the folder is writable) into the current state, without an event. */
  private async reload(): Promise<SettingsState> {
    const read = await this.readFile();
    this.watchFolder();
    this.state = { ...this.compute(read), ...(await this.folderReadOnly() ? { readOnly: true } : {}) };
    return this.state;
  }

  private compute(read: FileRead): SettingsState {
    this.lastText = read.text;
    const parsed = read.text === undefined || read.text === null ? undefined : parseSettingsText(read.text);
    const { settings, problems } = validateSettings(parsed?.value ?? {});
    const allProblems: SettingsProblem[] = read.unreadable ? [{ key: '', severity: 'error', message: `Could not read ${this.path}: ${read.unreadable}; the defaults are used` }, ...problems] : problems;
    const parseError: SettingsParseError | undefined = parsed?.parseError;
    return {
      settings: { ...settings, ...this.unsaved },
      problems: allProblems,
      path: this.path,
      ...(this.state?.readOnly ? { readOnly: true } : {}),
      ...(parseError ? { parseError } : {}),
      ...(this.saveError ? { saveError: this.saveError } : {}),
    };
  }

  private publish(state: SettingsState): SettingsState {
    this.state = state;
    try {
      this._onDidChange.fire(state);
    } catch (error) {
      console.error('A settings listener failed:', error);
    }
    return state;
  }

  private async readFile(): Promise<FileRead> {
    try {
      return { text: await readFile(this.path, 'utf8') };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // No file (or no folder, or a file where the folder should be): the defaults.
      if (code === 'ENOENT' || code === 'ENOTDIR') return { text: null };
      return { unreadable: describeFsError(error) };
    }
  }

  /** True when settings.json could not be created or replaced (nearest existing folder not writable). */
  private async folderReadOnly(): Promise<boolean> {
    for (let folder = this.options.configDir; ; folder = dirname(folder)) {
      const info = await stat(folder).catch(() => undefined);
      if (info) return !info.isDirectory() || (await access(folder, constants.W_OK).then(() => false, () => true));
      if (dirname(folder) === folder) return true;
    }
  }

  /** Watches the config folder (once it exists) for changes made outside this host. */
  private watchFolder(): void {
    if (this.watcher || this.disposed) return;
    try {
      this.watcher = watch(this.options.configDir, { persistent: false }, (_event, name) => {
        if (name && name !== SETTINGS_FILE) return;
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => void this.enqueue(() => this.reloadAfterChange()).catch(() => undefined), this.options.watchDebounceMs ?? 75);
      });
      this.watcher.on('error', () => {
        // The folder went away: stop watching; the next successful save watches again.
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      // No folder yet: the first save creates it and starts the watch.
    }
  }

  private async reloadAfterChange(): Promise<void> {
    const read = await this.readFile();
    if (read.text !== undefined && read.text === this.lastText) return;
    this.publish(this.compute(read));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
    this._onDidChange.dispose();
  }
}
