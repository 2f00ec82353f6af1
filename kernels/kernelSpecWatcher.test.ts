/**
 * A kernel installed while the host runs reaches its clients: through the host RPC, the kernel
 * service says the specs changed when a kernel.json appears in a watched JUPYTER_PATH folder, in a
 * user data folder that did not exist yet (as `ipykernel install --user` creates it), and when one
 * is removed. Each step waits for the event, never for a time.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IKernelService, KernelSpecsChangedEvent } from '../src/host/contract';
import { kernelServiceDescriptor } from '../src/host/channels';
import { ChannelClient, ChannelServer } from '../src/ipc/channel';
import { createProtocolPair } from '../src/ipc/protocol';
import { ProxyChannel } from '../src/ipc/proxy';
import { KernelService } from './host/kernelService';
import { guardKernelService, WorkspaceGuard } from './host/workspaceGuard';
import { KernelSpecWatcher } from './kernelSpecWatcher';
import { LocalKernelProvider } from './localKernelProvider';

const root = mkdtempSync(join(tmpdir(), 'quire-specwatch-'));
const jupyterPath = join(root, 'jp');
const dataDir = join(root, 'home', '.local', 'share', 'jupyter'); // none of it exists yet
mkdirSync(jupyterPath);
const env = { JUPYTER_PATH: jupyterPath, JUPYTER_DATA_DIR: dataDir, PATH: '/usr/bin:/bin' };

const provider = LocalKernelProvider.create({ specSearch: { env } });
const service = new KernelService(provider);
const [serverEnd, clientEnd] = createProtocolPair();
const server = new ChannelServer(serverEnd);
ProxyChannel.fromService<IKernelService>(server, 'kernels', kernelServiceDescriptor, service);
const kernels = ProxyChannel.toService<IKernelService>(new ChannelClient(clientEnd), 'kernels', kernelServiceDescriptor);

afterAll(() => {
  server.dispose();
  service.dispose();
  provider.dispose();
  rmSync(root, { recursive: true, force: true });
});

const kernelJson = (display: string) => JSON.stringify({ argv: ['/usr/bin/python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: display, language: 'python' });

/** Resolves with the first change event whose specs satisfy `predicate`. */
function nextChange(predicate: (e: KernelSpecsChangedEvent) => boolean): Promise<KernelSpecsChangedEvent> {
  return new Promise((resolve) => {
    const listener = kernels.onDidChangeKernelSpecs((e) => {
      if (!predicate(e)) return;
      listener.dispose();
      resolve(e);
    });
  });
}

const names = (e: KernelSpecsChangedEvent) => e.specs.filter((s) => s.source !== 'system').map((s) => s.name);

describe('kernel service: onDidChangeKernelSpecs', () => {
  // One listener for the whole suite keeps the watch (and its baseline) alive between the steps.
  const seen: KernelSpecsChangedEvent[] = [];
  const keep = kernels.onDidChangeKernelSpecs((e) => seen.push(e));
  afterAll(() => keep.dispose());

  it('a spec folder with kernel.json created in JUPYTER_PATH/kernels (which did not exist) is listed', async () => {
    // Listing after subscribing settles the baseline the changes are compared with.
    expect((await kernels.listKernelSpecs()).map((s) => s.name)).not.toContain('fresh');
    const changed = nextChange((e) => names(e).includes('fresh'));
    mkdirSync(join(jupyterPath, 'kernels', 'fresh'), { recursive: true });
    writeFileSync(join(jupyterPath, 'kernels', 'fresh', 'kernel.json'), kernelJson('Fresh Python'));
    const e = await changed;
    expect(e.specs.find((s) => s.name === 'fresh')).toMatchObject({ displayName: 'Fresh Python', status: 'ok', source: 'JUPYTER_PATH' });
    expect((await kernels.listKernelSpecs()).map((s) => s.name)).toContain('fresh');
  });

  it('a user data folder created from nothing, as `ipykernel install --user` does, is seen', async () => {
    const changed = nextChange((e) => names(e).includes('userpy'));
    // Staged beside and renamed in, as jupyter_client's install does for the spec folder.
    const staged = join(root, 'staged');
    mkdirSync(staged);
    writeFileSync(join(staged, 'kernel.json'), kernelJson('User Python'));
    mkdirSync(join(dataDir, 'kernels'), { recursive: true });
    renameSync(staged, join(dataDir, 'kernels', 'userpy'));
    expect((await changed).specs.find((s) => s.name === 'userpy')).toMatchObject({ source: 'user', status: 'ok' });
  });

  it('an edited kernel.json and a removed spec are changes too', async () => {
    const edited = nextChange((e) => e.specs.some((s) => s.name === 'fresh' && s.displayName === 'Renamed'));
    writeFileSync(join(jupyterPath, 'kernels', 'fresh', 'kernel.json'), kernelJson('Renamed'));
    await edited;
    const removed = nextChange((e) => !names(e).includes('userpy'));
    rmSync(join(dataDir, 'kernels', 'userpy'), { recursive: true });
    expect(names(await removed)).toEqual(['fresh']);
  });

  it('"check again" (listing) finds a change the watch did not report and tells every listener', async () => {
    const before = seen.length;
    const changed = nextChange((e) => names(e).includes('listed'));
    // Whichever finds it first, the listing or the watch, every listener hears of it.
    mkdirSync(join(jupyterPath, 'kernels', 'listed'));
    writeFileSync(join(jupyterPath, 'kernels', 'listed', 'kernel.json'), kernelJson('Listed'));
    expect((await kernels.listKernelSpecs()).map((s) => s.name)).toContain('listed');
    await changed;
    expect(seen.length).toBeGreaterThan(before);
  });
});

describe('KernelSpecWatcher', () => {
  it('watches the nearest existing parent of a missing kernels folder, then the folder and its specs once they exist, and nothing once disposed', async () => {
    const base = join(root, 'watcher');
    const kernelsDir = join(base, 'share', 'jupyter', 'kernels');
    mkdirSync(base);
    let changed: () => void = () => undefined;
    const watcher = new KernelSpecWatcher(() => [kernelsDir], () => changed());
    try {
      expect(watcher.watched).toEqual([base]);
      const placed = new Promise<void>((resolve) => { changed = resolve; });
      mkdirSync(join(kernelsDir, 'a'), { recursive: true });
      await placed;
      expect(watcher.watched).toEqual([kernelsDir, join(kernelsDir, 'a')]);
      // kernel.json written into a spec folder that already existed is seen there.
      const written = new Promise<void>((resolve) => { changed = resolve; });
      writeFileSync(join(kernelsDir, 'a', 'kernel.json'), kernelJson('A'));
      await written;
    } finally {
      watcher.dispose();
    }
    expect(watcher.watched).toEqual([]);
  });
});

describe('kernel service: findPythonInterpreters', () => {
  it('crosses the RPC (the browser host passes it through its workspace guard); calls at once share one search', async () => {
    const found = [{ path: '/usr/bin/python3', realPath: '/usr/bin/python3.11', version: '3.11.2', hasIpykernel: false, inVenv: false, installCommands: ['sudo apt-get install python3-ipykernel'] }];
    let searches = 0;
    const local = new KernelService(provider, { findPythonInterpreters: async () => { searches += 1; return found; } });
    const [a, b] = createProtocolPair();
    const s = new ChannelServer(a);
    ProxyChannel.fromService<IKernelService>(s, 'kernels', kernelServiceDescriptor, guardKernelService(local, new WorkspaceGuard(root)));
    try {
      const remote = ProxyChannel.toService<IKernelService>(new ChannelClient(b), 'kernels', kernelServiceDescriptor);
      expect(await remote.findPythonInterpreters()).toEqual(found);
      // Two windows asking at once share one search (each starts a process per interpreter).
      expect(await Promise.all([local.findPythonInterpreters(), local.findPythonInterpreters()])).toEqual([found, found]);
      expect(searches).toBe(2);
    } finally {
      s.dispose();
      local.dispose();
    }
  });
});
