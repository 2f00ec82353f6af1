/**
 * The host's kernel service knows kernels only through the provider port: over an in-memory
 * provider (no process, no pid, no argv, like a remote one) the renderer's view through the host
 * RPC is the same — specs, start, execute in batches, status changes, KERNEL_NOT_FOUND.
 */
import { lastValueFrom, Observable, share, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IKernelService, KernelStatusEvent } from '../../src/host/contract';
import { kernelServiceDescriptor } from '../../src/host/channels';
import { ChannelClient, ChannelServer } from '../../src/ipc/channel';
import { createProtocolPair } from '../../src/ipc/protocol';
import { ProxyChannel } from '../../src/ipc/proxy';
import { KernelClient, type KernelTransport } from '../../src/jupyter/kernelClient';
import type { BaseMessage } from '../../src/jupyter/messages';
import { FakeKernelProvider } from '../testing/fakeKernelProvider';
import { KernelService } from './kernelService';

function rpcTransport(kernels: IKernelService, kernelId: string): KernelTransport {
  const messages$ = new Observable<BaseMessage>((subscriber) => {
    const listener = kernels.onDidReceiveMessages((e) => {
      if (e.kernelId === kernelId) for (const m of e.messages) subscriber.next(m);
    });
    return () => listener.dispose();
  }).pipe(share());
  return { send: (msg) => kernels.sendMessage(kernelId, msg), messages$ };
}

describe('KernelService over a non-local provider', () => {
  const provider = new FakeKernelProvider((code) => (code.startsWith('print ') ? { kind: 'ok', stdout: `${code.slice(6)}\n` } : { kind: 'ok' }));
  let service: KernelService;
  let kernels: IKernelService;
  let close: () => void;
  const statuses: KernelStatusEvent[] = [];

  beforeAll(() => {
    service = new KernelService(provider);
    const [serverEnd, clientEnd] = createProtocolPair();
    const server = new ChannelServer(serverEnd);
    ProxyChannel.fromService<IKernelService>(server, 'kernels', kernelServiceDescriptor, service);
    const rpc = new ChannelClient(clientEnd);
    kernels = ProxyChannel.toService<IKernelService>(rpc, 'kernels', kernelServiceDescriptor);
    kernels.onDidChangeStatus((e) => statuses.push(e));
    close = () => {
      rpc.dispose();
      server.dispose();
      serverEnd.close();
    };
  });
  afterAll(() => {
    close?.();
    service?.dispose();
  });

  it('lists specs without local fields, starts, executes, restarts and shuts down through the RPC', async () => {
    const [spec] = await kernels.listKernelSpecs();
    expect(spec).toMatchObject({ name: 'fakelang', status: 'ok' });
    expect(spec.argv).toBeUndefined();
    const running = await kernels.startKernel({ specName: 'fakelang', cwd: '/work' });
    expect(running).toMatchObject({ specName: 'fakelang', cwd: '/work', status: 'idle' });
    expect(running.pid).toBeUndefined();
    expect(await kernels.listKernels()).toEqual([running]);

    const client = new KernelClient(rpcTransport(kernels, running.id));
    const messages = await lastValueFrom(client.execute('print hello').pipe(toArray()));
    expect(messages.filter((m) => m.header.msg_type === 'stream').map((m) => (m.content as { text: string }).text)).toEqual(['hello\n']);
    expect((await client.kernelInfo()).content.implementation).toBe('fake');

    const terminated = new Promise<void>((resolve) => kernels.onDidChangeStatus((e) => e.kernelId === running.id && e.status === 'terminated' && resolve()));
    await kernels.restart(running.id);
    await kernels.shutdown(running.id);
    await terminated; // events cross the in-memory pipe after the reply
    expect(statuses.filter((s) => s.kernelId === running.id).map((s) => s.status)).toEqual(['restarting', 'idle', 'terminated']);
    expect(await kernels.listKernels()).toEqual([]);
    await expect(kernels.interrupt(running.id)).rejects.toMatchObject({ code: 'KERNEL_NOT_FOUND' });
  });

  it('kernels started on the provider by others (a run) are visible to the service', async () => {
    const handle = await provider.start('fakelang', { oneShot: true });
    expect((await kernels.listKernels()).map((k) => k.id)).toEqual([handle.id]);
    const seen = new Promise<BaseMessage[]>((resolve) => kernels.onDidReceiveMessages((e) => e.kernelId === handle.id && resolve(e.messages)));
    await new KernelClient({ send: (m) => handle.send(m), messages$: new Observable() }).send('kernel_info_request', {});
    expect((await seen).map((m) => m.header.msg_type)).toContain('kernel_info_reply');
    await handle.shutdown();
  });
});
