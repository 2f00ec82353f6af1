/**
 * `quire serve` SIGKILLed with a page connected, an interactive kernel and a run mid-cell: no
 * kernel (nor anything else the host started) outlives it for more than a few seconds. The host
 * gets no chance to clean up; the kernel watchdog (launcher.ts) is what ends them. The real CLI
 * (`node bin/quire.js serve`, the package's bin) in its own process, a real page connection over the
 * WebSocket, real ipykernel. The survival times are polled with a generous deadline and printed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Notebook } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { buildCli } from '../testing/buildCli';
import { connectTestClient, processRunning, record } from '../testing/hostClient';
import { commandLine, descendantPids } from '../testing/processTree';
import { requirePython3Spec } from '../testing/realKernel';

const subreaper = fileURLToPath(new URL('../testing/subreaper.py', import.meta.url));
/** Generous for a loaded machine; the watchdog normally needs milliseconds. */
const DEADLINE_MS = 15_000;

let base: string | undefined;
let serve: ChildProcess | undefined;
const leftovers: number[] = [];

beforeAll(async () => {
  await requirePython3Spec();
  buildCli();
});

afterEach(() => {
  if (serve && serve.exitCode === null && serve.signalCode === null) serve.kill('SIGKILL');
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
  if (base) rmSync(base, { recursive: true, force: true });
  base = undefined;
});

/**
 * Starts `node bin/quire.js serve ROOT --no-browser --port 0` (under a child subreaper when asked)
 * and reads its URL.
 */
async function startServe(root: string, env: NodeJS.ProcessEnv, underSubreaper: boolean): Promise<{ hostPid: number; port: number; token: string; origin: string }> {
  const argv = [process.execPath, 'bin/quire.js', 'serve', root, '--no-browser', '--port', '0'];
  serve = underSubreaper ? spawn('/usr/bin/python3', [subreaper, ...argv], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  serve.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`quire serve printed no URL in 30 s.\nstdout: ${stdout}\nstderr: ${stderr}`)), 30_000);
    serve!.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    serve!.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`quire serve exited (${code ?? signal}) before printing its URL.\nstderr: ${stderr}`));
    });
  });
  const hostPid = underSubreaper ? (JSON.parse(stdout.split('\n')[0]) as { hostPid: number }).hostPid : serve.pid!;
  const parsed = new URL(url);
  return { hostPid, port: Number(parsed.port), token: parsed.searchParams.get('token')!, origin: parsed.origin };
}

/** Resolves with the ms from `since` until `pid` no longer runs; rejects after DEADLINE_MS. */
function goneAfter(pid: number, since: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!processRunning(pid)) return resolve(Math.round(performance.now() - since));
      if (performance.now() - since > DEADLINE_MS) return reject(new Error(`${pid} (${commandLine(pid)}) still runs ${DEADLINE_MS} ms after quire serve was SIGKILLed`));
      setTimeout(check, 10);
    };
    check();
  });
}

describe('quire serve SIGKILLed', () => {
  // Directly, ipykernel's own "my parent became PID 1" check would end its kernels too; under a
  // child subreaper (a systemd user session) only the watchdog does.
  it.each([['directly', false], ['under a child subreaper', true]] as const)('%s: leaves no kernel running, neither an interactive one nor a run\'s kernel mid-cell', async (how, underSubreaper) => {
    base = mkdtempSync(join(tmpdir(), 'quire-serve-kill-'));
    const root = join(base, 'workspace');
    const runtime = join(base, 'run');
    mkdirSync(root);
    mkdirSync(runtime, { mode: 0o700 });
    const nb: Notebook = {
      nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      cells: [
        { id: 'c0', cell_type: 'code', execution_count: null, outputs: [], metadata: {}, source: 'import os, time\nprint("run kernel", os.getpid(), flush=True)' },
        { id: 'c1', cell_type: 'code', execution_count: null, outputs: [], metadata: {}, source: 'print("sleeping", flush=True)\ntime.sleep(600)' },
      ],
    };
    const input = join(root, 'sleep.ipynb');
    writeFileSync(input, serializeNotebook(nb));
    const server = await startServe(root, {
      XDG_CONFIG_HOME: join(base, 'config'), QUIRE_DATA_DIR: join(base, 'data'), XDG_RUNTIME_DIR: runtime, JUPYTER_RUNTIME_DIR: join(runtime, 'jupyter'),
    }, underSubreaper);

    const page = await connectTestClient(server);
    const outputs = record(page.remote.runs.onDidRunOutput);
    const runs = record(page.remote.runs.onDidChangeRun);
    await page.remote.runs.listRuns(); // the subscriptions are on the host once a later call returns
    const interactive = await page.remote.kernels.startKernel({ specName: 'python3' });
    leftovers.push(-interactive.pid!);
    const run = await page.remote.runs.startRun({ inputPath: input, parameters: {} });
    const first = await outputs.until((e) => e.runId === run.runId && JSON.stringify(e.output).includes('run kernel'), 'the run\'s kernel to say its pid');
    const runKernelPid = Number(/run kernel (\d+)/.exec(JSON.stringify(first.output))![1]);
    leftovers.push(-runKernelPid);
    await outputs.until((e) => e.runId === run.runId && JSON.stringify(e.output).includes('sleeping'), 'the run to be in time.sleep');
    await runs.until((r) => r.runId === run.runId && r.status === 'running' && r.currentCellIndex === 1, 'the run to be in its second cell');
    expect((await page.remote.kernels.listKernels()).map((k) => k.pid).sort()).toEqual([interactive.pid, runKernelPid].sort());
    expect(processRunning(interactive.pid!) && processRunning(runKernelPid)).toBe(true);
    // Everything the host started (kernels and their watchdogs) must go with it.
    const started = descendantPids(server.hostPid);
    expect(started).toEqual(expect.arrayContaining([interactive.pid, runKernelPid]));
    leftovers.push(...started);

    const exited = new Promise<number | null>((resolve) => serve!.once('exit', (code) => resolve(code)));
    const killedAt = performance.now();
    process.kill(server.hostPid, 'SIGKILL');
    const [interactiveMs, runMs] = await Promise.all([goneAfter(interactive.pid!, killedAt), goneAfter(runKernelPid, killedAt)]);
    const rest = await Promise.all(started.map((pid) => goneAfter(pid, killedAt)));
    console.log(`[measure] ${how}: after quire serve's SIGKILL: interactive kernel gone in ${interactiveMs} ms, run kernel (mid time.sleep) in ${runMs} ms, all ${started.length} processes it started in ${Math.max(...rest)} ms`);
    expect(Math.max(interactiveMs, runMs, ...rest)).toBeLessThan(DEADLINE_MS);
    // Under the subreaper: everything below it is gone, so it ends (it exits once it has no child).
    if (underSubreaper) expect(await exited).toBe(0);
    outputs.dispose();
    runs.dispose();
    await page.close();
  }, 120_000);
});
