/**
 * A HostApi that outlives its connection: when the socket to `quire serve` closes, calls fail
 * with RPC_CLOSED (never hang), the state goes to 'lost', and it retries the same URL with
 * back-off; when a new socket opens, calls and event subscriptions go to it. Epics and the
 * kernel registry keep the one HostApi object they were given.
 */
import { Emitter, type Event } from '../../src/base/event';
import type { IDisposable } from '../../src/base/lifecycle';
import { ErrorCode, QuireError } from '../../src/errors';
import type { HostApi } from '../../src/host/contract';
import { connectHostClient, fileServiceDescriptor, kernelServiceDescriptor, lifecycleDescriptor, runServiceDescriptor, settingsServiceDescriptor } from '../../src/host/channels';
import type { ChannelDescriptor } from '../../src/ipc/channel';
import type { IMessagePassingProtocol } from '../../src/ipc/protocol';

export type ConnectionState = 'connected' | 'lost';

export type Transport = IMessagePassingProtocol & IDisposable;

export interface HostConnection {
  readonly state: ConnectionState;
  readonly onDidChangeState: Event<ConnectionState>;
  /** Closes the socket on purpose (the host asked to shut down); reconnecting goes on. */
  disconnect(): void;
  /** Stops reconnecting and closes the socket for good. */
  dispose(): void;
}

export interface ReconnectOptions {
  /** Milliseconds before each retry; the last repeats. */
  delays?: number[];
  setTimeout?: (fn: () => void, ms: number) => unknown;
}

const DEFAULT_DELAYS = [250, 500, 1_000, 2_000, 4_000, 8_000];

type ServiceName = 'kernels' | 'files' | 'runs' | 'settings' | 'lifecycle';
const services: Record<ServiceName, ChannelDescriptor> = {
  kernels: kernelServiceDescriptor, files: fileServiceDescriptor, runs: runServiceDescriptor, settings: settingsServiceDescriptor, lifecycle: lifecycleDescriptor,
};

export function createReconnectingHost(first: Transport, connect: () => Promise<Transport>, options: ReconnectOptions = {}): { host: HostApi; connection: HostConnection } {
  const delays = options.delays ?? DEFAULT_DELAYS;
  const later = options.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
  const onDidChangeState = new Emitter<ConnectionState>();
  const relays: Array<() => void> = [];
  let current: { host: HostApi; transport: Transport } | undefined;
  let state: ConnectionState = 'connected';
  let attempt = 0;
  let disposed = false;

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    onDidChangeState.fire(next);
  };

  const attach = (transport: Transport) => {
    if (disposed) {
      transport.dispose();
      return;
    }
    const { host, client } = connectHostClient(transport, { native: false, lifecycle: true });
    current = { host, transport };
    client.onDidClose(() => {
      if (current?.transport !== transport || disposed) return;
      current = undefined;
      setState('lost');
      retry();
    });
    for (const resubscribe of relays) resubscribe();
    attempt = 0;
    setState('connected');
  };

  const retry = () => {
    const delay = delays[Math.min(attempt, delays.length - 1)];
    attempt += 1;
    later(() => {
      if (!disposed) connect().then(attach, retry);
    }, delay);
  };

  const facade = (name: ServiceName, descriptor: ChannelDescriptor) => {
    const service: Record<string, unknown> = {};
    for (const method of Object.keys(descriptor.methods)) {
      service[method] = (...args: unknown[]) => {
        const target = current?.host[name] as Record<string, (...a: unknown[]) => Promise<unknown>> | undefined;
        return target ? target[method](...args) : Promise.reject(new QuireError(ErrorCode.RpcClosed, 'The connection to the Quire host is lost'));
      };
    }
    for (const event of descriptor.events) {
      let upstream: IDisposable | undefined;
      const subscribe = () => {
        upstream?.dispose();
        const source = (current?.host[name] as Record<string, Event<unknown>> | undefined)?.[event];
        upstream = source?.((e) => emitter.fire(e));
      };
      const emitter: Emitter<unknown> = new Emitter<unknown>({
        onWillAddFirstListener: subscribe,
        onDidRemoveLastListener: () => { upstream?.dispose(); upstream = undefined; },
      });
      relays.push(() => { if (emitter.hasListeners) subscribe(); });
      service[event] = emitter.event;
    }
    return service;
  };

  const host = {
    kernels: facade('kernels', services.kernels),
    files: facade('files', services.files),
    runs: facade('runs', services.runs),
    settings: facade('settings', services.settings),
    lifecycle: facade('lifecycle', services.lifecycle),
  } as unknown as HostApi;
  attach(first);

  return {
    host,
    connection: {
      get state() { return state; },
      onDidChangeState: onDidChangeState.event,
      disconnect: () => current?.transport.dispose(),
      dispose: () => {
        disposed = true;
        current?.transport.dispose();
        current = undefined;
      },
    },
  };
}
