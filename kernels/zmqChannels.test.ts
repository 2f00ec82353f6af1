import { filter, firstValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { KernelClient } from '../src/jupyter/kernelClient';
import type { MessageHeader } from '../src/jupyter/messages';
import { FakeKernelPeer } from './testing/fakeKernelPeer';
import { waitForReady } from './kernelHandshake';
import { WireCodec } from './wire';
import { ZmqChannels } from './zmqChannels';

/** A fake kernel that runs "execute" by publishing busy, a stream, the reply and idle. */
async function startFake(): Promise<FakeKernelPeer> {
  return FakeKernelPeer.start(async (msg, ids, peer) => {
    const parent = msg.header as MessageHeader;
    if (msg.header.msg_type === 'execute_request') {
      await peer.publish(peer.message('status', 'iopub', { execution_state: 'busy' }, parent));
      await peer.publish(peer.message('stream', 'iopub', { name: 'stdout', text: 'out\n' }, parent));
      await peer.reply(ids, peer.message('execute_reply', 'shell', { status: 'ok', execution_count: 1 }, parent));
      await peer.publish(peer.message('status', 'iopub', { execution_state: 'idle' }, parent));
    } else if (msg.header.msg_type === 'kernel_info_request') {
      await peer.publish(peer.message('status', 'iopub', { execution_state: 'busy' }, parent));
      await peer.reply(ids, peer.message('kernel_info_reply', msg.channel, { status: 'ok', implementation: 'fake' }, parent));
    }
  });
}

describe('ZmqChannels against a fake ZeroMQ kernel', () => {
  let peer: FakeKernelPeer | undefined;
  let channels: ZmqChannels | undefined;
  afterEach(async () => {
    channels?.dispose();
    await channels?.whenClosed();
    await peer?.close();
  });

  async function connect(): Promise<{ peer: FakeKernelPeer; channels: ZmqChannels; client: KernelClient }> {
    peer = await startFake();
    channels = new ZmqChannels(peer.info, { identity: 'client-1' });
    const client = new KernelClient(channels, { session: 'client-1' });
    // A Subscriber joins late (ZeroMQ's slow joiner): the handshake waits until iopub is live.
    await waitForReady(client, { timeoutMs: 5000 });
    return { peer, channels, client };
  }

  it('carries requests on shell/control and collects iopub children until reply + idle', async () => {
    const { peer, client } = await connect();
    const messages = await firstValueFrom(client.execute('print("out")').pipe(toArray()));
    // Order holds within a socket; shell and iopub are separate sockets, so the reply may come anywhere.
    expect(messages.filter((m) => m.channel === 'iopub').map((m) => m.header.msg_type)).toEqual(['status', 'stream', 'status']);
    expect(messages.filter((m) => m.channel === 'shell').map((m) => m.header.msg_type)).toEqual(['execute_reply']);
    const info = await client.request('kernel_info_request', {}, 'control');
    expect(info.channel).toBe('control');
    expect(peer.received.slice(-2).map((m) => `${m.channel}:${m.header.msg_type}`)).toEqual(['shell:execute_request', 'control:kernel_info_request']);
  });

  it('settled() waits until what the peer sent has been read (a dead kernel\'s last output comes before its death)', async () => {
    const { peer, channels, client } = await connect();
    const total = 3000;
    let read = 0;
    const first = new Promise<void>((resolve) => client.messages$.subscribe((m) => {
      if (m.header.msg_type !== 'stream') return;
      read++;
      if (read === 1) resolve();
    }));
    const burst = (async () => {
      for (let i = 0; i < total; i++) await peer.publish(peer.message('stream', 'iopub', { name: 'stdout', text: `line ${i}\n` }));
    })();
    await first;
    await channels.settled(50, 30_000);
    await burst;
    expect(read).toBe(total);
  });

  it('drops and counts a message with a forged signature (shell and iopub)', async () => {
    const { peer, channels, client } = await connect();
    const dropped = firstValueFrom(client.messages$.pipe(toArray()));
    const drops: string[] = [];
    channels.onDidDropMessage((e) => drops.push(e.channel));
    const forger = new WireCodec({ key: 'not-the-key' });
    const fake = peer.message('stream', 'iopub', { name: 'stdout', text: 'forged' });
    await peer.sendRaw('iopub', [Buffer.from('stream'), ...forger.serialize(fake)]);
    const shellForgery = peer.message('execute_reply', 'shell', { status: 'ok' });
    await peer.sendRaw('shell', [Buffer.from('client-1'), ...forger.serialize(shellForgery)]);
    // Correctly signed messages after the forgeries, on both sockets, prove the loops kept reading.
    const genuine = peer.message('stream', 'iopub', { name: 'stdout', text: 'genuine' });
    const genuineReply = peer.message('comm_info_reply', 'shell', { status: 'ok', comms: {} });
    const sawGenuine = firstValueFrom(client.messages$.pipe(filter((m) => m.header.msg_id === genuine.header.msg_id)));
    const sawGenuineReply = firstValueFrom(client.messages$.pipe(filter((m) => m.header.msg_id === genuineReply.header.msg_id)));
    await peer.publish(genuine);
    await peer.reply([Buffer.from('client-1')], genuineReply);
    await Promise.all([sawGenuine, sawGenuineReply]);
    expect(channels.codec.droppedBy('bad-signature')).toBe(2);
    expect(drops.sort()).toEqual(['iopub', 'shell']);
    channels.dispose();
    const seen = await dropped;
    expect(seen.some((m) => (m.content as { text?: string }).text === 'forged')).toBe(false);
  });

  it('heartbeat answers while connected, misses when suspended or the peer is gone; read loops end on dispose', async () => {
    const { peer, channels } = await connect();
    expect(await channels.ping(1000)).toBe(true);
    channels.suspend(); // disconnected: nothing reaches the peer
    expect(await channels.ping(200)).toBe(false);
    channels.resume();
    expect(await channels.ping(2000)).toBe(true);
    await peer.close();
    expect(await channels.ping(200)).toBe(false);
    channels.dispose();
    await channels.whenClosed(); // resolves: loops ended cleanly
    await expect(channels.send(peer.message('kernel_info_request', 'shell', {}))).rejects.toThrow(/closed/);
  });
});

describe('waitForReady', () => {
  it('times out with KERNEL_START_TIMEOUT when nothing answers, re-asking meanwhile', async () => {
    const peer = await FakeKernelPeer.start(); // answers nothing
    const channels = new ZmqChannels(peer.info, { identity: 'silent' });
    try {
      const client = new KernelClient(channels);
      await expect(waitForReady(client, { timeoutMs: 350, resendMs: 100 })).rejects.toMatchObject({ code: 'KERNEL_START_TIMEOUT' });
      const asked = peer.received.filter((m) => m.header.msg_type === 'kernel_info_request').length;
      expect(asked).toBeGreaterThanOrEqual(3);
    } finally {
      channels.dispose();
      await peer.close();
    }
  });

  it('rejects with the abort reason when aborted before or during the wait', async () => {
    const peer = await FakeKernelPeer.start();
    const channels = new ZmqChannels(peer.info, { identity: 'aborted' });
    try {
      const client = new KernelClient(channels);
      await expect(waitForReady(client, { timeoutMs: 5000, signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('gone');
      const controller = new AbortController();
      const waiting = waitForReady(client, { timeoutMs: 5000, signal: controller.signal });
      controller.abort(new Error('exited'));
      await expect(waiting).rejects.toThrow('exited');
    } finally {
      channels.dispose();
      await peer.close();
    }
  });
});
