/** Claiming run outputs on real files: concurrent claims, release, the overwrite write test. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atomicWriteFile } from '../files/atomicWrite';
import { claimOutput } from './outputClaim';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-claim-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('claimOutput', () => {
  it('of 20 claims of one path made at once, exactly one succeeds; the others get FILE_EXISTS; no temp files are left', async () => {
    const path = join(dir, 'race', 'out.ipynb');
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => claimOutput(path, { overwrite: false, inputPath: 'in.ipynb' })));
    expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected')) expect(r.reason).toMatchObject({ code: 'FILE_EXISTS' });
    expect(readdirSync(join(dir, 'race'))).toEqual(['out.ipynb']);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ cells: [], metadata: { papermill: { input_path: 'in.ipynb', output_path: path, end_time: null } } });
  });

  it('release removes the placeholder only while it is one: a file the run saved over it stays', async () => {
    const path = join(dir, 'release.ipynb');
    const unused = await claimOutput(path, { overwrite: false, inputPath: 'in.ipynb' });
    await unused.release();
    expect(readdirSync(dir)).not.toContain('release.ipynb');
    const used = await claimOutput(path, { overwrite: false, inputPath: 'in.ipynb' });
    await atomicWriteFile(path, '{"the": "run"}');
    await used.release();
    expect(readFileSync(path, 'utf8')).toBe('{"the": "run"}');
  });

  it('release keeps a run\'s file that has the placeholder\'s inode number (ext4 reuses freed inodes for later saves)', async () => {
    const path = join(dir, 'reused.ipynb');
    const claim = await claimOutput(path, { overwrite: false, inputPath: 'in.ipynb' });
    // The same inode with the run's bytes: what release sees when the final save got the number back.
    const inode = statSync(path).ino;
    writeFileSync(path, '{"the": "run, saved last"}');
    expect(statSync(path).ino).toBe(inode);
    await claim.release();
    expect(readFileSync(path, 'utf8')).toBe('{"the": "run, saved last"}');
  });

  it('with overwrite, tests the folder and leaves an existing output untouched', async () => {
    const path = join(dir, 'existing.ipynb');
    writeFileSync(path, 'old');
    const claim = await claimOutput(path, { overwrite: true, inputPath: 'in.ipynb' });
    await claim.release();
    expect(readFileSync(path, 'utf8')).toBe('old');
    mkdirSync(join(dir, 'folder.ipynb'));
    await expect(claimOutput(join(dir, 'folder.ipynb'), { overwrite: true, inputPath: 'in.ipynb' })).rejects.toMatchObject({ code: 'WRITE_FAILED', details: { errno: 'EISDIR' } });
    expect(readdirSync(dir).filter((n) => n.endsWith('.quire-tmp'))).toEqual([]);
  });
});
