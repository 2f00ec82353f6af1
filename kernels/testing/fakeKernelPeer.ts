/**
 * A fake kernel for deterministic tests: real ZeroMQ sockets bound on 127.0.0.1 (Routers for
 * shell/control/stdin, a Publisher for iopub, an echoing Router for heartbeat) that answer with
 * scripted messages. It can also send raw, e.g. forged, frames.
 */
import * as zmq from 'zeromq';
import { randomBytes } from 'node:crypto';
import type { BaseMessage, Channel, MessageHeader } from '../../src/jupyter/messages';
import { createMessage, type JupyterMessage } from '../../src/jupyter/messages';
import { WireCodec } from '../wire';
import type { ConnectionInfo } from '../zmqChannels';

type RouterChannel = 'shell' | 'control' | 'stdin';

/** Called for each request; use `peer.reply` / `peer.publish` to answer. */
export type FakeKernelHandler = (msg: BaseMessage, ids: Buffer[], peer: FakeKernelPeer) => void | Promise<void>;

export class FakeKernelPeer {
  readonly codec: WireCodec;
  readonly received: BaseMessage[] = [];
  private readonly _routers: Record<RouterChannel, zmq.Router>;
  private readonly _iopub = new zmq.Publisher({ linger: 0 });
  private readonly _hb = new zmq.Router({ linger: 0 });
  private _handler: FakeKernelHandler = () => undefined;
  private _closed = false;
  private readonly _loops: Promise<void>[] = [];

  private constructor(readonly info: ConnectionInfo) {
    this.codec = new WireCodec({ key: info.key, signatureScheme: info.signature_scheme });
    const router = () => new zmq.Router({ linger: 0 });
    this._routers = { shell: router(), control: router(), stdin: router() };
  }

  /** Binds every socket on random ports and starts answering. */
  static async start(handler?: FakeKernelHandler): Promise<FakeKernelPeer> {
    const peer = new FakeKernelPeer({
      transport: 'tcp', ip: '127.0.0.1', shell_port: 0, iopub_port: 0, stdin_port: 0, control_port: 0, hb_port: 0,
      key: randomBytes(32).toString('hex'), signature_scheme: 'hmac-sha256',
    });
    if (handler) peer._handler = handler;
    const bind = async (socket: zmq.Socket): Promise<number> => {
      await socket.bind('tcp://127.0.0.1:*');
      return Number(/:(\d+)$/.exec(socket.lastEndpoint ?? '')?.[1]);
    };
    peer.info.shell_port = await bind(peer._routers.shell);
    peer.info.control_port = await bind(peer._routers.control);
    peer.info.stdin_port = await bind(peer._routers.stdin);
    peer.info.iopub_port = await bind(peer._iopub);
    peer.info.hb_port = await bind(peer._hb);
    for (const channel of ['shell', 'control', 'stdin'] as const) peer._loops.push(peer._serve(channel));
    peer._loops.push(peer._echo());
    return peer;
  }

  set handler(handler: FakeKernelHandler) {
    this._handler = handler;
  }

  /** A message from the "kernel", parented to `parent`. */
  message(msgType: string, channel: Channel, content: unknown, parent?: MessageHeader): BaseMessage {
    return createMessage({ msgType, channel, content, session: 'fake-kernel', username: 'kernel', parentHeader: parent } as unknown as Parameters<typeof createMessage<JupyterMessage>>[0]) as BaseMessage;
  }

  /** Sends a reply on a router channel to the client identified by `ids`. */
  async reply(ids: Buffer[], msg: BaseMessage): Promise<void> {
    await this._routers[msg.channel as RouterChannel].send(this.codec.serialize(msg, ids));
  }

  async publish(msg: BaseMessage): Promise<void> {
    await this._iopub.send(this.codec.serialize(msg, [Buffer.from(msg.header.msg_type)]));
  }

  /** Sends raw frames on iopub (a topic frame first) or a router channel (routing ids first). */
  async sendRaw(channel: 'iopub' | RouterChannel, frames: Buffer[]): Promise<void> {
    if (channel === 'iopub') await this._iopub.send(frames);
    else await this._routers[channel].send(frames);
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    for (const socket of [...Object.values(this._routers), this._iopub, this._hb]) socket.close();
    await Promise.all(this._loops);
  }

  private async _serve(channel: RouterChannel): Promise<void> {
    try {
      for await (const frames of this._routers[channel]) {
        const at = frames.findIndex((f) => f.toString() === '<IDS|MSG>');
        const msg = this.codec.deserialize(frames, channel);
        if (!msg) continue;
        this.received.push(msg);
        await this._handler(msg, frames.slice(0, at), this);
      }
    } catch (error) {
      if (!this._closed) throw error;
    }
  }

  private async _echo(): Promise<void> {
    try {
      for await (const frames of this._hb) await this._hb.send(frames);
    } catch (error) {
      if (!this._closed) throw error;
    }
  }
}
