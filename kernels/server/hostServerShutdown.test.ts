/** The stopping host asks its pages to save and waits for them, but never for ever. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Event } from '../../src/base/event';
import { connectHostClient } from '../../src/host/channels';
import { createHost } from '../host/createHost';
import { HostServer, webSocketProtocol } from './hostServer';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function serverAndPage() {
  const root = mkdtempSync(join(tmpdir(), 'quire-drain-'));
  const host = createHost({ root, shell: 'browser', configDir: join(root, '.config') });
  const server = await HostServer.start({ host, staticDir: root });
  cleanups.push(() => rmSync(root, { recursive: true, force: true }), () => host.shutdown(), () => server.close());
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { origin: server.origin });
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  const transport = webSocketProtocol(ws);
  const { host: page } = connectHostClient(transport.protocol, { native: false, lifecycle: true });
  cleanups.push(() => ws.terminate());
  return { server, page, ws };
}

describe('HostServer.drainPages', () => {
  it('tells each page the host is stopping and returns when they have closed', async () => {
    const { server, page, ws } = await serverAndPage();
    const heard = Event.toPromise(page.lifecycle!.onWillShutdown);
    // The subscription reaches the server with the next frame: a call in the same order proves it arrived.
    await page.files.getWorkspace();
    const drained = server.drainPages('SIGTERM', 60_000);
    expect(await heard).toEqual({ reason: 'SIGTERM' });
    ws.close();
    await drained;
    expect(server.connectionCount).toBe(0);
  });

  it('does not wait past its bound for a page that never closes', async () => {
    const { server, page } = await serverAndPage();
    const heard = Event.toPromise(page.lifecycle!.onWillShutdown);
    await page.files.getWorkspace();
    await server.drainPages('SIGINT', 50);
    expect(await heard).toEqual({ reason: 'SIGINT' });
    expect(server.connectionCount).toBe(1);
  });
});
