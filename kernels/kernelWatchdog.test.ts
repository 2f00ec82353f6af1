/**
 * The kernel watchdog (launcher.ts WATCHDOG_SCRIPT): a SIGKILLed host leaves no kernel, also under
 * a child subreaper (where ipykernel's "my parent became PID 1" check never fires). Real hosts,
 * real ipykernel, a real subreaper (kernels/testing/subreaper.py). The time from the host's
 * SIGKILL to the kernel's disappearance is the measured property: it is polled with a generous
 * deadline for loaded machines and printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notebook } from '../src/jupyter/nbformat';
import { serializeNotebook } from '../src/jupyter/notebookFormat';
import { buildCli } from './testing/buildCli';
import { pidAlive, requirePython3Spec, waitUntil } from './testing/realKernel';

const fixture = fileURLToPath(new URL('./testing/hostExitFixture.ts', import.meta.url));
const subreaper = fileURLToPath(new URL('./testing/subreaper.py', import.meta.url));
const DEADLINE_MS = 10_000;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-watchdog-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `argv` under the subreaper; resolves with the host's pid once the subreaper said it. */
async function underSubreaper(argv: string[]): Promise<{ proc: ChildProcess; hostPid: number; lines: AsyncIterator<string>; exited: Promise<number | null> }> {
  const proc = spawn('/usr/bin/python3', [subreaper, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error(`the subreaper ended early: ${stderr}`);
  const { hostPid } = JSON.parse(first.value) as { hostPid: number };
  return { proc, hostPid, lines, exited };
}

/** SIGKILLs the host and resolves with the ms until `kernelPid` is gone (throws after DEADLINE_MS). */
async function killHostAndTime(hostPid: number, kernelPid: number): Promise<number> {
  expect(pidAlive(kernelPid)).toBe(true);
  const killedAt = performance.now();
  process.kill(hostPid, 'SIGKILL');
  try {
    await waitUntil(() => !pidAlive(kernelPid), DEADLINE_MS, `kernel ${kernelPid} to be gone after its host was SIGKILLed`);
  } catch (error) {
    process.kill(-kernelPid, 'SIGKILL'); // the failed test's leftover
    throw error;
  }
  return Math.round(performance.now() - killedAt);
}

describe('a SIGKILLed host leaves no kernel, under a child subreaper too', () => {
  it('app host (KernelManager): the kernel and a subprocess it started are gone', async () => {
    await requirePython3Spec();
    const { hostPid, lines, exited } = await underSubreaper([process.execPath, '--import', 'tsx', fixture, 'child']);
    const line = await lines.next();
    expect(line.done).toBe(false);
    const kernel = JSON.parse(line.value as string) as { pid: number; childPid: number };
    expect(pidAlive(kernel.childPid)).toBe(true);
    const ms = await killHostAndTime(hostPid, kernel.pid);
    console.log(`[measure] kernel gone ${ms} ms after its host's SIGKILL (under a subreaper)`);
    expect(ms).toBeLessThan(DEADLINE_MS);
    // Everything under the subreaper (the kernel's subprocess and the watchdog included) is gone, so it ends.
    expect(await exited).toBe(0);
    expect(pidAlive(kernel.childPid)).toBe(false);
  }, 60_000);

  it('a kernel that is not Python (here /bin/sleep, launched as a kernelspec argv) is gone too', async () => {
    const { hostPid, lines, exited } = await underSubreaper([process.execPath, '--import', 'tsx', fixture, 'sleep']);
    const line = await lines.next();
    const kernel = JSON.parse(line.value as string) as { pid: number };
    const ms = await killHostAndTime(hostPid, kernel.pid);
    console.log(`[measure] /bin/sleep "kernel" gone ${ms} ms after its host's SIGKILL (under a subreaper)`);
    expect(ms).toBeLessThan(DEADLINE_MS);
    expect(await exited).toBe(0);
  }, 60_000);

  it('quire run: the prelaunched kernel is gone too', async () => {
    await requirePython3Spec();
    buildCli();
    const pidFile = join(dir, 'kernel.pid');
    const nb: Notebook = {
      nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      cells: [{
        id: 'c', cell_type: 'code', execution_count: null, outputs: [], metadata: {},
        source: `import os, time\nopen(${JSON.stringify(`${pidFile}.tmp`)}, 'w').write(str(os.getpid()))\nos.rename(${JSON.stringify(`${pidFile}.tmp`)}, ${JSON.stringify(pidFile)})\ntime.sleep(600)`,
      }],
    };
    const input = join(dir, 'sleep.ipynb');
    writeFileSync(input, serializeNotebook(nb));
    const { hostPid, exited } = await underSubreaper([process.execPath, 'bin/quire.js', 'run', input, join(dir, 'out.ipynb')]);
    // The kernel writes its pid (atomically) once the cell runs.
    await waitUntil(() => existsSync(pidFile), 60_000, 'the run\'s kernel to write its pid');
    const kernelPid = Number(readFileSync(pidFile, 'utf8'));
    const ms = await killHostAndTime(hostPid, kernelPid);
    console.log(`[measure] quire run's kernel gone ${ms} ms after the run's SIGKILL (under a subreaper)`);
    expect(ms).toBeLessThan(DEADLINE_MS);
    expect(await exited).toBe(0);
  }, 120_000);
});
