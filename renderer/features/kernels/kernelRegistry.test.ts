/**
 * The host tells every client about every kernel (kernels/server/hostTwoClients.test.ts): a page
 * acts only on the kernels it holds. Its KernelClients see only their kernel's messages, also the
 * ones no request of theirs caused (status, comm and display updates).
 */
import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../src/base/event';
import type { HostApi, KernelMessagesEvent } from '../../../src/host/contract';
import { createMessage, type BaseMessage } from '../../../src/jupyter/messages';
import { hostKernelTransport, KernelRegistry } from './kernelRegistry';

const status = (state: string, parent?: BaseMessage): BaseMessage => createMessage({
  channel: 'iopub', msgType: 'status', session: 's', content: { execution_state: state }, ...(parent ? { parentHeader: parent.header } : {}),
} as never);

function hostOf(messages: Emitter<KernelMessagesEvent>, sent: Array<[string, BaseMessage]>): Pick<HostApi, 'kernels'> {
  return {
    kernels: {
      onDidReceiveMessages: messages.event,
      sendMessage: async (kernelId: string, msg: BaseMessage) => { sent.push([kernelId, msg]); },
    } as unknown as HostApi['kernels'],
  };
}

describe('hostKernelTransport with the host broadcasting every kernel', () => {
  it('passes on only its own kernel\'s messages, and sends only to its own kernel', async () => {
    const messages = new Emitter<KernelMessagesEvent>();
    const sent: Array<[string, BaseMessage]> = [];
    const host = hostOf(messages, sent);
    const mine = hostKernelTransport(host, 'k-mine');
    const got: BaseMessage[] = [];
    const sub = mine.messages$.subscribe((m) => got.push(m));
    const own = status('busy');
    messages.fire({ kernelId: 'k-other', messages: [status('busy'), status('idle')] });
    messages.fire({ kernelId: 'k-mine', messages: [own] });
    messages.fire({ kernelId: 'k-other', messages: [status('starting')] });
    expect(got).toEqual([own]);
    await mine.send(status('x'));
    expect(sent.map(([id]) => id)).toEqual(['k-mine']);
    sub.unsubscribe();
  });

  it('an execution completes on its own kernel\'s idle, not on another kernel\'s message with the same parent', async () => {
    const messages = new Emitter<KernelMessagesEvent>();
    const sent: Array<[string, BaseMessage]> = [];
    const registry = KernelRegistry.forHost(hostOf(messages, sent));
    const client = registry.acquire('k-mine');
    const done = firstValueFrom(client.execute('1').pipe(toArray()));
    await Promise.resolve();
    const request = sent[0][1];
    // Another client's kernel answering the same msg_id (a copied request) must not count.
    messages.fire({ kernelId: 'k-other', messages: [status('idle', request)] });
    const reply = createMessage({ channel: 'shell', msgType: 'execute_reply', session: 's', parentHeader: request.header, content: { status: 'ok', execution_count: 1 } } as never) as BaseMessage;
    const idle = status('idle', request);
    messages.fire({ kernelId: 'k-mine', messages: [reply, idle] });
    expect(await done).toEqual([reply, idle]);
  });
});
