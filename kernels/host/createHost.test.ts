import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectHostClient, serveHost } from '../../src/host/channels';
import { createProtocolPair } from '../../src/ipc/protocol';
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
    const host = createHost({ root, openPath: 'a.ipynb', shell: 'browser', configDir: join(dir, 'config') });
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
    const browser = createHost({ root, shell: 'browser', configDir: join(dir, 'config') });
    await expect(browser.files.readNotebook(join(dir, 'outside.ipynb'))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(browser.runs.startRun({ inputPath: join(dir, 'outside.ipynb'), parameters: {} })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await browser.shutdown();
    const electron = createHost({ root, shell: 'electron', configDir: join(dir, 'config') });
    expect((await electron.files.readNotebook(join(dir, 'outside.ipynb'))).notebook.nbformat).toBe(4);
    await electron.shutdown();
  });

  it('shuts down once, however often asked', async () => {
    const host = createHost({ root, shell: 'browser', configDir: join(dir, 'config') });
    const first = host.shutdown();
    expect(host.shutdown()).toBe(first);
    await first;
    host.dispose();
  });

  it('keeps its state under XDG_CONFIG_HOME', () => {
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/x/cfg' })).toBe('/x/cfg/quire');
  });
});
