import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { Emitter } from '../../src/base/event';
import type { INativeHostService } from '../../src/host/contract';
import { serveHost } from '../../src/host/channels';
import { createProtocolPair } from '../../src/ipc/protocol';
import { createHost, type QuireHost } from '../../kernels/host/createHost';
import { HostServer } from '../../kernels/server/hostServer';
import { connectHost } from './connectHost';
import type { WebSocketConstructor } from './websocketTransport';
import { hostSocketUrl } from './websocketTransport';
import { toObservable } from './toObservable';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function startServer(): Promise<{ server: HostServer; host: QuireHost; root: string }> {
  const root = mkdtempSync(join(tmpdir(), 'quire-connect-'));
  const host = createHost({ root, shell: 'browser', configDir: join(root, '.config') });
  const server = await HostServer.start({ host, staticDir: root });
  cleanups.push(() => rmSync(root, { recursive: true, force: true }), () => host.shutdown(), () => server.close());
  return { server, host, root };
}

/** Node's `ws` behaves like the browser's WebSocket but needs the Origin a browser would send. */
function webSocketFrom(origin: string): WebSocketConstructor {
  return class extends NodeWebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  } as unknown as WebSocketConstructor;
}

describe('hostSocketUrl', () => {
  it('builds the /rpc URL with the page token, or without one (the session cookie then authenticates)', () => {
    expect(hostSocketUrl({ protocol: 'http:', host: '127.0.0.1:8888', search: '?token=abc&x=1' })).toBe('ws://127.0.0.1:8888/rpc?token=abc');
    expect(hostSocketUrl({ protocol: 'http:', host: '127.0.0.1:8888', search: '' })).toBe('ws://127.0.0.1:8888/rpc');
  });
});

describe('connectHost', () => {
  it('connects over the WebSocket with the page token and calls the host', async () => {
    const { server, root } = await startServer();
    const location = { protocol: 'http:', host: `127.0.0.1:${server.port}`, search: `?token=${server.token}` };
    const { host, shell } = await connectHost({ location, WebSocket: webSocketFrom(server.origin) });
    expect(shell).toBe('browser');
    expect(host.native).toBeUndefined();
    expect((await host.files.getWorkspace()).root).toBe(root);
  });

  it('rejects when the host refuses the page (wrong token)', async () => {
    const { server } = await startServer();
    const location = { protocol: 'http:', host: `127.0.0.1:${server.port}`, search: '?token=wrong' };
    await expect(connectHost({ location, WebSocket: webSocketFrom(server.origin) })).rejects.toThrow(/Could not connect/);
  });

  it('uses the Electron bridge when present, with native services', async () => {
    const root = mkdtempSync(join(tmpdir(), 'quire-connect-'));
    const commands = new Emitter<{ command: string }>();
    const native: INativeHostService = {
      showOpenDialog: async () => join(root, 'picked.ipynb'),
      showSaveDialog: async () => undefined,
      openExternal: async () => undefined,
      setDocumentState: async () => undefined,
      onDidRequestCommand: commands.event,
    };
    const host = createHost({ root, shell: 'electron', native });
    const [mainEnd, rendererEnd] = createProtocolPair();
    const server = serveHost(mainEnd, host);
    cleanups.push(() => rmSync(root, { recursive: true, force: true }), () => host.shutdown(), () => server.dispose(), () => mainEnd.close());
    const bridge = {
      send: (data: string) => rendererEnd.send(data),
      onMessage: (listener: (data: string) => void) => {
        const sub = rendererEnd.onMessage(listener);
        return () => sub.dispose();
      },
    };
    const connected = await connectHost({ nbHost: bridge });
    expect(connected.shell).toBe('electron');
    expect(await connected.host.native!.showOpenDialog({})).toBe(join(root, 'picked.ipynb'));
    expect((await connected.host.files.getWorkspace()).shell).toBe('electron');
    const received = new Promise((resolve) => connected.host.native!.onDidRequestCommand(resolve));
    // Frames are ordered: once a later call has returned, the subscription is in place.
    await connected.host.native!.setDocumentState({ title: 'x', edited: false });
    commands.fire({ command: 'notebook.save' });
    expect(await received).toEqual({ command: 'notebook.save' });
  });
});

describe('toObservable', () => {
  it('listens while subscribed and disposes the listener on unsubscribe', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    const sub = toObservable(emitter.event).subscribe((n) => seen.push(n));
    emitter.fire(1);
    emitter.fire(2);
    expect(emitter.hasListeners).toBe(true);
    sub.unsubscribe();
    emitter.fire(3);
    expect(seen).toEqual([1, 2]);
    expect(emitter.hasListeners).toBe(false);
  });
});
