/**
 * `quire run` under faults, through the built CLI in its own process with the real ipykernel: an
 * output that cannot be written (before the start and in the middle of the run), two runs racing
 * for one output, and SIGHUP. Every step waits for files the test or the cell writes, never a timer.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notebook } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { buildCli, runQuire } from '../testing/buildCli';
import { pidAlive, requirePython3Spec, waitUntil } from '../testing/realKernel';

let dir: string;

beforeAll(async () => {
  await requirePython3Spec();
  buildCli();
  dir = mkdtempSync(join(tmpdir(), 'quire-run-faults-'));
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A python3 notebook: a parameters cell `who = ""; MARK = ""; GO = ""`, then `cells`. */
function notebook(name: string, cells: string[]): string {
  const path = join(dir, `in-${name}`);
  writeFileSync(path, serializeNotebook({
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      { id: 'p', cell_type: 'code', execution_count: null, outputs: [], metadata: { tags: ['parameters'] }, source: 'who = ""\nMARK = ""\nGO = ""' },
      ...cells.map((source, i) => ({ id: `c${i}`, cell_type: 'code' as const, execution_count: null, outputs: [], metadata: {}, source })),
    ],
  }));
  return path;
}

/** Writes its kernel's pid to MARK, then waits until GO exists (GO = "": forever). */
const BLOCKING_CELL = 'import os, pathlib, time\npathlib.Path(MARK).write_text(str(os.getpid()))\nwhile not (GO and os.path.exists(GO)):\n    time.sleep(0.02)';

interface Finished { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Starts the built CLI; `done` settles when it exits. */
function startQuire(...args: string[]): { pid: number; done: Promise<Finished>; exited(): boolean } {
  const child = spawn(process.execPath, ['bin/quire.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  let exited = false;
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => {
    exited = true;
    resolve({ code, signal, stdout, stderr });
  }));
  return { pid: child.pid!, done, exited: () => exited };
}

/** Waits for `path`; fails at once, with what the run printed, if the run ends first. */
async function waitForFile(run: ReturnType<typeof startQuire>, path: string, what: string): Promise<void> {
  await waitUntil(() => existsSync(path) || run.exited(), 60_000, what);
  if (!existsSync(path)) {
    const { code, stderr } = await run.done;
    throw new Error(`quire run ended (exit ${code}) before ${what}:\n${stderr}`);
  }
}

const readNotebook = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Notebook;
const count = (text: string, part: string) => text.split(part).length - 1;

describe('quire run: an output that cannot be written', () => {
  it('refuses, before any kernel starts, an output whose folder cannot exist (its parent is a file) or that is a folder: exit 73, one message', () => {
    const input = notebook('plain.ipynb', ['print(1)']);
    writeFileSync(join(dir, 'a-file'), 'x');
    const underFile = join(dir, 'a-file', 'out.ipynb');
    const refused = runQuire('run', input, underFile, '--log-level', 'DEBUG');
    expect(refused.code, refused.stderr).toBe(73);
    expect(refused.stderr).not.toMatch(/Launched kernel/);
    expect(count(refused.stderr, underFile)).toBe(1);
    expect(refused.stderr).toContain('a part of the path is not a folder (ENOTDIR)');

    const folder = join(dir, 'a-folder.ipynb');
    mkdirSync(folder);
    for (const extra of [[], ['--overwrite']]) {
      const result = runQuire('run', input, folder, '--log-level', 'DEBUG', ...extra);
      expect(result.code, result.stderr).toBe(73);
      expect(result.stderr).not.toMatch(/Launched kernel/);
      expect(count(result.stderr, folder)).toBe(1);
      expect(result.stderr).toContain('the path is a folder (EISDIR)');
    }
  });

  it('fails with exit 73 and one message when a write in the middle of the run fails (a full disk: ENOSPC on a 64 KiB tmpfs)', async () => {
    const mount = mkdtempSync(join(tmpdir(), 'quire-full-'));
    // Root can mount a tmpfs; if this machine cannot, the test fails here (never skipped).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
    try {
      const output = join(mount, 'out.ipynb');
      const mark = join(dir, 'enospc.mark');
      const go = join(dir, 'enospc.go');
      // The cell, once the start is on disk, prints 200 KB: the next write cannot fit.
      const input = notebook('enospc.ipynb', [BLOCKING_CELL, 'print("x" * 200_000)', 'print("after")']);
      const run = startQuire('run', input, output, '-r', 'MARK', mark, '-r', 'GO', go);
      await waitForFile(run, mark, 'the first cell started');
      expect(readNotebook(output).cells.length).toBeGreaterThan(0); // the run's start is written over the placeholder
      writeFileSync(go, '');
      const result = await run.done;
      expect(result.code, result.stderr).toBe(73);
      expect(count(result.stderr, `Could not save ${output}`)).toBe(1);
      expect(result.stderr).toContain('no space left on the disk (ENOSPC)');
      // What is on disk is an earlier, whole version (atomic writes): not the result.
      expect((readNotebook(output).metadata.papermill as { end_time: string | null }).end_time).toBeNull();
      expect(pidAlive(Number(readFileSync(mark, 'utf8')))).toBe(false);
    } finally {
      execFileSync('umount', [mount]);
      rmSync(mount, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('quire run: two runs, one output', () => {
  it('without --overwrite the second is refused while the first holds the output (even one that writes only at the end); the file is the first\'s', async () => {
    const output = join(dir, 'race.ipynb');
    const [mark, go] = [join(dir, 'race.mark'), join(dir, 'race.go')];
    const input = notebook('race.ipynb', [BLOCKING_CELL]);
    // --no-request-save-on-cell-execute: the first run writes nothing of its own until the end.
    const first = startQuire('run', input, output, '-r', 'who', 'first', '-r', 'MARK', mark, '-r', 'GO', go, '--no-request-save-on-cell-execute');
    try {
      await waitForFile(first, mark, 'the first run\'s cell started');
      // (GO = its own MARK: were it not refused, its cell would end by itself, not hang the test.)
      const second = runQuire('run', input, output, '-r', 'who', 'second', '-r', 'MARK', join(dir, 'race2.mark'), '-r', 'GO', join(dir, 'race2.mark'), '--log-level', 'DEBUG');
      expect(second.code, second.stderr).toBe(1);
      expect(second.stderr).toContain(`Output notebook ${output} already exists or another run has claimed it (pass --overwrite to replace it)`);
      expect(second.stderr).not.toMatch(/Launched kernel/);
      expect(existsSync(join(dir, 'race2.mark'))).toBe(false);
    } finally {
      writeFileSync(go, '');
    }
    const result = await first.done;
    expect(result.code, result.stderr).toBe(0);
    expect(readNotebook(output).metadata.papermill).toMatchObject({ parameters: { who: 'first' } });
  }, 120_000);

  it('with --overwrite both run and the last to finish wins', async () => {
    const output = join(dir, 'both.ipynb');
    const [mark, go] = [join(dir, 'both.mark'), join(dir, 'both.go')];
    const input = notebook('both.ipynb', [BLOCKING_CELL]);
    const first = startQuire('run', input, output, '-r', 'who', 'first', '-r', 'MARK', mark, '-r', 'GO', go, '--overwrite');
    try {
      await waitForFile(first, mark, 'the first run\'s cell started');
      const second = runQuire('run', input, output, '-r', 'who', 'second', '-r', 'MARK', join(dir, 'both2.mark'), '-r', 'GO', join(dir, 'both2.mark'), '--overwrite');
      expect(second.code, second.stderr).toBe(0);
      expect(readNotebook(output).metadata.papermill).toMatchObject({ parameters: { who: 'second' } });
    } finally {
      writeFileSync(go, '');
    }
    expect((await first.done).code).toBe(0);
    expect(readNotebook(output).metadata.papermill).toMatchObject({ parameters: { who: 'first' } });
  }, 120_000);
});

describe('quire run: SIGHUP', () => {
  it('is handled like SIGTERM: the kernel is shut down, OUTPUT records cancelled, exit 130', async () => {
    const output = join(dir, 'hup.ipynb');
    const mark = join(dir, 'hup.mark');
    const run = startQuire('run', notebook('hup.ipynb', [BLOCKING_CELL, 'print("never")']), output, '-r', 'MARK', mark);
    await waitForFile(run, mark, 'the cell started');
    process.kill(run.pid, 'SIGHUP');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('cancelled; partial output saved to');
    const papermill = readNotebook(output).metadata.papermill as { quire?: object; end_time?: string };
    expect(papermill.quire).toEqual({ status: 'cancelled' });
    expect(papermill.end_time).toBeTruthy();
    expect(pidAlive(Number(readFileSync(mark, 'utf8')))).toBe(false);
  }, 120_000);
});
