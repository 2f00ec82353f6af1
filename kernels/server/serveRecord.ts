/**
 * What `quire serve` remembers per workspace folder so that a host started again after its
 * predecessor died (killed, crashed, or stopped) takes its place: same port (so the same origin),
 * same token and same session-cookie secret, and pages left open reconnect by themselves and save
 * their edits. One file per folder, `<dir>/<sha256 of the folder>.json`, mode 0600 in a 0700
 * folder, replaced atomically. The record is only reused when the process it names is gone: two
 * live hosts never share a port or token. A host that stops on purpose (SIGINT/SIGTERM/SIGHUP, its
 * pages told and saved) removes its record: the token then lives no longer than a run, or a chain
 * of runs that each ended in a crash or a kill.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { atomicWriteFile, describeFsError } from '../files/atomicWrite';
import { quireDataDir } from '../quireDataDir';
import { pidAlive } from '../pidAlive';
import { HostServer, type HostServerOptions } from './hostServer';

export interface ServeRecord {
  version: 1;
  /** The workspace folder (absolute). */
  root: string;
  port: number;
  token: string;
  /** The session cookie's value (launchSessions.ts). */
  session: string;
  /** The host process that wrote the record. */
  pid: number;
}

/** `<Quire's data folder>/serve`: one record per workspace folder. */
export function serveRecordDir(dataDir: string = quireDataDir()): string {
  return join(dataDir, 'serve');
}

export function serveRecordPath(root: string, dir: string): string {
  return join(dir, `${createHash('sha256').update(resolve(root)).digest('hex')}.json`);
}

const isSecret = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{32,128}$/.test(v);

/** The folder's record, or undefined (none, or one that is not a valid record: it is then replaced). */
export async function readServeRecord(root: string, dir: string): Promise<ServeRecord | undefined> {
  let value: Partial<ServeRecord>;
  try {
    value = JSON.parse(await readFile(serveRecordPath(root, dir), 'utf8')) as Partial<ServeRecord>;
  } catch {
    return undefined;
  }
  const valid = value?.version === 1 && value.root === resolve(root) && Number.isInteger(value.port) && value.port! > 0 && value.port! <= 65535
    && isSecret(value.token) && isSecret(value.session) && Number.isInteger(value.pid) && value.pid! > 0;
  return valid ? value as ServeRecord : undefined;
}

export async function writeServeRecord(record: ServeRecord, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await atomicWriteFile(serveRecordPath(record.root, dir), `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

/** Removes the folder's record if it is this process's (a stopping host); never one of another host. */
export async function removeServeRecord(root: string, dir: string = serveRecordDir(), pid: number = process.pid): Promise<void> {
  if ((await readServeRecord(root, dir))?.pid !== pid) return;
  await unlink(serveRecordPath(root, dir)).catch(() => undefined);
}


/**
 * What a new host on `root` takes over: the record of a host that is gone, when the port asked for
 * (if any) is its port. A record of a live host is left to it. A pid reused by an unrelated process
 * only costs the reuse, never a shared port.
 */
export function reusable(record: ServeRecord | undefined, explicitPort: number | undefined): ServeRecord | undefined {
  if (!record || pidAlive(record.pid)) return undefined;
  if (explicitPort !== undefined && explicitPort !== record.port) return undefined;
  return record;
}

export interface ServeStart {
  server: HostServer;
  /** The port, token and cookie secret of a host that was gone were taken over. */
  tookOver: boolean;
  /** Why the record could not be written (pages then cannot find a later host; the host still runs). */
  recordError?: string;
}

/**
 * Starts `quire serve`'s server for `root`: in the place of the folder's last host when that one
 * is gone and its port is free (or is the `port` asked for), else on `port` (default: any free
 * port) with a fresh token. The record then names this host, unless it belongs to a live one.
 */
export async function startServeHost(options: Omit<HostServerOptions, 'port' | 'token' | 'sessionSecret'> & { root: string; port?: number; recordDir?: string }): Promise<ServeStart> {
  const { root, port, recordDir = serveRecordDir(), ...serverOptions } = options;
  const previous = await readServeRecord(root, recordDir);
  const takeOver = reusable(previous, port);
  let server: HostServer | undefined;
  if (takeOver) {
    server = await HostServer.start({ ...serverOptions, port: takeOver.port, token: takeOver.token, sessionSecret: takeOver.session }).catch((error: unknown) => {
      // Someone else has the port now: start afresh (an explicit --port still fails, as it asked for that port).
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && port === undefined) return undefined;
      throw error;
    });
  }
  const tookOver = server !== undefined;
  server ??= await HostServer.start({ ...serverOptions, port: port ?? 0 });
  if (previous && pidAlive(previous.pid)) return { server, tookOver };
  try {
    await writeServeRecord({ version: 1, root: resolve(root), port: server.port, token: server.token, session: server.sessionSecret, pid: process.pid }, recordDir);
    return { server, tookOver };
  } catch (error) {
    return { server, tookOver, recordError: describeFsError(error) };
  }
}
