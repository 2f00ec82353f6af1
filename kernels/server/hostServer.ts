import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { Emitter } from '../../src/base/event';
import type { IDisposable } from '../../src/base/lifecycle';
import type { HostApi } from '../../src/host/contract';
import { serveHost } from '../../src/host/channels';
import type { IMessagePassingProtocol } from '../../src/ipc/protocol';
import { trackNotebookWatches } from '../files/notebookWatcher';
import { LAUNCH_PATH, LaunchSessions, tokensMatch } from './launchSessions';
import { serveStatic } from './staticFiles';

export { tokensMatch };

/** The browser host listens on loopback only: never on a LAN-reachable address. */
export const HOST_ADDRESS = '127.0.0.1';
/** The WebSocket path the renderer connects to (`ws://127.0.0.1:PORT/rpc?token=…`). */
export const RPC_PATH = '/rpc';

export interface HostServerOptions {
  host: HostApi;
  /** Folder holding the built renderer (`dist/renderer`). */
  staticDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 32 random bytes as hex (Jupyter-style). */
  token?: string;
  /** The session cookie's value (default: fresh); a restarted host passes its predecessor's. */
  sessionSecret?: string;
}

/** A fresh secret for one server run. */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * HTTP for the built renderer plus the host RPC over a WebSocket, bound to 127.0.0.1. A socket is
 * accepted only with the server's token (or the session cookie a one-time launch code earns, see
 * launchSessions.ts) and an Origin equal to the server's own origin, so other web pages (which may
 * reach loopback) and other local users without the token cannot drive it.
 */
export class HostServer implements IDisposable {
  private readonly _sockets = new Set<WebSocket>();
  private readonly _wss = new WebSocketServer({ noServer: true });
  private _closed: Promise<void> | undefined;
  private readonly _onDidConnect = new Emitter<void>();
  /** Fires for each accepted RPC connection. */
  readonly onDidConnect = this._onDidConnect.event;
  private readonly _onWillShutdown = new Emitter<{ reason: string }>();
  private readonly _onDidDisconnect = new Emitter<number>();
  /** Fires when an RPC connection ends, with the number still open. */
  readonly onDidDisconnect = this._onDidDisconnect.event;
  private readonly _sessions: LaunchSessions;

  private constructor(
    private readonly _server: Server,
    private readonly _options: HostServerOptions,
    readonly token: string,
    readonly port: number,
  ) {
    this._sessions = new LaunchSessions(`quire-session-${port}`, _options.sessionSecret);
    _server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this._onUpgrade(request, socket, head));
  }

  /** Starts listening; resolves once the port is bound. */
  static async start(options: HostServerOptions): Promise<HostServer> {
    const token = options.token ?? generateToken();
    const ref: { instance?: HostServer } = {};
    const server = createServer((request, response) => {
      const instance = ref.instance;
      if (!instance || !instance._hostAllowed(request)) {
        response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Forbidden\n');
        return;
      }
      // The socket only accepts our exact origin, so a page opened as localhost moves to 127.0.0.1.
      if (request.headers.host === `localhost:${instance.port}`) {
        response.writeHead(308, { Location: `${instance.origin}${request.url ?? '/'}` }).end();
        return;
      }
      if ((request.url ?? '/').split('?')[0] === LAUNCH_PATH) {
        instance._onLaunch(request, response);
        return;
      }
      serveStatic(options.staticDir, instance.origin, request, response);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, HOST_ADDRESS, () => {
        server.off('error', reject);
        resolve();
      });
    });
    ref.instance = new HostServer(server, options, token, (server.address() as AddressInfo).port);
    return ref.instance;
  }

  /** The session cookie's value, for a host that will restart in this one's place. */
  get sessionSecret(): string {
    return this._sessions.secret;
  }

  /** `http://127.0.0.1:PORT`: the only Origin accepted on the socket. */
  get origin(): string {
    return `http://${HOST_ADDRESS}:${this.port}`;
  }

  /** The page URL to open, token included. */
  get url(): string {
    return `${this.origin}/?token=${this.token}`;
  }

  /** A one-time address that logs a browser in (a cookie) without the token; for launch pages only. */
  createLaunchUrl(): string {
    return `${this.origin}${LAUNCH_PATH}?code=${this._sessions.createCode()}`;
  }

  get connectionCount(): number {
    return this._sockets.size;
  }

  // DNS rebinding guard: a page on evil.example resolved to 127.0.0.1 sends Host: evil.example.
  private _hostAllowed(request: IncomingMessage): boolean {
    const host = request.headers.host;
    return host === `${HOST_ADDRESS}:${this.port}` || host === `localhost:${this.port}`;
  }

  // GET /launch?code=…: a valid unused code becomes the session cookie and the browser goes to the app.
  private _onLaunch(request: IncomingMessage, response: ServerResponse): void {
    const headers = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff', 'Content-Type': 'text/plain; charset=utf-8' };
    const code = new URL(request.url ?? '/', this.origin).searchParams.get('code');
    if (request.method !== 'GET' || !this._sessions.redeem(code)) {
      response.writeHead(403, headers).end('This launch page was already used or is not from this server. Open the URL `quire serve` printed (it ends in ?token=…).\n');
      return;
    }
    response.writeHead(303, { ...headers, Location: '/', 'Set-Cookie': this._sessions.setCookieHeader() }).end();
  }

  private _onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', this.origin);
    const reject = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length + 1}\r\n\r\n${reason}\n`);
      socket.destroy();
    };
    if (this._closed) return reject(503, 'Service Unavailable');
    if (url.pathname !== RPC_PATH) return reject(404, 'Not Found');
    if (!this._hostAllowed(request) || request.headers.origin !== this.origin || !this._authorized(request, url)) {
      return reject(403, 'Forbidden');
    }
    this._wss.handleUpgrade(request, socket, head, (ws) => this._onConnection(ws));
  }

  private _authorized(request: IncomingMessage, url: URL): boolean {
    const token = url.searchParams.get('token');
    return token !== null ? tokensMatch(this.token, token) : this._sessions.hasSession(request.headers.cookie);
  }

  private _onConnection(ws: WebSocket): void {
    this._sockets.add(ws);
    const protocol = webSocketProtocol(ws);
    // The page's notebook watches end with its socket (a page that reconnects watches again).
    const watches = trackNotebookWatches(this._options.host.files);
    const server = serveHost(protocol.protocol, { ...this._options.host, files: watches.files, lifecycle: { onWillShutdown: this._onWillShutdown.event } });
    ws.on('close', () => {
      this._sockets.delete(ws);
      watches.release();
      server.dispose();
      protocol.dispose();
      this._onDidDisconnect.fire(this._sockets.size);
    });
    this._onDidConnect.fire();
  }

  /**
   * Tells the open pages the host is stopping (they save unsaved edits, then close their socket)
   * and waits until every page has closed, or `timeoutMs`, whichever comes first.
   */
  drainPages(reason: string, timeoutMs: number): Promise<void> {
    if (this._sockets.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const listener = this._onDidDisconnect.event((open) => { if (open === 0) done(); });
      function done() {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      }
      this._onWillShutdown.fire({ reason });
    });
  }

  /** Closes every socket and stops listening. The host itself is the caller's to shut down. */
  close(): Promise<void> {
    this._closed ??= new Promise<void>((resolve) => {
      for (const ws of this._sockets) ws.terminate();
      this._wss.close();
      this._server.close(() => resolve());
      this._server.closeAllConnections();
    });
    return this._closed;
  }

  dispose(): void {
    void this.close();
    this._onDidConnect.dispose();
    this._onDidDisconnect.dispose();
    this._onWillShutdown.dispose();
  }
}

/** An IMessagePassingProtocol over a `ws` socket (text frames only). */
export function webSocketProtocol(ws: WebSocket): { protocol: IMessagePassingProtocol } & IDisposable {
  const onMessage = new Emitter<string>();
  const onDidClose = new Emitter<void>();
  ws.on('message', (data, isBinary) => {
    if (isBinary) return; // the RPC is JSON text; binary frames are not ours
    try {
      onMessage.fire(data.toString());
    } catch (error) {
      // One bad frame must not take the host down with an uncaught exception.
      console.error('quire: error handling an RPC frame:', error);
    }
  });
  ws.on('close', () => onDidClose.fire());
  return {
    protocol: {
      send: (data) => {
        if (ws.readyState === ws.OPEN) ws.send(data);
      },
      onMessage: onMessage.event,
      onDidClose: onDidClose.event,
    },
    dispose() {
      onMessage.dispose();
      onDidClose.dispose();
    },
  };
}
