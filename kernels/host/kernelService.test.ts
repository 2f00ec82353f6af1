import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, lastValueFrom, Observable, share, tap, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IKernelService, KernelMessagesEvent, KernelStatusEvent, RunningKernel } from '../../src/host/contract';
import { kernelServiceDescriptor } from '../../src/host/channels';
import { ChannelClient, ChannelServer } from '../../src/ipc/channel';
import { createProtocolPair } from '../../src/ipc/protocol';
import { ProxyChannel } from '../../src/ipc/proxy';
import { KernelClient, type KernelTransport } from '../../src/jupyter/kernelClient';
import type { BaseMessage, MessageHeader } from '../../src/jupyter/messages';
import { KernelManager } from '../kernelManager';
import { LocalKernelProvider } from '../localKernelProvider';
import { pidAlive, requirePython3Spec } from '../testing/realKernel';
import { KernelService } from './kernelService';

/** What the renderer does: a KernelClient whose transport is the host RPC. */
function rpcTransport(kernels: IKernelService, kernelId: string): KernelTransport {
  const messages$ = new Observable<BaseMessage>((subscriber) => {
    const listener = kernels.onDidReceiveMessages((e) => {
      if (e.kernelId === kernelId) for (const m of e.messages) subscriber.next(m);
    });
    return () => listener.dispose();
  }).pipe(share());
  return { send: (msg) => kernels.sendMessage(kernelId, msg), messages$ };
}

describe('KernelService over the host RPC with a real ipykernel', () => {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'quire-runtime-'));
  let manager: KernelManager;
  let service: KernelService;
  let kernels: IKernelService;
  let running: RunningKernel;
  let client: KernelClient;
  const batches: KernelMessagesEvent[] = [];
  const statuses: KernelStatusEvent[] = [];
  let closeRpc: () => void;

  beforeAll(async () => {
    await requirePython3Spec();
    manager = new KernelManager({ runtimeDir, handleSignals: false, specSearch: { env: { PATH: process.env.PATH, JUPYTER_PATH: '', JUPYTER_DATA_DIR: '/nonexistent-quire-test' } } });
    service = new KernelService(new LocalKernelProvider(manager));
    const [serverEnd, clientEnd] = createProtocolPair();
    const server = new ChannelServer(serverEnd);
    ProxyChannel.fromService<IKernelService>(server, 'kernels', kernelServiceDescriptor, service);
    const rpc = new ChannelClient(clientEnd);
    kernels = ProxyChannel.toService<IKernelService>(rpc, 'kernels', kernelServiceDescriptor);
    kernels.onDidReceiveMessages((e) => batches.push(e));
    kernels.onDidChangeStatus((e) => statuses.push(e));
    closeRpc = () => {
      rpc.dispose();
      server.dispose();
      serverEnd.close();
    };
    running = await kernels.startKernel({ specName: 'python3' });
    client = new KernelClient(rpcTransport(kernels, running.id));
  });
  afterAll(() => {
    closeRpc?.();
    service?.dispose();
    manager?.dispose();
    rmSync(runtimeDir, { recursive: true, force: true });
  });

  it('lists specs and the running kernel as JSON data', async () => {
    const specs = await kernels.listKernelSpecs();
    expect(specs.find((s) => s.name === 'python3')).toMatchObject({ status: 'ok', source: 'system', language: 'python' });
    expect(running).toMatchObject({ specName: 'python3', status: 'idle', implementation: 'ipython', language: 'python' });
    expect(running.languageInfo?.name).toBe('python');
    expect(await kernels.listKernels()).toEqual([expect.objectContaining({ id: running.id, pid: running.pid })]);
  });

  it('executes through sendMessage and delivers replies and iopub in batches', async () => {
    const before = batches.length;
    const run$ = lastValueFrom(client.execute('for i in range(300):\n    print(i, flush=True)').pipe(toArray()));
    // Hold the host's event loop while the kernel floods, as a busy host would: the messages pile
    // up in the sockets and must then leave in a few batches, not one event per message.
    await firstValueFrom(client.messages$.pipe(filter((m) => m.header.msg_type === 'stream')));
    const until = Date.now() + 500;
    while (Date.now() < until) { /* busy */ }
    const messages = await run$;
    const text = messages.filter((m) => m.header.msg_type === 'stream').map((m) => (m.content as { text: string }).text).join('');
    expect(text).toBe(Array.from({ length: 300 }, (_, i) => `${i}\n`).join(''));
    const mine = batches.slice(before).filter((b) => b.kernelId === running.id);
    const delivered = mine.flatMap((b) => b.messages);
    expect(delivered.length).toBeGreaterThanOrEqual(messages.length);
    // Batching: far fewer events than the 300 prints, and the prints that piled up in one tick
    // travel as one stream message each run (the text above is still every line, in order).
    expect(mine.length).toBeLessThan(150);
    expect(delivered.filter((m) => m.header.msg_type === 'stream').length).toBeLessThan(150);
  });

  it('carries binary buffers as base64 strings', async () => {
    const messages = await lastValueFrom(client.execute('from ipykernel.comm import Comm\nc = Comm(target_name="quire.test", data={"x": 1}, buffers=[b"abc", bytes([0, 255])])').pipe(toArray()));
    const open = messages.find((m) => m.header.msg_type === 'comm_open');
    expect(open?.buffers).toEqual(['YWJj', 'AP8=']);
    // And back: a comm_msg with a base64 buffer reaches the kernel as bytes.
    const commId = (open?.content as { comm_id: string }).comm_id;
    await lastValueFrom(client.execute(`got = []\nc.on_msg(lambda m: got.append(bytes(m["buffers"][0])))`).pipe(toArray()));
    await client.send('comm_msg', { comm_id: commId, data: {} }, 'shell', { buffers: ['3q2+7w==' as unknown as ArrayBuffer] });
    const check = await lastValueFrom(client.execute('import time\nfor _ in range(50):\n    if got: break\n    time.sleep(0.02)\nprint(got[0].hex())').pipe(toArray()));
    expect(check.filter((m) => m.header.msg_type === 'stream').map((m) => (m.content as { text: string }).text).join('')).toBe('deadbeef\n');
  });

  it('answers input() with an input_reply on the stdin socket', async () => {
    const messages = await lastValueFrom(client.execute('print(input("n? ") * 2)').pipe(
      tap((m) => {
        if (m.header.msg_type === 'input_request') void client.inputReply('ab', m.header as MessageHeader);
      }),
      toArray(),
    ));
    expect(messages.find((m) => m.header.msg_type === 'input_request')?.channel).toBe('stdin');
    expect(messages.filter((m) => m.header.msg_type === 'stream').map((m) => (m.content as { text: string }).text).join('')).toBe('abab\n');
  });

  it('rejects messages for iopub and unknown kernels', async () => {
    const iopub = { channel: 'iopub', header: { msg_id: 'x', msg_type: 'stream' }, parent_header: {}, metadata: {}, content: {} } as unknown as BaseMessage;
    await expect(kernels.sendMessage(running.id, iopub)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(kernels.sendMessage('no-such-kernel', { ...iopub, channel: 'shell' })).rejects.toMatchObject({ code: 'KERNEL_NOT_FOUND' });
    await expect(kernels.interrupt('no-such-kernel')).rejects.toMatchObject({ code: 'KERNEL_NOT_FOUND' });
  });

  it('messages a kernel sent before it died arrive before its death does', async () => {
    const doomed = await kernels.startKernel({ specName: 'python3' });
    const log: string[] = [];
    const onMessages = kernels.onDidReceiveMessages((e) => { if (e.kernelId === doomed.id) log.push(...e.messages.map((m) => m.header.msg_type)); });
    const onStatus = kernels.onDidChangeStatus((e) => { if (e.kernelId === doomed.id) log.push(`status:${e.status}`); });
    const dead = new Promise<void>((resolve) => kernels.onDidChangeStatus((e) => { if (e.kernelId === doomed.id && e.status === 'dead') resolve(); }));
    try {
      const doomedClient = new KernelClient(rpcTransport(kernels, doomed.id));
      // Prints in quick succession (the later ones wait for the next batch), then the process ends.
      doomedClient.execute('import os, sys\nfor i in range(200):\n    print(i, flush=True)\nsys.stdout.flush()\nos._exit(3)').subscribe({ error: () => undefined });
      await dead;
      await new Promise((r) => setTimeout(r, 100)); // anything still in flight would land now
      onMessages.dispose();
      onStatus.dispose();
      expect(log).toContain('stream');
      expect(log.indexOf('status:dead')).toBe(log.length - 1);
    } finally {
      await kernels.shutdown(doomed.id);
    }
  });

  it('restart and shutdown report status changes; the process is gone afterwards', async () => {
    const restarted = await kernels.restart(running.id);
    expect(restarted.status).toBe('idle');
    expect(restarted.pid).not.toBe(running.pid);
    await kernels.shutdown(running.id);
    await new Promise((r) => setTimeout(r, 20)); // events cross the async in-memory pipe
    const seen = statuses.filter((s) => s.kernelId === running.id).map((s) => s.status);
    expect(seen).toContain('restarting');
    expect(seen.at(-1)).toBe('terminated');
    expect(pidAlive(restarted.pid!)).toBe(false);
    expect(await kernels.listKernels()).toEqual([]);
  });
});
