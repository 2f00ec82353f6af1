/**
 * The preload: exposes exactly one object, `window.nbHost` ({ send, onMessage }), a frame pipe on
 * the one `nb:rpc` channel. No ipcRenderer, no event objects, no Node: the page gets strings in
 * and out and nothing else (Electron checklist: limit what contextBridge exposes).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { INbHostBridge } from '../../src/host/bridge';

// Kept literal (not imported) so the sandboxed preload bundle stays tiny; src/host/channels.ts
// ELECTRON_RPC_CHANNEL is the same string and main/preloadBundle.test.ts checks they agree.
export const RPC_CHANNEL = 'nb:rpc';

const bridge: INbHostBridge = {
  send(data: string): void {
    if (typeof data === 'string') ipcRenderer.send(RPC_CHANNEL, data);
  },
  onMessage(listener: (data: string) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, data: unknown) => {
      if (typeof data === 'string') listener(data);
    };
    ipcRenderer.on(RPC_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(RPC_CHANNEL, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('nbHost', bridge);
