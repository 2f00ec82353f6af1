/**
 * Live KernelClients keyed by kernel id: an epic dependency, never Redux state. Each client
 * talks to its kernel through the host API (sendMessage / onDidReceiveMessages).
 */
import { Observable, share } from 'rxjs';
import type { HostApi, KernelId } from '../../../src/host/contract';
import { KernelClient, type KernelTransport } from '../../../src/jupyter/kernelClient';
import type { BaseMessage } from '../../../src/jupyter/messages';
import { Emitter, type Event } from '../../../src/base/event';
import type { IDisposable } from '../../../src/base/lifecycle';

/** A KernelTransport over the host API for one kernel id. */
export function hostKernelTransport(host: Pick<HostApi, 'kernels'>, kernelId: KernelId): KernelTransport {
  const messages$ = new Observable<BaseMessage>((subscriber) => {
    const listener = host.kernels.onDidReceiveMessages((e) => {
      if (e.kernelId !== kernelId) return;
      for (const msg of e.messages) subscriber.next(msg);
    });
    return () => listener.dispose();
  }).pipe(share());
  return { messages$, send: (msg) => host.kernels.sendMessage(kernelId, msg) };
}

export class KernelRegistry implements IDisposable {
  private readonly _clients = new Map<KernelId, KernelClient>();
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange: Event<void> = this._onDidChange.event;

  constructor(private readonly _create: (kernelId: KernelId) => KernelClient) {}

  static forHost(host: Pick<HostApi, 'kernels'>): KernelRegistry {
    return new KernelRegistry((id) => new KernelClient(hostKernelTransport(host, id)));
  }

  /** The client of a kernel, created on first use. */
  acquire(kernelId: KernelId): KernelClient {
    let client = this._clients.get(kernelId);
    if (!client) {
      client = this._create(kernelId);
      this._clients.set(kernelId, client);
      this._onDidChange.fire();
    }
    return client;
  }

  get(kernelId: KernelId | undefined): KernelClient | undefined {
    return kernelId === undefined ? undefined : this._clients.get(kernelId);
  }

  release(kernelId: KernelId): void {
    if (this._clients.delete(kernelId)) this._onDidChange.fire();
  }

  dispose(): void {
    this._clients.clear();
    this._onDidChange.dispose();
  }
}
