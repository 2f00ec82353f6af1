import type { HostApi } from '../../src/host/contract';
import { connectHostClient } from '../../src/host/channels';
import type { INbHostBridge } from '../../src/host/bridge';
import { createElectronTransport } from './electronTransport';
import { connectWebSocketTransport, hostSocketUrl, type LocationLike, type WebSocketConstructor } from './websocketTransport';

export type HostShell = 'electron' | 'browser';

export interface ConnectHostOptions {
  /** Defaults to `window.nbHost`. */
  nbHost?: INbHostBridge;
  /** Defaults to `window.location`. */
  location?: LocationLike;
  WebSocket?: WebSocketConstructor;
}

/**
 * The renderer's one way to the outside: the Electron preload bridge when present, otherwise the
 * WebSocket back to `quire serve`. Only Electron offers `host.native` (dialogs, menus).
 */
export async function connectHost(options: ConnectHostOptions = {}): Promise<{ host: HostApi; shell: HostShell }> {
  const bridge = options.nbHost ?? (typeof window !== 'undefined' ? window.nbHost : undefined);
  if (bridge) {
    const { host } = connectHostClient(createElectronTransport(bridge), { native: true });
    return { host, shell: 'electron' };
  }
  const location = options.location ?? window.location;
  const transport = await connectWebSocketTransport(hostSocketUrl(location), options.WebSocket);
  const { host } = connectHostClient(transport, { native: false });
  return { host, shell: 'browser' };
}
