import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, type QuireError } from '../../src/errors';
import { acquireSaveLock, lockPathFor } from './saveLock';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-lock-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lockOf = (pid: number, time = Date.now()) => JSON.stringify({ pid, host: hostname(), time, nonce: 'x' });

describe('the save lock', () => {
  it('is a file beside the target with our pid, removed on release', async () => {
    const target = join(dir, 'a.ipynb');
    const lock = await acquireSaveLock(target);
    expect(lock.path).toBe(join(dir, '.a.ipynb.quire-lock'));
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('waits while a live process holds it, and goes on once it is released', async () => {
    const target = join(dir, 'b.ipynb');
    writeFileSync(lockPathFor(target), lockOf(process.pid));
    let waitedFor: number | undefined;
    const lock = await acquireSaveLock(target, {
      onWait: (holder) => {
        waitedFor = holder.pid;
        unlinkSync(lockPathFor(target)); // the other save finishes
      },
    });
    expect(waitedFor).toBe(process.pid);
    await lock.release();
  });

  it('gives up with WRITE_FAILED (reason locked, the holder pid) when a live holder keeps it', async () => {
    const target = join(dir, 'c.ipynb');
    writeFileSync(lockPathFor(target), lockOf(process.pid));
    const error = (await acquireSaveLock(target, { timeoutMs: 50 }).catch((e: unknown) => e)) as QuireError;
    expect(error).toMatchObject({ code: ErrorCode.WriteFailed, details: { reason: 'locked', pid: process.pid } });
    expect(error.message).toContain(`another program (pid ${process.pid}) is saving ${target}`);
    unlinkSync(lockPathFor(target));
  });

  it('takes over a lock far older than any save (a reused pid) and an empty one left long ago', async () => {
    const old = join(dir, 'd.ipynb');
    writeFileSync(lockPathFor(old), lockOf(process.pid, Date.now() - 10 * 60_000));
    await (await acquireSaveLock(old, { timeoutMs: 0 })).release();
    const empty = join(dir, 'e.ipynb');
    writeFileSync(lockPathFor(empty), '');
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(lockPathFor(empty), longAgo, longAgo);
    await (await acquireSaveLock(empty, { timeoutMs: 0 })).release();
    expect(existsSync(lockPathFor(old)) || existsSync(lockPathFor(empty))).toBe(false);
  });

  it('release leaves a lock that is no longer ours alone', async () => {
    const target = join(dir, 'f.ipynb');
    const lock = await acquireSaveLock(target);
    const theirs = lockOf(process.pid);
    writeFileSync(lock.path, theirs); // taken over meanwhile by someone else
    await lock.release();
    expect(readFileSync(lock.path, 'utf8')).toBe(theirs);
    unlinkSync(lock.path);
  });
});
