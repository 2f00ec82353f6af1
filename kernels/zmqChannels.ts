/**
 * The five ZeroMQ sockets of one kernel connection (zeromq v6): shell, control and stdin as
 * Dealers sharing one routing identity (so the kernel can route stdin input_requests back to
 * the client whose shell request asked), iopub as a Subscriber to everything, and a heartbeat
 * Dealer that echoes pings. Implements `KernelTransport` so a `KernelClient` can sit on top.
 */
import { Subject, type Observable } from 'rxjs';
import * as zmq from 'zeromq';
import { Emitter } from '../src/base/event';
import { Disposable, toDisposable } from '../src/base/lifecycle';
import type { KernelTransport } from '../src/jupyter/kernelClient';
import type { BaseMessage, Channel } from '../src/jupyter/messages';
import { WireCodec } from './wire';

/** The fields of a Jupyter connection file. */
export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export function channelUrl(info: ConnectionInfo, port: number): string {
  return info.transport === 'ipc' ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}

type RequestChannel = 'shell' | 'control' | 'stdin';

export interface ZmqChannelsOptions {
  /** Routing identity for shell/control/stdin; use the client's session id. */
  identity: string;
  /** Connect at once (default true); false waits for `resume()`. */
  connect?: boolean;
}

export class ZmqChannels extends Disposable implements KernelTransport {
  private readonly _messages = new Subject<BaseMessage>();
  readonly messages$: Observable<BaseMessage> = this._messages.asObservable();
  private readonly _onDidDropMessage = this._register(new Emitter<{ channel: Channel }>());
  /** Fires for each incoming message that failed its signature check (or was malformed). */
  readonly onDidDropMessage = this._onDidDropMessage.event;

  readonly codec: WireCodec;
  private readonly _dealers: Record<RequestChannel, zmq.Dealer>;
  private readonly _iopub: zmq.Subscriber;
  private readonly _heartbeat: zmq.Dealer;
  // zeromq v6 allows one pending send per socket; chaining keeps order and never hits EBUSY.
  private readonly _sendTails = new Map<zmq.Socket, Promise<void>>();
  private _closed = false;
  /** Messages read so far, on every socket (see settled). */
  private _received = 0;
  private _connected = false;
  private readonly _loops: Promise<void>[] = [];

  constructor(readonly info: ConnectionInfo, options: ZmqChannelsOptions) {
    super();
    this.codec = new WireCodec({ key: info.key, signatureScheme: info.signature_scheme });
    // ZeroMQ retries a refused connect after `reconnectInterval`; with exponential backoff the
    // retries drift apart and a connection can come up to the cap late (measured: starts
    // quantized to ~1.3 s / 2.3 s with a 1 s cap). A fixed interval keeps the delay bounded; and
    // a session connects only once the kernel's port answers (`connect: false` + `resume()`),
    // since five sockets retrying every 10 ms cost ~0.1 s of CPU per start.
    const common = { linger: 0, reconnectInterval: 100, reconnectMaxInterval: 0 };
    const dealer = () => new zmq.Dealer({ ...common, routingId: options.identity });
    this._dealers = { shell: dealer(), control: dealer(), stdin: dealer() };
    this._iopub = new zmq.Subscriber(common);
    // A ping that cannot even be queued (no connection) is a miss, not a wait.
    this._heartbeat = new zmq.Dealer({ ...common, sendTimeout: 0 });
    this._iopub.subscribe();
    if (options.connect ?? true) this.resume();
    for (const channel of ['shell', 'control', 'stdin'] as const) this._loops.push(this._readLoop(this._dealers[channel], channel));
    this._loops.push(this._readLoop(this._iopub, 'iopub'));
    this._register(toDisposable(() => this._close()));
  }

  /** (Re)connects every socket; a no-op while connected. */
  resume(): void {
    if (this._connected || this._closed) return;
    this._connected = true;
    for (const [socket, port] of this._endpoints()) socket.connect(channelUrl(this.info, port));
  }

  /**
   * Disconnects every socket (queued messages are dropped), so nothing keeps retrying to reach
   * a kernel that is gone. `resume()` connects again, e.g. for a restart on the same ports.
   */
  suspend(): void {
    if (!this._connected || this._closed) return;
    this._connected = false;
    for (const [socket, port] of this._endpoints()) {
      try {
        socket.disconnect(channelUrl(this.info, port));
      } catch {
        // not connected (any more): nothing to undo
      }
    }
  }

  private _endpoints(): Array<[zmq.Dealer | zmq.Subscriber, number]> {
    const { info } = this;
    return [
      [this._dealers.shell, info.shell_port], [this._dealers.control, info.control_port], [this._dealers.stdin, info.stdin_port],
      [this._iopub, info.iopub_port], [this._heartbeat, info.hb_port],
    ];
  }

  /** Sends on the socket named by `msg.channel` (shell, control or stdin). */
  send(msg: BaseMessage): Promise<void> {
    if (this._closed) return Promise.reject(new Error('The kernel connection is closed'));
    if (!this._connected) return Promise.reject(new Error('The kernel is not connected (starting, restarting or dead)'));
    if (msg.channel === 'iopub') return Promise.reject(new Error('Clients cannot send on iopub'));
    const socket = this._dealers[msg.channel];
    if (!socket) return Promise.reject(new Error(`Unknown channel '${String(msg.channel)}'`));
    return this._enqueue(socket, this.codec.serialize(msg));
  }

  /**
   * One heartbeat round trip: resolves true when the kernel echoed within `timeoutMs`. Replies to
   * earlier, late pings are skipped by payload so a slow echo cannot mask a later miss.
   */
  async ping(timeoutMs: number): Promise<boolean> {
    if (this._closed) return false;
    const payload = Buffer.from(`ping-${Date.now()}-${Math.random()}`);
    this._heartbeat.receiveTimeout = timeoutMs;
    try {
      await this._enqueue(this._heartbeat, [payload]);
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && !this._closed) {
        this._heartbeat.receiveTimeout = Math.max(1, deadline - Date.now());
        const [echo] = await this._heartbeat.receive();
        if (echo?.equals(payload)) return true;
      }
      return false;
    } catch {
      return false; // EAGAIN on timeout, or closed
    }
  }

  /**
   * Resolves once a whole `quietMs` passed with no message read (or after `maxMs`): a kernel that
   * just exited may have sent its last messages (a cell's busy, its final output) that still wait in
   * the sockets' buffers, and they belong before the news of its death. Each check runs after the
   * loop's poll phase (setImmediate), so a host that was busy reads what is waiting before it judges.
   */
  settled(quietMs = 50, maxMs = 1000): Promise<void> {
    const started = Date.now();
    return new Promise((resolve) => {
      let seen = this._received;
      const check = () => setImmediate(() => {
        if (this._closed || this._received === seen || Date.now() - started >= maxMs) resolve();
        else {
          seen = this._received;
          setTimeout(check, quietMs);
        }
      });
      setTimeout(check, quietMs);
    });
  }

  /** Resolves when every read loop has ended (after dispose). */
  whenClosed(): Promise<void> {
    return Promise.all(this._loops).then(() => undefined);
  }

  private _enqueue(socket: zmq.Socket & { send(frames: Buffer[]): Promise<void> }, frames: Buffer[]): Promise<void> {
    const tail = this._sendTails.get(socket) ?? Promise.resolve();
    const sent = tail.then(() => socket.send(frames));
    this._sendTails.set(socket, sent.catch(() => undefined));
    return sent;
  }

  private async _readLoop(socket: zmq.Dealer | zmq.Subscriber, channel: Channel): Promise<void> {
    try {
      for await (const frames of socket) {
        this._received++;
        const msg = this.codec.deserialize(frames, channel);
        if (msg) this._messages.next(msg);
        else this._onDidDropMessage.fire({ channel });
      }
    } catch (error) {
      // A socket closed under a pending receive ends the loop; anything else is a real fault.
      if (!this._closed) this._messages.error(error);
    }
  }

  private _close(): void {
    if (this._closed) return;
    this._closed = true;
    for (const socket of [...Object.values(this._dealers), this._iopub, this._heartbeat]) socket.close();
    this._messages.complete();
  }
}
