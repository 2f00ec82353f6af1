/**
 * Removes what saves killed half-way (SIGKILL, power loss) leave beside notebooks: temp files
 * `.NAME.<12 hex>.quire-tmp` (complete or partial copies, possibly many MB) and lock files
 * `.NAME.quire-lock` of dead processes. Only one folder, not recursive; only files of the current
 * user; temp files only when older than `minAgeMs` and no live save holds the target's lock, since
 * a younger one may belong to a save still running in another process.
 */
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { breakStaleLock, lockIsStale, readLockHolder } from './saveLock';

/** Temp files younger than this are left alone (a save in progress elsewhere may own them). */
export const LEFTOVER_MIN_AGE_MS = 5 * 60_000;

const TEMP_NAME = /^\.(.+)\.[0-9a-f]{12}\.quire-tmp$/;
const LOCK_NAME = /^\.(.+)\.quire-lock(\.break)?$/;

export interface LeftoverOptions {
  minAgeMs?: number;
  now?: number;
}

/** Removes stale save leftovers in `folder`; returns the paths removed. Never throws. */
export async function removeSaveLeftovers(folder: string, options: LeftoverOptions = {}): Promise<string[]> {
  const minAgeMs = options.minAgeMs ?? LEFTOVER_MIN_AGE_MS;
  const now = options.now ?? Date.now();
  const uid = process.getuid?.();
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const mine = async (path: string) => {
    const info = await lstat(path).catch(() => undefined);
    return info?.isFile() && (uid === undefined || info.uid === uid) ? info : undefined;
  };
  // Locks first: a temp file whose target's lock is live is kept whatever its age.
  const liveLocks = new Set<string>();
  for (const name of names) {
    const match = LOCK_NAME.exec(name);
    if (!match) continue;
    const path = join(folder, name);
    const info = await mine(path);
    if (!info) continue;
    if (match[2]) {
      // A breaker file: only ever exists for an instant unless its owner died.
      if (now - info.mtimeMs > minAgeMs && (await unlink(path).then(() => true, () => false))) removed.push(path);
      continue;
    }
    const holder = await readLockHolder(path).catch(() => undefined);
    if (!holder) continue;
    if (lockIsStale(holder, undefined, now) && (await breakStaleLock(path, holder).catch(() => false))) removed.push(path);
    else liveLocks.add(match[1]);
  }
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match || liveLocks.has(match[1])) continue;
    const path = join(folder, name);
    const info = await mine(path);
    if (!info || now - info.mtimeMs <= minAgeMs) continue;
    if (await unlink(path).then(() => true, () => false)) removed.push(path);
  }
  return removed;
}
