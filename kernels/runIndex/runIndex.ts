/**
 * The run index: every run of this user, from `quire run` and the app, in one crash-safe journal
 * (`<data dir>/run-index/runs.jsonl`, docs/runIndex.md). Writers append one line per event with a
 * single write() on an O_APPEND descriptor, then fsync: appends of several processes never
 * interleave inside a line, and a reader at any moment sees whole lines plus at most one line in
 * progress, which it ignores. Nothing here deletes or rewrites a journal: one that is not a run
 * index is renamed aside, one of another schema version is left alone and read-only.
 */
import { closeSync, constants, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { quireDataDir } from '../quireDataDir';
import { pidAlive } from '../pidAlive';
import { checkHeader, eventLine, foldJournal, headerLine, RUN_INDEX_VERSION, type RunIndexEntry, type RunIndexEvent, type RunIndexStatus } from './runIndexJournal';

export class RunIndexError extends Error {
  constructor(message: string, readonly kind: 'foreign-version' | 'unwritable') {
    super(message);
    this.name = 'RunIndexError';
  }
}

export interface RunIndexOptions {
  /** The journal file; default `<quireDataDir()>/run-index/runs.jsonl`. */
  path?: string;
  /** Told once per problem that is not an error: a journal set aside, skipped lines, a failed append. */
  warn?: (message: string) => void;
  /** Whether process `pid` of this machine is alive (tests replace it). */
  isAlive?: (pid: number) => boolean;
}

export interface RunIndexFilter {
  /** Only runs of this input notebook (compared as resolved paths). */
  notebook?: string;
  status?: RunIndexStatus;
  /** At most this many, newest first. */
  limit?: number;
}

export const defaultRunIndexPath = (): string => join(quireDataDir(), 'run-index', 'runs.jsonl');


const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException).code;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class RunIndex {
  readonly path: string;
  private readonly _warn: (message: string) => void;
  private readonly _isAlive: (pid: number) => boolean;
  private readonly _warned = new Set<string>();
  /** Set once an append found a journal we may not write (another version); appends then stop. */
  private _readOnly?: RunIndexError;
  /** The journal as folded so far: which file (inode), and up to which byte. */
  private _cache?: { ino: number; dev: number; offset: number; entries: Map<string, RunIndexEntry> };

  constructor(options: RunIndexOptions = {}) {
    this.path = options.path ?? defaultRunIndexPath();
    this._warn = options.warn ?? ((message) => process.stderr.write(`quire: warning: ${message}\n`));
    this._isAlive = options.isAlive ?? pidAlive;
  }

  /**
   * The runs, newest first. No journal yet: an empty list. Throws RunIndexError for a journal of
   * another schema version (left as it is); a file that is not a journal is renamed aside, reported
   * and read as empty.
   */
  list(filter: RunIndexFilter = {}): RunIndexEntry[] {
    const notebook = filter.notebook === undefined ? undefined : resolve(filter.notebook);
    let entries = [...this._read().values()].filter((e) => (!notebook || e.notebook === notebook) && (!filter.status || e.status === filter.status));
    entries.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
    if (filter.limit !== undefined) entries = entries.slice(0, filter.limit);
    return entries;
  }

  get(runId: string): RunIndexEntry | undefined {
    return this._read().get(runId);
  }

  /** Appends one event, durably (fsync). Throws RunIndexError when the journal cannot be written. */
  append(event: RunIndexEvent): void {
    if (this._readOnly) throw this._readOnly;
    const bytes = Buffer.from(eventLine(event));
    let fd: number;
    try {
      fd = this._openForAppend();
    } catch (error) {
      if (error instanceof RunIndexError) throw error;
      throw new RunIndexError(`Cannot write the run index ${this.path}: ${messageOf(error)}`, 'unwritable');
    }
    try {
      const written = writeSync(fd, bytes, 0, bytes.length);
      if (written !== bytes.length) throw new Error(`only ${written} of ${bytes.length} bytes were written`);
      fsyncSync(fd);
    } catch (error) {
      throw new RunIndexError(`Cannot write the run index ${this.path}: ${messageOf(error)}`, 'unwritable');
    } finally {
      closeSync(fd);
    }
  }

  /** append() that never throws: a failure is told once (through `warn`) and the caller goes on. */
  tryAppend(event: RunIndexEvent): boolean {
    try {
      this.append(event);
      return true;
    } catch (error) {
      this._warnOnce(messageOf(error));
      return false;
    }
  }

  private _warnOnce(message: string): void {
    if (this._warned.has(message)) return;
    this._warned.add(message);
    this._warn(message);
  }

  /**
   * The folded journal. The fold is kept: a later read of the same file (same inode, grown) reads
   * and folds only the bytes appended since, up to the last whole line.
   */
  private _read(): Map<string, RunIndexEntry> {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return new Map(); // no index (yet)
      throw error;
    }
    let folded: Map<string, RunIndexEntry>;
    try {
      folded = this._readFrom(fd);
    } finally {
      closeSync(fd);
    }
    const here = hostname();
    const entries = new Map<string, RunIndexEntry>();
    for (const [id, entry] of folded) {
      const gone = entry.status === 'running' && entry.hostname === here && entry.pid !== process.pid && !this._isAlive(entry.pid);
      entries.set(id, gone ? { ...entry, status: 'interrupted' } : entry);
    }
    return entries;
  }

  private _readFrom(fd: number): Map<string, RunIndexEntry> {
    const { ino, dev, size } = fstatSync(fd);
    let cache = this._cache;
    if (!cache || cache.ino !== ino || cache.dev !== dev || size < cache.offset) cache = undefined;
    const from = cache?.offset ?? 0;
    const bytes = Buffer.alloc(size - from);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    const whole = bytes.lastIndexOf(0x0a, got - 1) + 1; // past the last newline: a line in progress waits
    const text = bytes.toString('utf8', 0, got); // the fold ignores what follows the last newline
    let start = 0;
    if (!cache) {
      const firstEnd = text.indexOf('\n');
      const header = checkHeader(firstEnd < 0 ? text : text.slice(0, firstEnd));
      if (header.kind === 'foreign') throw this._foreign(header.version);
      if (header.kind === 'corrupt') {
        this._setAside();
        return new Map();
      }
      if (firstEnd < 0) return new Map();
      start = firstEnd + 1;
      cache = { ino, dev, offset: 0, entries: new Map() };
    }
    const { skippedLines } = foldJournal(text, start, cache.entries);
    cache.offset = from + whole;
    this._cache = cache;
    if (skippedLines > 0) this._warnOnce(`The run index ${this.path} has ${skippedLines} unreadable line(s); they were skipped.`);
    return cache.entries;
  }

  private _foreign(version: unknown): RunIndexError {
    const newer = typeof version === 'number' && version > RUN_INDEX_VERSION;
    return new RunIndexError(
      `The run index ${this.path} was written by ${newer ? 'a newer' : 'another'} version of Quire (schema ${JSON.stringify(version)}; this Quire reads ${RUN_INDEX_VERSION}). ` +
        'It is left as it is and this Quire does not write to it: use the newer Quire, or move the file away to start a new index.',
      'foreign-version',
    );
  }

  /** Renames a file that is not a run index to `runs.jsonl.corrupt-<time>` (never deletes it). */
  private _setAside(): void {
    const before = statSync(this.path, { throwIfNoEntry: false });
    const aside = `${this.path}.corrupt-${new Date().toISOString().replace(/:/g, '-')}`;
    // Another process may have set it aside and started a new journal since we read it.
    if (!before || checkHeader(this._firstLine()).kind !== 'corrupt') return;
    renameSync(this.path, aside);
    this._warnOnce(`The run index ${this.path} was not a Quire run index; it was kept as ${aside} and a new index is started.`);
  }

  private _firstLine(): string {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return '';
    }
    try {
      const buffer = Buffer.alloc(4096);
      const n = readSync(fd, buffer, 0, buffer.length, 0);
      const text = buffer.subarray(0, n).toString('utf8');
      const end = text.indexOf('\n');
      return end < 0 ? text : text.slice(0, end);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * An O_APPEND descriptor on a journal whose header is ours. A missing journal is created whole
   * (header written to a temporary file, then linked into place: no one ever sees it without its
   * header); a file that is not a journal is set aside first; another version is refused.
   */
  private _openForAppend(): number {
    for (let attempt = 0; attempt < 3; attempt++) {
      const header = checkHeader(this._firstLine());
      if (header.kind === 'foreign') throw (this._readOnly = this._foreign(header.version));
      if (header.kind === 'ok') {
        try {
          return openSync(this.path, constants.O_WRONLY | constants.O_APPEND);
        } catch (error) {
          if (errnoOf(error) !== 'ENOENT') throw error;
          continue;
        }
      }
      if (statSync(this.path, { throwIfNoEntry: false })) this._setAside();
      this._create();
    }
    throw new Error('the journal kept changing while it was opened');
  }

  private _create(): void {
    const folder = dirname(this.path);
    mkdirSync(folder, { recursive: true });
    const temp = `${this.path}.new-${process.pid}-${Math.random().toString(36).slice(2)}`;
    writeFileSync(temp, headerLine(), { flush: true });
    try {
      linkSync(temp, this.path);
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw error; // another process created it first: use theirs
    } finally {
      unlinkSync(temp);
    }
    try {
      const dirFd = openSync(folder, 'r');
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    } catch {
      // not every platform can fsync a folder
    }
  }
}
