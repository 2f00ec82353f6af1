/**
 * A host client over the real WebSocket transport, as a page of `quire serve` is one (the `ws`
 * package in Node instead of the browser's WebSocket; the same RPC frames, token and Origin), and
 * helpers to gate tests on the events it receives.
 */
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import type { Event } from '../../src/base/event';
import type { HostApi, KernelId, KernelMessagesEvent } from '../../src/host/contract';
import { connectHostClient } from '../../src/host/channels';
import { createMessage, type BaseMessage, type ExecuteRequestMsg } from '../../src/jupyter/messages';
import { webSocketProtocol } from '../server/hostServer';

export interface TestHostClient {
  remote: HostApi;
  /** Closes the socket; resolves once it is closed on this side. */
  close(): Promise<void>;
}

/** Connects to `ws://127.0.0.1:PORT/rpc?token=…` with the server's Origin, as the page would. */
export async function connectTestClient(server: { port: number; token: string; origin: string }): Promise<TestHostClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { origin: server.origin });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const transport = webSocketProtocol(ws);
  const { host: remote, client } = connectHostClient(transport.protocol, { native: false, lifecycle: true });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  return {
    remote,
    close: async () => {
      ws.close();
      await closed;
      client.dispose();
      transport.dispose();
    },
  };
}

/** Everything an event delivered, and a way to wait (with a deadline) for one that matches. */
export interface Recorder<T> {
  readonly items: T[];
  until(predicate: (item: T) => boolean, what: string, ms?: number): Promise<T>;
  dispose(): void;
}

export function record<T>(event: Event<T>): Recorder<T> {
  const items: T[] = [];
  const waiters = new Set<{ predicate: (item: T) => boolean; resolve: (item: T) => void }>();
  const sub = event((item) => {
    items.push(item);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(item)) {
        waiters.delete(waiter);
        waiter.resolve(item);
      }
    }
  });
  return {
    items,
    until(predicate, what, ms = 60_000) {
      const found = items.find(predicate);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`Timed out after ${ms} ms waiting for ${what}`));
        }, ms);
        const waiter = { predicate, resolve: (item: T) => { clearTimeout(timer); resolve(item); } };
        waiters.add(waiter);
      });
    },
    dispose: () => sub.dispose(),
  };
}

export const parentId = (msg: BaseMessage): string | undefined => (msg.parent_header as { msg_id?: string } | undefined)?.msg_id;

/** An execute_request for `code` (its msg_id is the request's id). */
export function executeRequest(code: string): ExecuteRequestMsg {
  return createMessage<ExecuteRequestMsg>({
    channel: 'shell', msgType: 'execute_request', session: 'two-clients',
    content: { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
  });
}

/**
 * Sends `code` to `kernelId` through `remote` and resolves with the messages (of every kernel) this
 * client's recorder got whose parent is the request, once the kernel went idle after it. The
 * recorder must already be subscribed (and the subscription known to the host: a call after it).
 */
export async function execute(remote: HostApi, messages: Recorder<KernelMessagesEvent>, kernelId: KernelId, code: string): Promise<{ request: ExecuteRequestMsg; replies: BaseMessage[] }> {
  const request = executeRequest(code);
  const idle = messages.until((e) => e.messages.some((m) => parentId(m) === request.header.msg_id && m.header.msg_type === 'status'
    && (m.content as { execution_state?: string }).execution_state === 'idle'), `kernel ${kernelId} to go idle after ${JSON.stringify(code.slice(0, 40))}`);
  await remote.kernels.sendMessage(kernelId, request);
  await idle;
  const replies = messages.items.flatMap((e) => e.messages).filter((m) => parentId(m) === request.header.msg_id);
  return { request, replies };
}

/** The text a list of messages printed (stream messages). */
export const streamText = (messages: BaseMessage[]) => messages.filter((m) => m.header.msg_type === 'stream').map((m) => (m.content as { text: string }).text).join('');

/** True while the process exists and is not a zombie (Linux /proc; a zombie no longer runs). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
