import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanStaleConnectionFiles, connectionFileName, ensureRuntimeDir, STALE_CONNECTION_FILE_MS } from './connectionFiles';
import { waitUntil } from './testing/realKernel';

const root = mkdtempSync(join(tmpdir(), 'quire-connfiles-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A pid that surely belonged to a process that has ended: a child we ran and reaped. */
function deadPid(): number {
  const pid = spawnSync('/bin/sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
  return Number(pid);
}

/** Writes `name` in `dir`, last modified `ageMs` ago. */
function file(dir: string, name: string, ageMs: number): string {
  const path = join(dir, name);
  writeFileSync(path, '{}', { mode: 0o600 });
  const at = (Date.now() - ageMs) / 1000;
  utimesSync(path, at, at);
  return path;
}

describe('stale connection files', () => {
  it('removes only old Quire files of this machine whose host is gone', async () => {
    const dir = mkdtempSync(join(root, 'rt-'));
    const old = STALE_CONNECTION_FILE_MS + 60_000;
    const dead = deadPid();
    const stale = file(dir, connectionFileName('a1', dead), old);
    const young = file(dir, connectionFileName('a2', dead), 1000);
    const alive = file(dir, connectionFileName('a3', process.pid), old);
    const aliveOther = file(dir, connectionFileName('a4', process.ppid), old);
    const jupyters = file(dir, 'kernel-0b9ef3b4-2ae1-4c55-9b1c-5b3c0b2e3c1a.json', old);
    const otherMachine = file(dir, `kernel-quire-00000000-${dead}-a5.json`, old);
    expect(await cleanStaleConnectionFiles(dir)).toEqual([stale]);
    expect(existsSync(stale)).toBe(false);
    for (const kept of [young, alive, aliveOther, jupyters, otherMachine]) expect(existsSync(kept)).toBe(true);
  });

  it('the first ensureRuntimeDir of a dir in a process cleans it (in the background)', async () => {
    const dir = mkdtempSync(join(root, 'rt-'));
    const stale = file(dir, connectionFileName('b1', deadPid()), STALE_CONNECTION_FILE_MS + 60_000);
    expect(await ensureRuntimeDir(dir)).toBe(dir);
    await waitUntil(() => !existsSync(stale), 5000, 'the stale file to be cleaned');
  });
});
