/**
 * Integration: one host, several clients (Electron windows) over real ipykernel kernels. Each
 * client has its own workspace answer; kernels are shared to see but stop with the client that
 * started them; runs and other clients' kernels go on.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src/host/contract';
import { connectHostClient, serveHost } from '../../src/host/channels';
import { createProtocolPair } from '../../src/ipc/protocol';
import { requirePython3Spec } from '../testing/realKernel';
import { createHost, type QuireHost } from './createHost';
import { withOverrides } from './hostClient';

let dir: string;
let host: QuireHost;
beforeEach(async () => {
  await requirePython3Spec();
  dir = mkdtempSync(join(tmpdir(), 'quire-client-'));
  for (const folder of ['a', 'b', 'config', 'data']) mkdirSync(join(dir, folder));
  host = createHost({ root: dir, shell: 'electron', configDir: join(dir, 'config'), dataDir: join(dir, 'data') });
});
afterEach(async () => {
  await host.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const notebook = (source: string) => JSON.stringify({
  nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [{ cell_type: 'code', id: 'c1', metadata: {}, execution_count: null, outputs: [], source }],
});

const alive = (pid: number | undefined) => {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
};

/** A client served over an in-memory RPC pipe, as a window is over IPC. */
function remoteClient(client: ReturnType<QuireHost['connectClient']>) {
  const [serverEnd, clientEnd] = createProtocolPair();
  const server = serveHost(serverEnd, client);
  return { remote: connectHostClient(clientEnd, { native: false }).host, end: () => { server.dispose(); serverEnd.close(); } };
}

describe('one host, several clients', () => {
  it('answers each client with its own workspace, and starts its kernels in its folder', async () => {
    writeFileSync(join(dir, 'a', 'one.ipynb'), notebook('1'));
    const a = host.connectClient({ root: join(dir, 'a'), openPath: join(dir, 'a', 'one.ipynb') });
    const b = host.connectClient({ root: join(dir, 'b') });
    const { remote: ra, end: endA } = remoteClient(a);
    const { remote: rb, end: endB } = remoteClient(b);
    try {
      expect(await ra.files.getWorkspace()).toMatchObject({ root: join(dir, 'a'), openPath: join(dir, 'a', 'one.ipynb'), shell: 'electron' });
      expect(await rb.files.getWorkspace()).toEqual(expect.not.objectContaining({ openPath: expect.anything() }));
      expect((await rb.files.getWorkspace()).root).toBe(join(dir, 'b'));
      // The host's own answer is unchanged.
      expect((await host.files.getWorkspace()).root).toBe(dir);
      const kernel = await rb.kernels.startKernel({ specName: 'python3' });
      expect(kernel.cwd).toBe(join(dir, 'b'));
    } finally {
      endA();
      endB();
    }
  });

  it("shares kernels between clients; closing one stops only its own kernels, not the other's nor runs", async () => {
    const flag = join(dir, 'go');
    writeFileSync(join(dir, 'a', 'slow.ipynb'), notebook(`import os, time\nwhile not os.path.exists(${JSON.stringify(flag)}):\n    time.sleep(0.02)\nprint('done')`));
    const a = host.connectClient({ root: join(dir, 'a') });
    const b = host.connectClient({ root: join(dir, 'b') });
    const { remote: ra, end: endA } = remoteClient(a);
    const { remote: rb, end: endB } = remoteClient(b);
    try {
      const [kernelA, kernelB] = await Promise.all([ra.kernels.startKernel({ specName: 'python3' }), rb.kernels.startKernel({ specName: 'python3' })]);
      expect((await rb.kernels.listKernels()).map((k) => k.id).sort()).toEqual([kernelA.id, kernelB.id].sort());

      // A run started from A, running its cell when A goes.
      const running = new Promise<void>((resolve) => {
        host.runs.onDidChangeRun((info) => {
          if (info.status === 'running' && info.currentCellIndex === 0) resolve();
        });
      });
      const run = await ra.runs.startRun({ inputPath: join(dir, 'a', 'slow.ipynb'), outputPath: join(dir, 'a', 'out.ipynb'), parameters: {} });
      await running;
      const finished = new Promise<RunInfo>((resolve) => {
        host.runs.onDidChangeRun((info) => {
          if (info.runId === run.runId && ['completed', 'failed', 'cancelled'].includes(info.status)) resolve(info);
        });
      });

      endA();
      await a.close();
      expect(alive(kernelA.pid)).toBe(false);
      expect(alive(kernelB.pid)).toBe(true);
      // B still sees its kernel (and the run's), not A's.
      const listed = (await rb.kernels.listKernels()).map((k) => k.id);
      expect(listed).toContain(kernelB.id);
      expect(listed).not.toContain(kernelA.id);
      expect((await rb.runs.getRun(run.runId)).status).toBe('running');
      writeFileSync(flag, '');
      expect((await finished).status).toBe('completed');

      // The app quitting stops the rest.
      await host.shutdown();
      expect(alive(kernelB.pid)).toBe(false);
    } finally {
      endB();
    }
  });

  it('stops a kernel whose start was under way when the client closed', async () => {
    const a = host.connectClient({ root: join(dir, 'a') });
    const start = a.kernels.startKernel({ specName: 'python3' });
    const closed = a.close();
    await expect(start).rejects.toMatchObject({ code: 'RPC_CLOSED' });
    await closed;
    expect(await host.kernels.listKernels()).toEqual([]);
  });
});

describe('withOverrides', () => {
  it('keeps the service’s own state on the service', () => {
    class Counter {
      count = 0;
      bump() {
        this.count++;
        return this.count;
      }
      name() {
        return 'counter';
      }
    }
    const counter = new Counter();
    const facade = withOverrides(counter, { name: () => 'facade' });
    facade.bump();
    counter.bump();
    expect(facade.bump()).toBe(3);
    expect(counter.count).toBe(3);
    expect(facade.name()).toBe('facade');
  });
});
