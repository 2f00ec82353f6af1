/**
 * The Jupyter wire protocol: a message is a multipart ZeroMQ message
 *   [routing ids..., '<IDS|MSG>', signature, header, parent_header, metadata, content, buffers...]
 * signed with HMAC over the four JSON frames (https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { BaseMessage, Channel } from '../src/jupyter/messages';
import { decodeBase64 } from '../src/ipc/protocol';

export const DELIMITER = '<IDS|MSG>';
const DELIMITER_BYTES = Buffer.from(DELIMITER);

/** Why a multipart message was not accepted. */
export type WireRejection = 'bad-signature' | 'no-delimiter' | 'too-few-frames' | 'bad-json';

export interface WireCodecOptions {
  /** The connection file's key; an empty key disables signing, as Jupyter allows. */
  key: string;
  /** Only `hmac-sha256` is produced by our launcher; other `hmac-*` digests from foreign files work too. */
  signatureScheme?: string;
}

/**
 * Serializes and verifies messages for one connection. Messages with a wrong signature (or that
 * are malformed) are DROPPED and COUNTED: a peer that cannot sign is not a peer we talk to.
 */
export class WireCodec {
  private readonly _key: Buffer;
  private readonly _digest: string;
  private _rejected = 0;
  private readonly _rejectedBy = new Map<WireRejection, number>();

  constructor(options: WireCodecOptions) {
    this._key = Buffer.from(options.key, 'utf8');
    const scheme = options.signatureScheme ?? 'hmac-sha256';
    if (!scheme.startsWith('hmac-')) throw new Error(`Unsupported signature scheme '${scheme}'`);
    this._digest = scheme.slice('hmac-'.length);
  }

  /** How many incoming messages were dropped (all reasons). */
  get droppedCount(): number {
    return this._rejected;
  }

  /** Dropped messages by reason, e.g. `bad-signature`. */
  droppedBy(reason: WireRejection): number {
    return this._rejectedBy.get(reason) ?? 0;
  }

  /** HMAC hex digest of the given frames ('' when signing is off). */
  sign(frames: readonly Buffer[]): string {
    if (this._key.length === 0) return '';
    const hmac = createHmac(this._digest, this._key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest('hex');
  }

  /** Frames for `msg`, without routing ids (a Dealer adds its own identity). */
  serialize(msg: BaseMessage, ids: readonly Buffer[] = []): Buffer[] {
    const parts = [
      Buffer.from(JSON.stringify(msg.header)),
      Buffer.from(JSON.stringify(msg.parent_header ?? {})),
      Buffer.from(JSON.stringify(msg.metadata ?? {})),
      Buffer.from(JSON.stringify(msg.content ?? {})),
    ];
    const buffers = (msg.buffers ?? []).map(toBuffer);
    return [...ids, DELIMITER_BYTES, Buffer.from(this.sign(parts)), ...parts, ...buffers];
  }

  /**
   * Parses and verifies a multipart message; returns undefined (and counts it) when it is
   * unsigned, forged or malformed. `channel` is the socket it arrived on.
   */
  deserialize(frames: readonly Buffer[], channel: Channel): BaseMessage | undefined {
    const at = frames.findIndex((f) => f.length === DELIMITER_BYTES.length && f.equals(DELIMITER_BYTES));
    if (at < 0) return this._reject('no-delimiter');
    if (frames.length < at + 6) return this._reject('too-few-frames');
    const signature = frames[at + 1];
    const parts = frames.slice(at + 2, at + 6);
    if (this._key.length > 0) {
      const expected = Buffer.from(this.sign(parts));
      // timingSafeEqual throws on unequal lengths; the length itself is not secret.
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return this._reject('bad-signature');
    }
    try {
      const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString('utf8')));
      const buffers = frames.slice(at + 6).map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
      return { channel, header, parent_header: parent ?? {}, metadata: metadata ?? {}, content: content ?? {}, buffers };
    } catch {
      return this._reject('bad-json');
    }
  }

  private _reject(reason: WireRejection): undefined {
    this._rejected++;
    this._rejectedBy.set(reason, (this._rejectedBy.get(reason) ?? 0) + 1);
    return undefined;
  }
}

/** Buffers travel as ArrayBuffers in-process and as base64 strings over the host RPC. */
function toBuffer(buffer: ArrayBuffer | ArrayBufferView | string): Buffer {
  if (typeof buffer === 'string') return Buffer.from(decodeBase64(buffer));
  if (ArrayBuffer.isView(buffer)) return Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return Buffer.from(buffer);
}
