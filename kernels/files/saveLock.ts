/**
 * A cross-process lock around "check the file, then rename the new one over it", so two Quire
 * processes saving the same notebook cannot both pass the check. The lock is a file beside the
 * target, `.NAME.quire-lock`, created exclusively (O_EXCL) and holding the owner's pid, host name,
 * start time and a random nonce. A lock whose pid is dead (same host), or that is older than
 * `staleMs` (a pid reused, another host), or that stayed empty (its owner died between create and
 * write) is taken over. Taking over is done under a second exclusive file, `.NAME.quire-lock.break`:
 * the breaker re-reads the lock and removes it only if it is still the very stale one it saw, so a
 * lock created meanwhile by a live process is never removed.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ErrorCode, QuireError } from '../../src/errors';
import { describeFsError } from './atomicWrite';
import { pidAlive } from '../pidAlive';

/** Lock files are recognised by this ending (see saveLeftovers.ts). */
export const LOCK_SUFFIX = '.quire-lock';

export function lockPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}${LOCK_SUFFIX}`);
}

export interface LockHolder {
  pid?: number;
  host?: string;
  /** When the lock was taken (its content, else the file's mtime). */
  time: number;
  /** The file's exact text, to recognise the same lock later. */
  raw: string;
}

export interface SaveLock {
  readonly path: string;
  release(): Promise<void>;
}

export interface SaveLockOptions {
  /** How long to wait for another saver before failing (default 15 s). */
  timeoutMs?: number;
  /** A lock older than this is taken over even if its pid lives (default 2 minutes). */
  staleMs?: number;
  /** Called once when the lock is busy and this save starts waiting (tests gate on it). */
  onWait?(holder: LockHolder): void;
}

const DEFAULT_STALE_MS = 2 * 60_000;
/** An empty lock (owner died between create and write) or a breaker file is stale after this. */
const EMPTY_STALE_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));


/** The lock's holder, or undefined when there is no lock file (any more). */
export async function readLockHolder(path: string): Promise<LockHolder | undefined> {
  let raw: string;
  let mtimeMs: number;
  try {
    [raw, mtimeMs] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => s.mtimeMs)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const data = JSON.parse(raw) as { pid?: unknown; host?: unknown; time?: unknown };
    return {
      raw,
      pid: typeof data.pid === 'number' ? data.pid : undefined,
      host: typeof data.host === 'string' ? data.host : undefined,
      time: typeof data.time === 'number' ? data.time : mtimeMs,
    };
  } catch {
    return { raw, time: mtimeMs };
  }
}

/** Whether a lock may be taken over: its owner is gone, or it is far older than any save. */
export function lockIsStale(holder: LockHolder, staleMs = DEFAULT_STALE_MS, now = Date.now()): boolean {
  if (holder.pid === undefined) return now - holder.time > EMPTY_STALE_MS;
  if (holder.host === hostname() && !pidAlive(holder.pid)) return true;
  return now - holder.time > staleMs;
}

/** Removes `path` if it still holds exactly `seen`, under the breaker file. False if busy. */
export async function breakStaleLock(path: string, seen: LockHolder): Promise<boolean> {
  const breaker = `${path}.break`;
  try {
    await (await open(breaker, 'wx')).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A breaker left by a process killed while breaking: remove it, the caller tries again.
    const age = await stat(breaker).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > EMPTY_STALE_MS) await unlink(breaker).catch(() => undefined);
    return false;
  }
  try {
    const now = await readLockHolder(path);
    if (now?.raw === seen.raw) await unlink(path).catch(() => undefined);
    return true;
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

/**
 * Takes the save lock of `target`, waiting (polling, up to `timeoutMs`) while another live save
 * holds it. Throws QuireError WRITE_FAILED: `details.reason: 'locked'` when the wait times out, or
 * with the errno when the lock file cannot be created (e.g. a read-only folder).
 */
export async function acquireSaveLock(target: string, options: SaveLockOptions = {}): Promise<SaveLock> {
  const path = lockPathFor(target);
  const content = JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now(), nonce: randomBytes(8).toString('hex') });
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let delay = 2;
  let waiting = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o644);
      try {
        await handle.writeFile(content, 'utf8');
      } finally {
        await handle.close();
      }
      return { path, release: () => releaseLock(path, content) };
    } catch (error) {
      const errno = (error as NodeJS.ErrnoException).code;
      if (errno !== 'EEXIST') {
        throw new QuireError(ErrorCode.WriteFailed, `Could not save ${target}: ${describeFsError(error)}. The file on disk was not changed.`, {
          path: target,
          ...(errno ? { errno } : {}),
        });
      }
    }
    const holder = await readLockHolder(path);
    if (!holder) continue; // released meanwhile
    if (lockIsStale(holder, options.staleMs)) {
      if (await breakStaleLock(path, holder)) continue;
    } else if (!waiting) {
      waiting = true;
      options.onWait?.(holder);
    }
    if (Date.now() > deadline) {
      throw new QuireError(
        ErrorCode.WriteFailed,
        `Not saved: another program${holder.pid ? ` (pid ${holder.pid})` : ''} is saving ${target} and did not finish in time. The file on disk was not changed by this save.`,
        { path: target, reason: 'locked', lockPath: path, ...(holder.pid ? { pid: holder.pid } : {}) },
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 100);
  }
}

/** Removes the lock if it is still ours (a stale-lock takeover may have replaced it). */
async function releaseLock(path: string, content: string): Promise<void> {
  const now = await readLockHolder(path).catch(() => undefined);
  if (now?.raw === content) await unlink(path).catch(() => undefined);
}
