import type { HostApi } from '../../src/host/contract';
import { connectHostClient } from '../../src/host/channels';
import type { INbHostBridge } from '../../src/host/bridge';
import { createElectronTransport } from './electronTransport';
import { createReconnectingHost, type HostConnection } from './reconnectingHost';
import { connectWebSocketTransport, hostSocketUrl, type LocationLike, type WebSocketConstructor } from './websocketTransport';

export type HostShell = 'electron' | 'browser';

export interface ConnectHostOptions {
  /** Defaults to `window.nbHost`. */
  nbHost?: INbHostBridge;
  /** Defaults to `window.location`. */
  location?: LocationLike;
  WebSocket?: WebSocketConstructor;
  /** Milliseconds between reconnection attempts (tests shorten them). */
  reconnectDelays?: number[];
}

/**
 * The renderer's one way to the outside: the Electron preload bridge when present, otherwise the
 * WebSocket back to `quire serve` (with `connection`: its state, and reconnecting). Only Electron
 * offers `host.native` (dialogs, menus); only the browser host `host.lifecycle`.
 */
export async function connectHost(options: ConnectHostOptions = {}): Promise<{ host: HostApi; shell: HostShell; connection?: HostConnection }> {
  const bridge = options.nbHost ?? (typeof window !== 'undefined' ? window.nbHost : undefined);
  if (bridge) {
    const { host } = connectHostClient(createElectronTransport(bridge), { native: true });
    return { host, shell: 'electron' };
  }
  const location = options.location ?? window.location;
  const url = hostSocketUrl(location);
  const transport = await connectWebSocketTransport(url, options.WebSocket);
  // The socket can close (the host stopped or died): the page keeps its edits and reconnects.
  const { host, connection } = createReconnectingHost(transport, () => connectWebSocketTransport(url, options.WebSocket), { delays: options.reconnectDelays });
  return { host, shell: 'browser', connection };
}
