import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupAlive } from './launcher';
import { KernelManager } from './kernelManager';
import { pidAlive, requirePython3Spec, waitUntil } from './testing/realKernel';

const fixture = fileURLToPath(new URL('./testing/hostExitFixture.ts', import.meta.url));

/** Runs the fixture host; resolves with the kernel it started and the host process. */
async function startHost(mode: string) {
  await requirePython3Spec();
  const host = spawn(process.execPath, ['--import', 'tsx', fixture, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  host.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => host.once('exit', (code, signal) => resolve({ code, signal })));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: host.stdout }).once('line', resolve);
    host.once('exit', () => reject(new Error(`host exited before starting a kernel: ${stderr}`)));
  });
  const kernel = JSON.parse(line) as { pid: number; connectionFile: string };
  return { host, kernel, exited };
}

describe('no kernel is left behind when the host goes away', () => {
  // The three hosts start concurrently: each costs a tsx start plus a kernel start.
  let hosts: Record<'exit' | 'throw' | 'signal' | 'early', ReturnType<typeof startHost>>;
  beforeAll(() => {
    hosts = { exit: startHost('exit'), throw: startHost('throw'), signal: startHost('signal'), early: startHost('early') };
    // Avoid unhandled rejections before each test awaits its host.
    for (const h of Object.values(hosts)) h.catch(() => undefined);
  });

  it('process.exit(): the exit hook SIGKILLs the kernel process group', async () => {
    const { kernel, exited } = await hosts.exit;
    expect(kernel.pid).toBeGreaterThan(0);
    await exited;
    await waitUntil(() => !groupAlive(kernel.pid), 2000, `kernel ${kernel.pid} to be gone after the host exited`);
    expect(pidAlive(kernel.pid)).toBe(false);
    expect(existsSync(kernel.connectionFile)).toBe(false);
  }, 90_000); // the first test waits for the four hosts' concurrent starts (slow on a loaded machine)

  it('exiting while a kernel is still starting kills it too', async () => {
    const { kernel, exited } = await hosts.early;
    expect((kernel as { status?: string }).status).toBe('starting');
    await exited;
    await waitUntil(() => !groupAlive(kernel.pid), 2000, `starting kernel ${kernel.pid} to be gone after the host exited`);
    expect(existsSync(kernel.connectionFile)).toBe(false);
  });

  it('an uncaught exception in the host still kills the kernel', async () => {
    const { kernel, exited } = await hosts.throw;
    expect((await exited).code).not.toBe(0);
    await waitUntil(() => !groupAlive(kernel.pid), 2000, `kernel ${kernel.pid} to be gone after the host crashed`);
  });

  it('SIGTERM: kernels are shut down (connection file removed) and the host ends by the signal', async () => {
    const { host, kernel, exited } = await hosts.signal;
    expect(pidAlive(kernel.pid)).toBe(true);
    expect(existsSync(kernel.connectionFile)).toBe(true);
    host.kill('SIGTERM');
    const end = await exited;
    expect(end.signal).toBe('SIGTERM');
    expect(groupAlive(kernel.pid)).toBe(false);
    expect(existsSync(kernel.connectionFile)).toBe(false);
  });
});

describe('KernelManager', () => {
  it('rejects unknown kernel names with KERNELSPEC_NOT_FOUND and starts nothing', async () => {
    const manager = new KernelManager({ handleSignals: false });
    try {
      await expect(manager.startKernel({ specName: 'no-such-kernel-quire' })).rejects.toMatchObject({ code: 'KERNELSPEC_NOT_FOUND' });
      expect(manager.list()).toEqual([]);
      expect(() => manager.require('nope')).toThrow(/No running kernel/);
    } finally {
      manager.dispose();
    }
  });

  it('shutdownAll during a start ends the start (KERNEL_START_FAILED) and leaves no process', async () => {
    const manager = new KernelManager({ handleSignals: false });
    try {
      const start = manager.startKernel({ specName: 'python3', spec: await requirePython3Spec() });
      start.catch(() => undefined);
      await waitUntil(() => Boolean(manager.list()[0]?.pid), 10_000, 'the kernel process to spawn');
      const starting = manager.list()[0];
      expect(starting.status).toBe('starting');
      await manager.shutdownAll();
      await expect(start).rejects.toMatchObject({ code: 'KERNEL_START_FAILED' });
      await waitUntil(() => !groupAlive(starting.pid!), 2000, 'the starting kernel to be gone');
      expect(existsSync(starting.connectionFile)).toBe(false);
      expect(manager.list()).toEqual([]);
    } finally {
      manager.dispose();
    }
  });

  it('a broken spec fails with KERNELSPEC_BROKEN and its reason', async () => {
    const spec = { ...(await requirePython3Spec()), name: 'broken', status: 'broken' as const, problem: "interpreter '/nope' does not exist" };
    const manager = new KernelManager({ handleSignals: false });
    try {
      await expect(manager.startKernel({ specName: 'broken', spec })).rejects.toMatchObject({ code: 'KERNELSPEC_BROKEN', message: expect.stringContaining('/nope') });
    } finally {
      manager.dispose();
    }
  });

  it('a kernel that dies during start-up fails the start with its stderr', async () => {
    const base = await requirePython3Spec();
    const spec = { ...base, argv: [base.argv[0], '-c', 'import sys; sys.stderr.write("no kernel today\\n"); sys.exit(3)'] };
    const manager = new KernelManager({ handleSignals: false });
    try {
      await expect(manager.startKernel({ specName: 'python3', spec })).rejects.toMatchObject({ code: 'KERNEL_START_FAILED', message: expect.stringContaining('no kernel today') });
      expect(manager.list()).toEqual([]);
    } finally {
      manager.dispose();
    }
  });
});
