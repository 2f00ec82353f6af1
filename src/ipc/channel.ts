import { Emitter, type Event } from '../base/event';
import { Disposable, type IDisposable, toDisposable } from '../base/lifecycle';
import { ErrorCode, QuireError } from '../errors';
import type { IMessagePassingProtocol } from './protocol';

/**
 * Numbered request/response RPC and event subscriptions over any IMessagePassingProtocol
 * (VS Code's ChannelClient/ChannelServer, simplified to JSON frames).
 */

/** What a channel exposes: method names with their maximum argument count, and event names. */
export interface ChannelDescriptor {
  readonly methods: Readonly<Record<string, number>>;
  readonly events: readonly string[];
}

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  details?: unknown;
}

export type RpcFrame =
  | { t: 'req'; id: number; ch: string; m: string; a: unknown[] }
  | { t: 'res'; id: number; r: unknown }
  | { t: 'err'; id: number; e: SerializedError }
  | { t: 'sub'; id: number; ch: string; ev: string }
  | { t: 'unsub'; id: number }
  | { t: 'evt'; id: number; d: unknown };

/**
 * What an error frame carries: name, message, code and details, never the stack (it shows the
 * host's source paths and internals to whatever page holds the connection).
 */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const { code, details } = error as Partial<QuireError>;
    return { name: error.name, message: error.message, ...(code !== undefined ? { code } : {}), ...(details !== undefined ? { details } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

export function deserializeError(e: SerializedError): Error {
  if (e.code) {
    const error = new QuireError(e.code as ErrorCode, e.message, e.details as Record<string, unknown> | undefined);
    error.name = e.name;
    return error;
  }
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

const PRESERIALIZED = Symbol.for('quire.preserializedJson');

/**
 * Attaches `json`, the exact JSON text of `value`, to it. A ChannelServer sends such a result as
 * that text instead of calling JSON.stringify on the value: a host can make the text of a large
 * result in a worker thread and keep its main thread free.
 */
export function withJson<T extends object>(value: T, json: string): T {
  Object.defineProperty(value, PRESERIALIZED, { value: json, enumerable: false });
  return value;
}

function attachedJson(value: unknown): string | undefined {
  const json = typeof value === 'object' && value !== null ? (value as { [PRESERIALIZED]?: unknown })[PRESERIALIZED] : undefined;
  return typeof json === 'string' ? json : undefined;
}

/** A service object as the server sees it: methods by name and `onX` events. */
type ServiceObject = Record<string, unknown>;

interface RegisteredChannel {
  descriptor: ChannelDescriptor;
  service: ServiceObject;
  validate?: (method: string, args: unknown[]) => string | undefined;
}

/**
 * Serves registered services to one client connection. It dispatches only to methods and events
 * named in the channel's descriptor: the generic pipe carries any name, so this is where the
 * "one method per message" safety is recovered.
 */
export class ChannelServer extends Disposable {
  private readonly _channels = new Map<string, RegisteredChannel>();
  private readonly _subscriptions = new Map<number, IDisposable>();

  constructor(private readonly _protocol: IMessagePassingProtocol) {
    super();
    this._register(_protocol.onMessage((data) => this._onMessage(data)));
    this._register(_protocol.onDidClose(() => this.dispose()));
    this._register(toDisposable(() => {
      for (const sub of this._subscriptions.values()) sub.dispose();
      this._subscriptions.clear();
    }));
  }

  registerChannel(
    name: string,
    descriptor: ChannelDescriptor,
    service: object,
    validate?: (method: string, args: unknown[]) => string | undefined,
  ): void {
    this._channels.set(name, { descriptor, service: service as ServiceObject, validate });
  }

  private _send(frame: RpcFrame): void {
    if (!this.isDisposed) this._protocol.send(JSON.stringify(frame));
  }

  private _onMessage(data: string): void {
    let frame: RpcFrame;
    try {
      frame = JSON.parse(data) as RpcFrame;
    } catch {
      return; // not ours; a protocol-level peer sent garbage
    }
    if (typeof frame !== 'object' || frame === null || typeof frame.id !== 'number') return;
    switch (frame.t) {
      case 'req':
        void this._onRequest(frame);
        break;
      case 'sub':
        this._onSubscribe(frame);
        break;
      case 'unsub':
        this._subscriptions.get(frame.id)?.dispose();
        this._subscriptions.delete(frame.id);
        break;
    }
  }

  private async _onRequest(frame: Extract<RpcFrame, { t: 'req' }>): Promise<void> {
    try {
      const channel = this._channels.get(frame.ch);
      const maxArgs = channel && Object.hasOwn(channel.descriptor.methods, frame.m) ? channel.descriptor.methods[frame.m] : undefined;
      if (!channel || maxArgs === undefined || frame.m.startsWith('_')) {
        throw new QuireError(ErrorCode.RpcUnknownMethod, `Unknown method ${frame.ch}.${frame.m}`);
      }
      if (!Array.isArray(frame.a) || frame.a.length > maxArgs) {
        throw new QuireError(ErrorCode.InvalidArgument, `${frame.ch}.${frame.m} takes at most ${maxArgs} argument(s)`);
      }
      const problem = channel.validate?.(frame.m, frame.a);
      if (problem) throw new QuireError(ErrorCode.InvalidArgument, `${frame.ch}.${frame.m}: ${problem}`);
      const method = channel.service[frame.m];
      if (typeof method !== 'function') throw new QuireError(ErrorCode.RpcUnknownMethod, `Not implemented: ${frame.ch}.${frame.m}`);
      const result: unknown = await (method as (...args: unknown[]) => unknown).apply(channel.service, frame.a);
      const json = attachedJson(result);
      if (json !== undefined) {
        if (!this.isDisposed) this._protocol.send(`{"t":"res","id":${frame.id},"r":${json}}`);
      } else {
        this._send({ t: 'res', id: frame.id, r: result === undefined ? null : result });
      }
    } catch (error) {
      this._send({ t: 'err', id: frame.id, e: serializeError(error) });
    }
  }

  private _onSubscribe(frame: Extract<RpcFrame, { t: 'sub' }>): void {
    const channel = this._channels.get(frame.ch);
    if (!channel || !channel.descriptor.events.includes(frame.ev) || !/^on[A-Z]/.test(frame.ev)) return;
    const event = channel.service[frame.ev] as Event<unknown> | undefined;
    if (typeof event !== 'function') return;
    this._subscriptions.get(frame.id)?.dispose();
    this._subscriptions.set(frame.id, event((d) => this._send({ t: 'evt', id: frame.id, d })));
  }
}

/** The calling side: promises for requests, and events whose upstream opens on first listener. */
export class ChannelClient extends Disposable {
  private _nextId = 1;
  private readonly _pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly _eventEmitters = new Map<number, Emitter<unknown>>();
  private _closed = false;
  private readonly _onDidClose = this._register(new Emitter<void>());
  readonly onDidClose = this._onDidClose.event;

  constructor(private readonly _protocol: IMessagePassingProtocol) {
    super();
    this._register(_protocol.onMessage((data) => this._onMessage(data)));
    this._register(_protocol.onDidClose(() => this._close()));
    this._register(toDisposable(() => this._close()));
  }

  call<R>(channel: string, method: string, args: unknown[]): Promise<R> {
    if (this._closed) return Promise.reject(new QuireError(ErrorCode.RpcClosed, 'The host connection is closed'));
    const id = this._nextId++;
    return new Promise<R>((resolve, reject) => {
      this._pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this._protocol.send(JSON.stringify({ t: 'req', id, ch: channel, m: method, a: args } satisfies RpcFrame));
    });
  }

  /** An event that subscribes upstream when its first listener arrives and unsubscribes after the last. */
  listen<T>(channel: string, event: string): Event<T> {
    let id = 0;
    const emitter: Emitter<T> = new Emitter<T>({
      onWillAddFirstListener: () => {
        if (this._closed) return;
        id = this._nextId++;
        this._eventEmitters.set(id, emitter as Emitter<unknown>);
        this._protocol.send(JSON.stringify({ t: 'sub', id, ch: channel, ev: event } satisfies RpcFrame));
      },
      onDidRemoveLastListener: () => {
        if (!id) return;
        this._eventEmitters.delete(id);
        if (!this._closed) this._protocol.send(JSON.stringify({ t: 'unsub', id } satisfies RpcFrame));
        id = 0;
      },
    });
    return emitter.event;
  }

  private _onMessage(data: string): void {
    let frame: RpcFrame;
    try {
      frame = JSON.parse(data) as RpcFrame;
    } catch {
      return;
    }
    switch (frame.t) {
      case 'res':
      case 'err': {
        const pending = this._pending.get(frame.id);
        if (!pending) return;
        this._pending.delete(frame.id);
        if (frame.t === 'res') pending.resolve(frame.r);
        else pending.reject(deserializeError(frame.e));
        break;
      }
      case 'evt':
        this._eventEmitters.get(frame.id)?.fire(frame.d);
        break;
    }
  }

  private _close(): void {
    if (this._closed) return;
    this._closed = true;
    for (const { reject } of this._pending.values()) {
      reject(new QuireError(ErrorCode.RpcClosed, 'The host connection closed before the call finished'));
    }
    this._pending.clear();
    this._eventEmitters.clear();
    this._onDidClose.fire();
  }
}
