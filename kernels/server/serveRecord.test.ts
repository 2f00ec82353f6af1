/** A host started again on a folder takes the place of the one that is gone: port, token, cookie. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createHost, type QuireHost } from '../host/createHost';
import type { HostServer } from './hostServer';
import { readServeRecord, removeServeRecord, serveRecordPath, startServeHost, type ServeRecord } from './serveRecord';

let dir: string;
let root: string;
let staticDir: string;
let host: QuireHost;
const started: HostServer[] = [];
const blockers: Server[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-serve-record-'));
  root = join(dir, 'workspace');
  staticDir = join(dir, 'renderer');
  mkdirSync(root);
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Quire</title>');
  host = createHost({ root, shell: 'browser', configDir: join(dir, 'config'), dataDir: join(dir, 'data') });
});
afterEach(async () => {
  for (const server of started.splice(0)) await server.close();
  for (const blocker of blockers.splice(0)) await new Promise((resolve) => blocker.close(resolve));
});
afterAll(async () => {
  await host.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const recordDir = () => join(dir, `records-${++n}`);

async function start(records: string, port?: number) {
  const result = await startServeHost({ host, staticDir, root, recordDir: records, ...(port !== undefined ? { port } : {}) });
  started.push(result.server);
  return result;
}

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/** Opens the RPC socket with a session cookie; resolves 'open' or the refused upgrade's status. */
function connectWithCookie(server: HostServer, cookie: string): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc`, { origin: server.origin, headers: { Cookie: cookie } });
    ws.once('open', () => { ws.close(); resolve('open'); });
    ws.once('unexpected-response', (_req, res) => { ws.terminate(); resolve(res.statusCode ?? 0); });
  });
}

/** Stops a server and marks its record as written by a process that is gone, as after a SIGKILL. */
async function die(server: HostServer, records: string): Promise<ServeRecord> {
  await server.close();
  started.splice(started.indexOf(server), 1);
  const record = { ...(await readServeRecord(root, records))!, pid: deadPid() };
  writeFileSync(serveRecordPath(root, records), JSON.stringify(record));
  return record;
}

describe('quire serve remembers its place per folder', () => {
  it('the first host writes a 0600 record (0700 folder) of its port, token, cookie secret and pid', async () => {
    const records = recordDir();
    const { server, tookOver } = await start(records);
    expect(tookOver).toBe(false);
    const path = serveRecordPath(root, records);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, root, port: server.port, token: server.token, session: server.sessionSecret, pid: process.pid });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(records).mode & 0o777).toBe(0o700);
  });

  it('after the host is gone, the next one takes its port, token and cookie secret: a browser logged in to the old one is let in', async () => {
    const records = recordDir();
    const first = (await start(records)).server;
    const cookie = `quire-session-${first.port}=${first.sessionSecret}`;
    expect(await connectWithCookie(first, cookie)).toBe('open');
    const old = await die(first, records);
    const { server, tookOver } = await start(records);
    expect(tookOver).toBe(true);
    expect({ port: server.port, token: server.token, session: server.sessionSecret }).toEqual({ port: old.port, token: old.token, session: old.session });
    expect(await connectWithCookie(server, cookie)).toBe('open');
    expect((await readServeRecord(root, records))?.pid).toBe(process.pid);
  });

  it('a live host keeps its record: another host on the folder gets its own port and token', async () => {
    const records = recordDir();
    const first = (await start(records)).server;
    const recordText = readFileSync(serveRecordPath(root, records), 'utf8');
    const { server, tookOver } = await start(records);
    expect(tookOver).toBe(false);
    expect(server.port).not.toBe(first.port);
    expect(server.token).not.toBe(first.token);
    expect(readFileSync(serveRecordPath(root, records), 'utf8')).toBe(recordText);
  });

  it('the old port taken by someone else: a fresh port and token, and the record names the new host', async () => {
    const records = recordDir();
    const old = await die((await start(records)).server, records);
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(old.port, '127.0.0.1', resolve));
    const { server, tookOver } = await start(records);
    expect(tookOver).toBe(false);
    expect(server.port).not.toBe(old.port);
    expect(server.token).not.toBe(old.token);
    expect(await readServeRecord(root, records)).toMatchObject({ port: server.port, token: server.token, pid: process.pid });
  });

  it('an explicit --port wins: another port starts afresh, the remembered one takes over', async () => {
    const records = recordDir();
    const old = await die((await start(records)).server, records);
    const other = await start(records, 0);
    expect(other.tookOver).toBe(false);
    expect(other.server.token).not.toBe(old.token);
    await die(other.server, records);
    const record = await readServeRecord(root, records);
    const same = await start(records, record!.port);
    expect(same.tookOver).toBe(true);
    expect(same.server.token).toBe(record!.token);
  });

  it('a record that is not one (damaged, wrong folder) is ignored and replaced', async () => {
    const records = recordDir();
    mkdirSync(records, { recursive: true });
    for (const text of ['{"version": 1, "port": ', JSON.stringify({ version: 1, root: '/elsewhere', port: 1234, token: 'ab'.repeat(32), session: 'cd'.repeat(32), pid: deadPid() })]) {
      writeFileSync(serveRecordPath(root, records), text);
      const { server, tookOver } = await start(records);
      expect(tookOver).toBe(false);
      expect(await readServeRecord(root, records)).toMatchObject({ root, port: server.port, pid: process.pid });
      await server.close();
      started.splice(started.indexOf(server), 1);
    }
  });

  it('a host that stops on purpose removes its own record, never another host\'s', async () => {
    const records = recordDir();
    await start(records);
    await removeServeRecord(root, records, process.pid + 1);
    expect(await readServeRecord(root, records)).toBeDefined();
    await removeServeRecord(root, records);
    expect(await readServeRecord(root, records)).toBeUndefined();
    await removeServeRecord(root, records);
  });
});
