import type { Event } from '../base/event';
import type { ChannelClient, ChannelDescriptor, ChannelServer } from './channel';

/**
 * What a service looks like across the RPC: methods return promises, `onX` members are events,
 * and anything else is `never` — so a non-remotable member is a compile error where it is used.
 */
export type Remote<T> = {
  [K in keyof T]: K extends `on${string}`
    ? T[K] extends Event<infer E> ? Event<E> : never
    : T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<R> : never;
};

/** Compile-time check that every member of T survives `Remote<T>` unchanged. */
export type IsRemotable<T> = { [K in keyof T]: Remote<T>[K] extends never ? K : never }[keyof T] extends never ? true : false;
export function assertRemotable<T>(_check: IsRemotable<T> extends true ? true : never): void {}

export type MethodKeys<T> = { [K in keyof T]: K extends `on${string}` ? never : K }[keyof T] & string;
export type EventKeys<T> = { [K in keyof T]: K extends `on${string}` ? K : never }[keyof T] & string;

/** A descriptor that names exactly the methods and events of T (checked by `satisfies`). */
export interface TypedChannelDescriptor<T> extends ChannelDescriptor {
  readonly methods: { readonly [K in MethodKeys<T>]-?: number };
  readonly events: readonly EventKeys<T>[];
}

export namespace ProxyChannel {
  /** Builds a client-side service object from the descriptor's runtime method and event lists. */
  export function toService<T>(client: ChannelClient, channel: string, descriptor: TypedChannelDescriptor<T>): Remote<T> {
    const service: Record<string, unknown> = {};
    for (const method of Object.keys(descriptor.methods)) {
      service[method] = (...args: unknown[]) => client.call(channel, method, args);
    }
    for (const event of descriptor.events) {
      service[event] = client.listen(channel, event);
    }
    return service as Remote<T>;
  }

  /** Registers a service implementation on a server under the descriptor's allow-list. */
  export function fromService<T extends object>(
    server: ChannelServer,
    channel: string,
    descriptor: TypedChannelDescriptor<T>,
    service: T,
    validate?: (method: string, args: unknown[]) => string | undefined,
  ): void {
    server.registerChannel(channel, descriptor, service, validate);
  }
}
