/**
 * What the Electron preload exposes on `window.nbHost` through contextBridge: a raw frame pipe
 * on one channel, nothing else. The renderer wraps it into an IMessagePassingProtocol.
 */
export interface INbHostBridge {
  send(data: string): void;
  /** Returns an unsubscribe function (contextBridge cannot pass disposables). */
  onMessage(listener: (data: string) => void): () => void;
}
