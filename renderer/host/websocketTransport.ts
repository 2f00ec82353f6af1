import { Emitter } from '../../src/base/event';
import type { IDisposable } from '../../src/base/lifecycle';
import { ErrorCode, QuireError } from '../../src/errors';
import type { IMessagePassingProtocol } from '../../src/ipc/protocol';

/** The path the browser host serves the RPC on (kernels/server/hostServer.ts RPC_PATH). */
export const RPC_PATH = '/rpc';

/** What we need of a location: the page's own URL. */
export interface LocationLike {
  protocol: string;
  host: string;
  search: string;
}

/** The minimal WebSocket surface we use, so tests can pass another implementation. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/**
 * The socket URL for the page this runs in: same host, `/rpc`, and the access token when the page
 * was opened with one (`?token=…`, the URL `quire serve` prints). Without it the browser's session
 * cookie (from the launch page's one-time code) is what the server checks; it checks Origin as well.
 */
export function hostSocketUrl(location: LocationLike): string {
  const token = new URLSearchParams(location.search).get('token');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${RPC_PATH}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

const OPEN = 1;

/**
 * An IMessagePassingProtocol over a browser WebSocket. Resolves once the socket is open; rejects
 * when the host refuses it (wrong token or origin: the browser only reports a close).
 */
export function connectWebSocketTransport(
  url: string,
  WebSocketCtor: WebSocketConstructor = WebSocket as unknown as WebSocketConstructor,
): Promise<IMessagePassingProtocol & IDisposable> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocketCtor(url);
    const onMessage = new Emitter<string>();
    const onDidClose = new Emitter<void>();
    let opened = false;
    socket.addEventListener('message', (event) => {
      if (typeof event.data === 'string') onMessage.fire(event.data);
    });
    socket.addEventListener('open', () => {
      opened = true;
      resolve({
        send: (data) => {
          if (socket.readyState === OPEN) socket.send(data);
        },
        onMessage: onMessage.event,
        onDidClose: onDidClose.event,
        dispose: () => socket.close(1000, 'disposed'),
      });
    });
    // A refused or dropped socket reports 'error' then 'close'; the close handler decides.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', () => {
      if (!opened) {
        reject(new QuireError(ErrorCode.RpcClosed, 'Could not connect to the Quire host: it stopped, or refused this page (no valid token or session: open the URL `quire serve` printed, which ends in ?token=…).'));
      }
      onDidClose.fire();
      onMessage.dispose();
      onDidClose.dispose();
    });
  });
}
