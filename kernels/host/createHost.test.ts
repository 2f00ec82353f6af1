import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectHostClient, serveHost } from '../../src/host/channels';
import { createProtocolPair } from '../../src/ipc/protocol';
import { createMessage, type BaseMessage, type ExecuteRequestMsg } from '../../src/jupyter/messages';
import { createHost, defaultConfigDir } from './createHost';

let dir: string;
let root: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-host-'));
  root = join(dir, 'ws');
  mkdirSync(root);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'markdown', id: 'a1', metadata: {}, source: '# hi' }] };

describe('createHost', () => {
  it('describes its workspace and serves files through the RPC', async () => {
    writeFileSync(join(root, 'a.ipynb'), JSON.stringify(notebook));
    const host = createHost({ root, openPath: 'a.ipynb', shell: 'browser', configDir: join(dir, 'config'), dataDir: join(dir, 'data') });
    const [serverEnd, clientEnd] = createProtocolPair();
    const server = serveHost(serverEnd, host);
    const { host: remote } = connectHostClient(clientEnd, { native: false });
    try {
      expect(await remote.files.getWorkspace()).toMatchObject({ root, openPath: join(root, 'a.ipynb'), shell: 'browser' });
      const doc = await remote.files.readNotebook(join(root, 'a.ipynb'));
      expect(doc.notebook.cells[0].source).toBe('# hi');
      await remote.files.writeNotebook(join(root, 'b.ipynb'), doc.notebook);
      expect((await remote.files.stat(join(root, 'b.ipynb'))).exists).toBe(true);
      expect(await remote.runs.listRuns()).toEqual([]);
    } finally {
      server.dispose();
      serverEnd.close();
      await host.shutdown();
    }
  });

  it('keeps the browser host inside its root but not the Electron host', async () => {
    writeFileSync(join(dir, 'outside.ipynb'), JSON.stringify(notebook));
    const browser = createHost({ root, shell: 'browser', configDir: join(dir, 'config'), dataDir: join(dir, 'data') });
    await expect(browser.files.readNotebook(join(dir, 'outside.ipynb'))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(browser.runs.startRun({ inputPath: join(dir, 'outside.ipynb'), parameters: {} })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await browser.shutdown();
    const electron = createHost({ root, shell: 'electron', configDir: join(dir, 'config'), dataDir: join(dir, 'data') });
    expect((await electron.files.readNotebook(join(dir, 'outside.ipynb'))).notebook.nbformat).toBe(4);
    await electron.shutdown();
  });

  it('shuts down once, however often asked', async () => {
    const host = createHost({ root, shell: 'browser', configDir: join(dir, 'config'), dataDir: join(dir, 'data') });
    const first = host.shutdown();
    expect(host.shutdown()).toBe(first);
    await first;
    host.dispose();
  });

  it('starts a real kernel through the RPC, runs code, and its shutdown leaves no kernel process', async () => {
    const host = createHost({ root, shell: 'browser', configDir: join(dir, 'config'), dataDir: join(dir, 'data') });
    const [serverEnd, clientEnd] = createProtocolPair();
    const server = serveHost(serverEnd, host);
    const { host: remote } = connectHostClient(clientEnd, { native: false });
    try {
      const specs = await remote.kernels.listKernelSpecs();
      expect(specs.map((s) => s.name), 'install python3-ipykernel (kernelspec /usr/share/jupyter/kernels/python3)').toContain('python3');
      const kernel = await remote.kernels.startKernel({ specName: 'python3' });
      expect(kernel.cwd).toBe(root);
      expect(kernel.pid).toBeGreaterThan(0);
      const received: BaseMessage[] = [];
      const request = createMessage<ExecuteRequestMsg>({
        channel: 'shell', msgType: 'execute_request', session: 'test',
        content: { code: 'import os; print(os.getcwd()); 6*7', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      });
      const result = new Promise<BaseMessage>((resolve) => {
        remote.kernels.onDidReceiveMessages((e) => {
          for (const msg of e.messages) {
            received.push(msg);
            if (msg.header.msg_type === 'execute_result' && msg.parent_header && (msg.parent_header as { msg_id?: string }).msg_id === request.header.msg_id) resolve(msg);
          }
        });
      });
      await remote.kernels.listKernels(); // the event subscription is in place once a later call returns
      await remote.kernels.sendMessage(kernel.id, request);
      expect(((await result).content as { data: Record<string, string> }).data['text/plain']).toBe('42');
      expect(received.some((m) => m.header.msg_type === 'stream' && (m.content as { text: string }).text.includes(root))).toBe(true);
      await host.shutdown();
      let alive = true;
      try {
        process.kill(kernel.pid!, 0);
      } catch {
        alive = false;
      }
      expect(alive, 'kernel process still running after host.shutdown()').toBe(false);
    } finally {
      server.dispose();
      serverEnd.close();
      await host.shutdown();
    }
  });

  it('keeps its state under XDG_CONFIG_HOME', () => {
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/x/cfg' })).toBe('/x/cfg/quire');
  });
});
