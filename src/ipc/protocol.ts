import { Emitter, type Event } from '../base/event';
import type { IDisposable } from '../base/lifecycle';

/**
 * A bidirectional message pipe. Transports (in-memory, Electron IPC, WebSocket) implement only
 * this; the RPC layer on top is written once. Frames are JSON text: Jupyter binary buffers are
 * sent base64-encoded inside the JSON (decided once, here), since they are rare and small.
 */
export interface IMessagePassingProtocol {
  send(data: string): void;
  readonly onMessage: Event<string>;
  readonly onDidClose: Event<void>;
}

/** One end of an in-memory pipe; `close()` ends both sides. */
export interface IClosableProtocol extends IMessagePassingProtocol, IDisposable {
  close(): void;
}

/** Two connected in-memory protocol ends, for tests and same-process hosts. Delivery is async. */
export function createProtocolPair(): [IClosableProtocol, IClosableProtocol] {
  const makeEnd = () => ({ message: new Emitter<string>(), close: new Emitter<void>() });
  const a = makeEnd();
  const b = makeEnd();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    a.close.fire();
    b.close.fire();
    a.message.dispose();
    b.message.dispose();
  };
  const end = (self: ReturnType<typeof makeEnd>, other: ReturnType<typeof makeEnd>): IClosableProtocol => ({
    send(data) {
      if (closed) return;
      void Promise.resolve().then(() => {
        if (!closed) other.message.fire(data);
      });
    },
    onMessage: self.message.event,
    onDidClose: self.close.event,
    close,
    dispose: close,
  });
  return [end(a, b), end(b, a)];
}

/** Base64 helpers that work without Node's Buffer or the DOM's btoa typings. */
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += alphabet[(n >> 18) & 63] + alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.length ? alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? alphabet[n & 63] : '=';
  }
  return out;
}
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const n = (alphabet.indexOf(clean[i]) << 18) | (alphabet.indexOf(clean[i + 1]) << 12) |
      ((alphabet.indexOf(clean[i + 2] ?? 'A') & 63) << 6) | (alphabet.indexOf(clean[i + 3] ?? 'A') & 63);
    out[o++] = (n >> 16) & 255;
    if (i + 2 < clean.length) out[o++] = (n >> 8) & 255;
    if (i + 3 < clean.length) out[o++] = n & 255;
  }
  return out.subarray(0, o);
}
