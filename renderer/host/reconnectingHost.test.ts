import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { Event } from '../../src/base/event';
import { createHost } from '../../kernels/host/createHost';
import { HostServer } from '../../kernels/server/hostServer';
import { connectHost } from './connectHost';
import type { ConnectionState, HostConnection } from './reconnectingHost';
import type { WebSocketConstructor } from './websocketTransport';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const root = mkdtempSync(join(tmpdir(), 'quire-reconnect-'));
cleanups.push(() => rmSync(root, { recursive: true, force: true }));

async function startServer(port = 0, token?: string): Promise<HostServer> {
  const host = createHost({ root, shell: 'browser', configDir: join(root, '.config') });
  const server = await HostServer.start({ host, staticDir: root, port, ...(token ? { token } : {}) });
  cleanups.push(() => host.shutdown(), () => server.close());
  return server;
}

function webSocketFrom(origin: string): WebSocketConstructor {
  return class extends NodeWebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  } as unknown as WebSocketConstructor;
}

const next = (connection: HostConnection, wanted: ConnectionState) => Event.toPromise(Event.filter(connection.onDidChangeState, (s) => s === wanted));

describe('the browser host connection', () => {
  it('reports a lost host, fails calls at once, and reconnects (events too) when a host returns on the same address', async () => {
    const first = await startServer();
    const location = { protocol: 'http:', host: `127.0.0.1:${first.port}`, search: `?token=${first.token}` };
    const { host, connection } = await connectHost({ location, WebSocket: webSocketFrom(first.origin), reconnectDelays: [20] });
    if (!connection) throw new Error('the browser host has a connection');
    cleanups.push(() => connection.dispose());
    // What the app does when the host announces its shutdown (after saving): let it go.
    const shutdowns: string[] = [];
    host.lifecycle?.onWillShutdown(({ reason }) => { shutdowns.push(reason); connection.disconnect(); });

    const lost = next(connection, 'lost');
    await first.close();
    await lost;
    expect(connection.state).toBe('lost');
    await expect(host.files.getWorkspace()).rejects.toMatchObject({ code: 'RPC_CLOSED' });

    const back = next(connection, 'connected');
    const second = await startServer(first.port, first.token);
    await back;
    expect((await host.files.getWorkspace()).root).toBe(root);
    // The listener added before the loss hears the new host, and drainPages returns once the page
    // has gone (the bound is far away: only the page's close can end this wait within the test's time).
    await second.drainPages('SIGTERM', 60_000);
    expect(shutdowns).toEqual(['SIGTERM']);
  });
});
