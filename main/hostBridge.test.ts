import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emitter } from '../src/base/event';
import { ELECTRON_RPC_CHANNEL, connectHostClient } from '../src/host/channels';
import { createHost, type QuireHost } from '../kernels/host/createHost';
import { withOverrides } from '../kernels/host/hostClient';
import { HostBridge, type IpcEventLike, type IpcMainLike, type WebContentsLike } from './hostBridge';

/** ipcMain and webContents doubles that behave like Electron's for the calls the bridge makes. */
class FakeIpcMain implements IpcMainLike {
  listeners = new Map<string, Array<(event: IpcEventLike, ...args: unknown[]) => void>>();
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
  }
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void) {
    this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((l) => l !== listener));
  }
  emit(channel: string, event: IpcEventLike, ...args: unknown[]) {
    for (const l of this.listeners.get(channel) ?? []) l(event, ...args);
  }
}
class FakeWebContents implements WebContentsLike {
  destroyed = false;
  readonly toRenderer = new Emitter<string>();
  private readonly _handlers = new Map<string, Array<() => void>>();
  constructor(readonly id: number) {}
  send(channel: string, data: unknown) {
    if (channel === ELECTRON_RPC_CHANNEL) void Promise.resolve().then(() => this.toRenderer.fire(String(data)));
  }
  isDestroyed() {
    return this.destroyed;
  }
  on(event: string, listener: () => void) {
    this._handlers.set(event, [...(this._handlers.get(event) ?? []), listener]);
  }
  fire(event: string) {
    for (const l of this._handlers.get(event) ?? []) l();
  }
}

let dir: string;
let host: QuireHost;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-bridge-'));
  host = createHost({ root: dir, shell: 'electron', configDir: join(dir, 'config') });
});
afterEach(async () => {
  await host.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

/** A renderer-side client whose frames arrive at ipcMain from `frameUrl`. */
function rendererClient(ipc: FakeIpcMain, wc: FakeWebContents, frameUrl: string, parent?: object) {
  const onMessage = new Emitter<string>();
  wc.toRenderer.event((d) => onMessage.fire(d));
  return connectHostClient({
    send: (data) => void Promise.resolve().then(() => ipc.emit(ELECTRON_RPC_CHANNEL, { sender: { id: wc.id }, senderFrame: { url: frameUrl, parent } }, data)),
    onMessage: onMessage.event,
    onDidClose: new Emitter<void>().event,
  }, { native: false });
}

describe('HostBridge', () => {
  it('serves the host to frames from the app origin', async () => {
    const ipc = new FakeIpcMain();
    const bridge = new HostBridge(ipc);
    const wc = new FakeWebContents(1);
    bridge.attach(wc, () => host);
    const { host: remote } = rendererClient(ipc, wc, 'quire://app/index.html');
    expect((await remote.files.getWorkspace()).shell).toBe('electron');
    expect(bridge.rejectedFrames).toBe(0);
    bridge.dispose();
    expect(ipc.listeners.get(ELECTRON_RPC_CHANNEL)).toEqual([]);
  });

  it('drops frames from other origins, subframes, unknown windows and non-string payloads', async () => {
    const ipc = new FakeIpcMain();
    const bridge = new HostBridge(ipc);
    const wc = new FakeWebContents(1);
    bridge.attach(wc, () => host);
    const replies: string[] = [];
    wc.toRenderer.event((d) => replies.push(d));
    const frame = JSON.stringify({ t: 'req', id: 1, ch: 'files', m: 'getWorkspace', a: [] });
    ipc.emit(ELECTRON_RPC_CHANNEL, { sender: { id: 1 }, senderFrame: { url: 'https://evil.example/' } }, frame);
    ipc.emit(ELECTRON_RPC_CHANNEL, { sender: { id: 1 }, senderFrame: { url: 'file:///tmp/x.html' } }, frame);
    ipc.emit(ELECTRON_RPC_CHANNEL, { sender: { id: 1 }, senderFrame: { url: 'quire://app/index.html', parent: {} } }, frame);
    ipc.emit(ELECTRON_RPC_CHANNEL, { sender: { id: 1 }, senderFrame: null }, frame);
    ipc.emit(ELECTRON_RPC_CHANNEL, { sender: { id: 2 }, senderFrame: { url: 'quire://app/index.html' } }, frame);
    ipc.emit(ELECTRON_RPC_CHANNEL, { sender: { id: 1 }, senderFrame: { url: 'quire://app/index.html' } }, { not: 'a string' });
    // Frames are answered in order: once a good frame's reply is back, any reply to the bad ones would be too.
    const good = new Promise((resolve) => wc.toRenderer.event(resolve));
    ipc.emit(ELECTRON_RPC_CHANNEL, { sender: { id: 1 }, senderFrame: { url: 'quire://app/index.html' } }, frame.replace('"id":1', '"id":99'));
    await good;
    expect(replies.map((r) => JSON.parse(r).id)).toEqual([99]);
    expect(bridge.rejectedFrames).toBe(6);
    bridge.dispose();
  });

  it('starts a fresh server on reload and stops serving a destroyed window', async () => {
    const ipc = new FakeIpcMain();
    const bridge = new HostBridge(ipc);
    const wc = new FakeWebContents(7);
    bridge.attach(wc, () => host);
    wc.fire('did-navigate');
    const { host: remote } = rendererClient(ipc, wc, 'quire://app/index.html');
    expect((await remote.files.getWorkspace()).root).toBe(dir);
    expect(bridge.connectionCount).toBe(1);
    wc.destroyed = true;
    wc.fire('destroyed');
    expect(bridge.connectionCount).toBe(0);
    bridge.dispose();
  });

  it('gives each page load its own host view and closes it when the page goes', async () => {
    const ipc = new FakeIpcMain();
    const bridge = new HostBridge(ipc);
    const wc = new FakeWebContents(3);
    const events: string[] = [];
    let n = 0;
    bridge.attach(wc, () => {
      const view = ++n;
      events.push(`connect ${view}`);
      const files = withOverrides(host.files, { getWorkspace: async () => ({ ...host.workspace, openPath: `view-${view}` }) });
      return { ...host, files, close: () => void events.push(`close ${view}`) };
    });
    wc.fire('did-navigate'); // a reload
    const { host: remote } = rendererClient(ipc, wc, 'quire://app/index.html');
    expect((await remote.files.getWorkspace()).openPath).toBe('view-2');
    wc.destroyed = true;
    wc.fire('destroyed');
    expect(events).toEqual(['connect 1', 'close 1', 'connect 2', 'close 2']);
    bridge.dispose();
  });
});
