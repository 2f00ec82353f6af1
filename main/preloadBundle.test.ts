import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ELECTRON_RPC_CHANNEL } from '../src/host/channels';

/** Bundles the preload as scripts/buildNode.mjs does and runs it against recording electron doubles. */
async function loadPreload() {
  const result = await build({
    entryPoints: [new URL('./preload/preload.ts', import.meta.url).pathname],
    bundle: true, write: false, format: 'cjs', platform: 'browser', external: ['electron'], logLevel: 'silent',
  });
  const exposed: Record<string, unknown> = {};
  const sent: unknown[][] = [];
  const listeners = new Map<string, Array<(...args: unknown[]) => void>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
    ipcRenderer: {
      send: (...args: unknown[]) => sent.push(args),
      on: (ch: string, l: (...args: unknown[]) => void) => listeners.set(ch, [...(listeners.get(ch) ?? []), l]),
      removeListener: (ch: string, l: (...args: unknown[]) => void) => listeners.set(ch, (listeners.get(ch) ?? []).filter((x) => x !== l)),
    },
  };
  const module = { exports: {} };
  runInNewContext(result.outputFiles[0].text, {
    module, exports: module.exports,
    require: (name: string) => {
      if (name !== 'electron') throw new Error(`preload required ${name}`);
      return electron;
    },
  });
  return { exposed, sent, listeners, size: result.outputFiles[0].text.length };
}

describe('preload', () => {
  it('exposes only nbHost with send and onMessage on the nb:rpc channel', async () => {
    const { exposed, sent, listeners, size } = await loadPreload();
    expect(Object.keys(exposed)).toEqual(['nbHost']);
    const nbHost = exposed.nbHost as { send(d: unknown): void; onMessage(l: (d: string) => void): () => void };
    expect(Object.keys(nbHost).sort()).toEqual(['onMessage', 'send']);
    nbHost.send('{"t":"req"}');
    nbHost.send({ not: 'a string' });
    expect(sent).toEqual([[ELECTRON_RPC_CHANNEL, '{"t":"req"}']]);

    const received: string[] = [];
    const unsubscribe = nbHost.onMessage((d) => received.push(d));
    const [listener] = listeners.get(ELECTRON_RPC_CHANNEL)!;
    listener({ sender: 'the event object stays in the preload' }, 'frame-1');
    listener({}, 42);
    expect(received).toEqual(['frame-1']);
    unsubscribe();
    expect(listeners.get(ELECTRON_RPC_CHANNEL)).toEqual([]);
    expect(size).toBeLessThan(4000); // stays a tiny, auditable bundle
  });
});
