import { Emitter } from '../src/base/event';
import { type IDisposable, toDisposable } from '../src/base/lifecycle';
import type { HostApi } from '../src/host/contract';
import { ELECTRON_RPC_CHANNEL, serveHost } from '../src/host/channels';
import type { IMessagePassingProtocol } from '../src/ipc/protocol';
import { isAppUrl } from './security';

/** The parts of Electron's ipcMain and webContents the bridge uses (structural, so tests need no Electron). */
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}
export interface IpcEventLike {
  sender: { id: number };
  senderFrame?: { url: string; parent?: unknown } | null;
}
export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  on(event: 'destroyed' | 'did-navigate', listener: () => void): unknown;
}

/** What one connection of a window is served; `close` is called when the connection ends. */
export interface ConnectionHost extends HostApi {
  close?(): Promise<void> | void;
}

interface Connection {
  webContents: WebContentsLike;
  host: ConnectionHost;
  onMessage: Emitter<string>;
  onDidClose: Emitter<void>;
  server: IDisposable;
}

/**
 * Carries the host RPC over Electron IPC on the one `nb:rpc` channel. Every incoming frame is
 * checked: it must come from a window we attached, from its top frame, and from our own app
 * origin (checklist item 17: validate the sender of all IPC messages). Each attached window gets
 * its own ChannelServer and its own view of the host from `connect`; a reload starts fresh ones
 * (closing the old view) so old subscriptions do not pile up.
 */
export class HostBridge implements IDisposable {
  private readonly _connections = new Map<number, Connection>();
  private readonly _listener = (event: IpcEventLike, ...args: unknown[]) => this._onFrame(event, args);
  /** Frames refused by the sender check (for tests and logging). */
  rejectedFrames = 0;

  constructor(private readonly _ipcMain: IpcMainLike) {
    _ipcMain.on(ELECTRON_RPC_CHANNEL, this._listener);
  }

  /**
   * Serves one window until it is destroyed or the returned disposable is disposed: each page load
   * gets `connect()`'s host, closed (`close()`) when that page goes (reload, window closed).
   */
  attach(webContents: WebContentsLike, connect: () => ConnectionHost): IDisposable {
    this._connect(webContents, connect());
    webContents.on('did-navigate', () => {
      if (!this._connections.has(webContents.id)) return;
      this._disconnect(webContents.id); // the old page's view closes before the new one opens
      this._connect(webContents, connect());
    });
    webContents.on('destroyed', () => this._disconnect(webContents.id));
    return toDisposable(() => this._disconnect(webContents.id));
  }

  private _connect(webContents: WebContentsLike, host: ConnectionHost): void {
    this._disconnect(webContents.id);
    const onMessage = new Emitter<string>();
    const onDidClose = new Emitter<void>();
    const protocol: IMessagePassingProtocol = {
      send: (data) => {
        if (!webContents.isDestroyed()) webContents.send(ELECTRON_RPC_CHANNEL, data);
      },
      onMessage: onMessage.event,
      onDidClose: onDidClose.event,
    };
    const server = serveHost(protocol, host);
    this._connections.set(webContents.id, { webContents, host, onMessage, onDidClose, server });
  }

  private _disconnect(id: number): void {
    const connection = this._connections.get(id);
    if (!connection) return;
    this._connections.delete(id);
    connection.onDidClose.fire();
    connection.server.dispose();
    connection.onMessage.dispose();
    connection.onDidClose.dispose();
    void Promise.resolve(connection.host.close?.()).catch((error: unknown) => console.error('quire: closing a window\'s host connection failed:', error));
  }

  private _onFrame(event: IpcEventLike, args: unknown[]): void {
    const connection = this._connections.get(event.sender.id);
    const frame = event.senderFrame;
    const data = args[0];
    if (!connection || !frame || frame.parent || !isAppUrl(frame.url) || typeof data !== 'string' || args.length !== 1) {
      this.rejectedFrames++;
      return;
    }
    try {
      connection.onMessage.fire(data);
    } catch (error) {
      console.error('quire: error handling an RPC frame:', error);
    }
  }

  get connectionCount(): number {
    return this._connections.size;
  }

  dispose(): void {
    this._ipcMain.removeListener(ELECTRON_RPC_CHANNEL, this._listener);
    for (const id of [...this._connections.keys()]) this._disconnect(id);
  }
}
