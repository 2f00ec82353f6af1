/**
 * Connection files: where they go (Jupyter's runtime dir), how they are written (owner-only: they
 * hold the signing key) and how the ones of dead hosts are cleaned up. A host that was SIGKILLed
 * never removes its files; the next host to start removes them, recognising its own kind by the
 * name `kernel-quire-<machine>-<host pid>-<id>.json` (still `kernel-*.json`, so
 * `jupyter console --existing` finds them).
 */
import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import { lstat, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, QuireError } from '../src/errors';
import { jupyterRuntimeDir } from './jupyterPaths';
import { pidAlive } from './pidAlive';
import type { ConnectionInfo } from './zmqChannels';

/** A file younger than this is never cleaned, whatever its pid says. */
export const STALE_CONNECTION_FILE_MS = 5 * 60_000;

/** This machine, shortly: a runtime dir in a shared home may hold files of other machines' hosts, whose pids mean nothing here. */
const MACHINE = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
const QUIRE_FILE = /^kernel-quire-([0-9a-f]{8})-(\d+)-[A-Za-z0-9-]+\.json$/;

/** Runtime dirs already cleaned by this process. */
const cleaned = new Set<string>();

/**
 * Jupyter's runtime dir when it can be created, else `<tmp>/quire-runtime`. The first call per dir
 * also removes, in the background, the stale connection files of dead hosts there.
 */
export async function ensureRuntimeDir(preferred = jupyterRuntimeDir()): Promise<string> {
  for (const dir of [preferred, join(tmpdir(), 'quire-runtime')]) {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (!cleaned.has(dir)) {
        cleaned.add(dir);
        void cleanStaleConnectionFiles(dir).catch(() => undefined);
      }
      return dir;
    } catch {
      // fall through to the next candidate
    }
  }
  throw new QuireError(ErrorCode.KernelStartFailed, 'Cannot create a runtime directory for connection files');
}

/** The name of a connection file this host writes. */
export function connectionFileName(id: string, pid = process.pid): string {
  return `kernel-quire-${MACHINE}-${pid}-${id}.json`;
}

/** Writes a new connection file readable by the owner only (it holds the signing key). */
export async function writeConnectionFile(info: ConnectionInfo, dir: string, id: string = randomUUID()): Promise<string> {
  const path = join(dir, connectionFileName(id));
  await rewriteConnectionFile(info, path);
  return path;
}

/** (Re)writes a connection file in place, owner-only. */
export async function rewriteConnectionFile(info: ConnectionInfo, path: string): Promise<void> {
  await writeFile(path, JSON.stringify(info, null, 1), { mode: 0o600 });
  chmodSync(path, 0o600); // in case the file pre-existed with looser bits
}

/** Removes a connection file, ignoring a missing one. */
export function removeConnectionFile(path: string): void {
  rmSync(path, { force: true });
}

/**
 * Removes connection files that Quire wrote on this machine, that belong to the current user,
 * are older than `minAgeMs`, and whose host process is gone (its kernels went with it: see the
 * launcher's watchdog). Jupyter's own files and other users' are never touched; a reused pid only
 * keeps a stale file. Resolves with the paths removed.
 */
export async function cleanStaleConnectionFiles(dir: string, options: { minAgeMs?: number; now?: number } = {}): Promise<string[]> {
  const minAgeMs = options.minAgeMs ?? STALE_CONNECTION_FILE_MS;
  const now = options.now ?? Date.now();
  const uid = process.getuid?.();
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    const match = QUIRE_FILE.exec(name);
    if (!match || match[1] !== MACHINE) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || pidAlive(pid)) continue;
    const path = join(dir, name);
    try {
      const stat = await lstat(path);
      if (!stat.isFile() || (uid !== undefined && stat.uid !== uid) || now - stat.mtimeMs < minAgeMs) continue;
      await unlink(path);
      removed.push(path);
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

