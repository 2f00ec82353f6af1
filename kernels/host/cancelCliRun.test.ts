/**
 * Cancelling a terminal's `quire run` from the app: the run service signals the real process (built
 * CLI, real ipykernel), which records the run as cancelled; a pid that is not a `quire run` is left
 * alone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notebook } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { KernelManager } from '../kernelManager';
import { LocalKernelProvider } from '../localKernelProvider';
import { RunIndex } from '../runIndex/runIndex';
import { buildCli } from '../testing/buildCli';
import { pidAlive, requirePython3Spec, waitUntil } from '../testing/realKernel';
import { isQuireRunProcess, signalCliRun } from './cancelCliRun';
import { RunService } from './runService';

let dir: string;
let manager: KernelManager;

beforeAll(async () => {
  await requirePython3Spec();
  buildCli();
  dir = mkdtempSync(join(tmpdir(), 'quire-cancel-cli-'));
  manager = new KernelManager({ handleSignals: false });
});
afterAll(async () => {
  await manager?.shutdownAll();
  manager?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('cancelling another process\'s quire run', () => {
  it('the app\'s cancel stops a terminal\'s quire run, which records it as cancelled', async () => {
    const data = join(dir, 'data');
    const mark = join(dir, 'started.mark');
    const input = join(dir, 'block.ipynb');
    const nb: Notebook = {
      nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      cells: [
        { id: 'p', cell_type: 'code', execution_count: null, outputs: [], metadata: { tags: ['parameters'] }, source: 'MARK = ""' },
        { id: 'c', cell_type: 'code', execution_count: null, outputs: [], metadata: {}, source: 'import pathlib, time\npathlib.Path(MARK).write_text("x")\nwhile True:\n    time.sleep(0.05)' },
      ],
    };
    writeFileSync(input, serializeNotebook(nb));
    const child = spawn(process.execPath, ['bin/quire.js', 'run', input, join(dir, 'out.ipynb'), '-r', 'MARK', mark], {
      stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, QUIRE_DATA_DIR: data },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    let exited = false;
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => ((exited = true), resolve(code))));
    await waitUntil(() => existsSync(mark) || exited, 60_000, 'the cell started');
    expect(existsSync(mark), stderr).toBe(true);
    expect(isQuireRunProcess(child.pid!)).toBe(true);

    const service = new RunService({ provider: new LocalKernelProvider(manager), runIndex: new RunIndex({ path: join(data, 'run-index', 'runs.jsonl') }) });
    try {
      const [running] = await service.listRuns({ inputPath: input });
      expect(running.status).toBe('running');
      await service.cancelRun(running.runId);
      expect(await done, stderr).toBe(130);
      expect((await service.getRun(running.runId)).status).toBe('cancelled');
    } finally {
      service.dispose();
      if (!exited) child.kill('SIGKILL');
    }
  }, 120_000);

  it('a pid that is not a quire run (or not of this machine) is never signalled', async () => {
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => other.once('spawn', resolve));
      expect(isQuireRunProcess(other.pid!)).toBe(false);
      expect(signalCliRun({ host: 'cli', pid: other.pid!, hostname: hostname() })).toBe(false);
      expect(signalCliRun({ host: 'cli', pid: process.pid, hostname: `not-${hostname()}` })).toBe(false);
      expect(pidAlive(other.pid!)).toBe(true);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
