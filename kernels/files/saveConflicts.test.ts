import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, type QuireError } from '../../src/errors';
import { createHost } from '../host/createHost';
import { readNotebookFile, writeNotebookFile } from './notebookFiles';
import { lockPathFor } from './saveLock';

const fixture = fileURLToPath(new URL('../testing/saveFixture.ts', import.meta.url));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-conflicts-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const notebookText = (source: string) =>
  JSON.stringify({ cells: [{ cell_type: 'markdown', id: 'a1', metadata: {}, source }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sourceOf = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { cells: Array<{ source: unknown }> }).cells[0].source;
const leftovers = (folder: string) => readdirSync(folder).filter((f) => /quire-(tmp|lock)/.test(f)).sort();

async function rejection(promise: Promise<unknown>): Promise<QuireError> {
  try {
    await promise;
  } catch (error) {
    return error as QuireError;
  }
  throw new Error('expected a rejection');
}

/** A saveFixture process with its JSON lines as a queue the test awaits one by one. */
function saver(path: string, marker: string, expectedHash: string, mode: 'gate' | 'hang' | 'plain') {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fixture, path, marker, expectedHash, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return {
    child,
    exited,
    async next(): Promise<Record<string, unknown>> {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the saver exited early: ${stderr}`);
      return JSON.parse(value as string) as Record<string, unknown>;
    },
    go: () => child.stdin!.write('go\n'),
  };
}

describe('saves and what is on disk', () => {
  it('reads and writes carry the SHA-256 of the bytes read and written', async () => {
    const path = join(dir, 'hash.ipynb');
    writeFileSync(path, notebookText('one'));
    const doc = await readNotebookFile(path);
    expect(doc.contentHash).toBe(sha256(readFileSync(path)));
    doc.notebook.cells[0].source = 'two';
    const stat = await writeNotebookFile(path, doc.notebook, { expectedContentHash: doc.contentHash });
    expect(stat.contentHash).toBe(sha256(readFileSync(path)));
    expect(stat.contentHash).not.toBe(doc.contentHash);
  });

  it('an outside edit that restored the old mtime is still noticed (content hash), and kept', async () => {
    const path = join(dir, 'sneaky.ipynb');
    writeFileSync(path, notebookText('mine'));
    const mtime = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    utimesSync(path, mtime, mtime);
    const doc = await readNotebookFile(path);
    // Same size, same mtime: only the bytes tell.
    writeFileSync(path, notebookText('them'));
    utimesSync(path, mtime, mtime);
    doc.notebook.cells[0].source = 'mine, edited';
    const error = await rejection(writeNotebookFile(path, doc.notebook, { expectedContentHash: doc.contentHash, expectedMtimeMs: doc.mtimeMs }));
    expect(error.code).toBe(ErrorCode.FileChangedOnDisk);
    expect(error.message).toMatch(/its content differs, although its modification time is the same/);
    expect(error.details).toMatchObject({ reason: 'contentChanged', expectedContentHash: doc.contentHash, actualContentHash: sha256(readFileSync(path)) });
    expect(sourceOf(path)).toBe('them');
    expect(leftovers(dir)).toEqual([]);
  });

  it('a file deleted or renamed since it was read is not recreated (FILE_DELETED); save-as still creates', async () => {
    for (const how of ['delete', 'rename'] as const) {
      const path = join(dir, `gone-${how}.ipynb`);
      writeFileSync(path, notebookText('x'));
      const doc = await readNotebookFile(path);
      if (how === 'delete') unlinkSync(path);
      else renameSync(path, join(dir, `renamed-${how}.ipynb`));
      for (const expectation of [{ expectedContentHash: doc.contentHash }, { expectedMtimeMs: doc.mtimeMs }]) {
        const error = await rejection(writeNotebookFile(path, doc.notebook, expectation));
        expect(error.code, how).toBe(ErrorCode.FileDeleted);
        expect(error.message).toBe(`${path} was deleted or renamed since it was opened, so it was not saved there. Save it again to recreate it, or save it under another name.`);
        expect(existsSync(path)).toBe(false);
      }
      // Without an expectation (save as, or the user chose to recreate it), it is written.
      await writeNotebookFile(path, doc.notebook);
      expect(sourceOf(path)).toEqual(['x']);
    }
    // Its whole folder gone (renamed, deleted) is the same for the notebook.
    const folder = join(dir, 'folder-gone');
    mkdirSync(folder);
    const inFolder = join(folder, 'nb.ipynb');
    writeFileSync(inFolder, notebookText('x'));
    const doc = await readNotebookFile(inFolder);
    renameSync(folder, join(dir, 'folder-moved'));
    expect((await rejection(writeNotebookFile(inFolder, doc.notebook, { expectedContentHash: doc.contentHash }))).code).toBe(ErrorCode.FileDeleted);
    expect(existsSync(folder)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it('two saves in one process with the same expected hash: the second sees the first and is refused', async () => {
    const path = join(dir, 'twice.ipynb');
    writeFileSync(path, notebookText('base'));
    const doc = await readNotebookFile(path);
    const save = (source: string) => writeNotebookFile(path, { ...doc.notebook, cells: [{ ...doc.notebook.cells[0], source }] }, { expectedContentHash: doc.contentHash });
    const results = await Promise.allSettled([save('first'), save('second')]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: ErrorCode.FileChangedOnDisk } });
    expect(sourceOf(path)).toBe('first');
  });

  it('two processes racing to save: the one that waited for the lock sees the winner and is refused', async () => {
    const path = join(dir, 'race.ipynb');
    writeFileSync(path, notebookText('base'));
    const hash = sha256(readFileSync(path));
    const a = saver(path, 'from A', hash, 'gate');
    expect(await a.next()).toEqual({ step: 'locked' });
    // B has read the same version and saves while A holds the lock (between its check and rename).
    const b = saver(path, 'from B', hash, 'gate');
    expect(await b.next()).toEqual({ step: 'waiting' });
    a.go();
    expect(await a.next()).toMatchObject({ step: 'beforeRename' });
    const resultA = await a.next();
    expect(resultA).toMatchObject({ ok: true });
    expect(await b.next()).toEqual({ step: 'locked' });
    b.go();
    const resultB = await b.next();
    expect(resultB).toMatchObject({ ok: false, code: ErrorCode.FileChangedOnDisk });
    expect(sourceOf(path)).toBe('from A');
    expect(resultA.contentHash).toBe(sha256(readFileSync(path)));
    await Promise.all([a.exited, b.exited]);
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);

  it('a save killed (SIGKILL) before its rename leaves the file as it was; its lock is taken over and a new host removes its old temp file', async () => {
    const folder = join(dir, 'killed');
    mkdirSync(folder);
    const path = join(folder, 'nb.ipynb');
    writeFileSync(path, notebookText('before'));
    const before = readFileSync(path);
    const s = saver(path, 'never saved', sha256(before), 'hang');
    expect(await s.next()).toEqual({ step: 'locked' });
    const { temp } = (await s.next()) as { temp: string };
    s.child.kill('SIGKILL');
    expect(await s.exited).toBe('SIGKILL');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readFileSync(temp).length).toBeGreaterThan(4 * 1024 * 1024);
    expect(existsSync(lockPathFor(path))).toBe(true);

    // An old leftover (the killed save's, aged), a fresh one (maybe a live save elsewhere), and an old
    // one of another user (root only can make one).
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(temp, old, old);
    const fresh = join(folder, '.nb.ipynb.0123456789ab.quire-tmp');
    writeFileSync(fresh, 'partial');
    const others = join(folder, '.nb.ipynb.ba9876543210.quire-tmp');
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      writeFileSync(others, 'someone else');
      chownSync(others, 1234, 1234);
      utimesSync(others, old, old);
    }
    const host = createHost({ root: dir, openPath: 'killed/nb.ipynb', shell: 'browser', configDir: join(dir, 'config') });
    try {
      await host.leftoversCleaned;
      expect(existsSync(temp)).toBe(false);
      expect(existsSync(lockPathFor(path))).toBe(false);
      expect(existsSync(fresh)).toBe(true);
      if (asRoot) expect(existsSync(others)).toBe(true);
    } finally {
      await host.shutdown();
    }
  }, 60_000);

  it('a lock left by a killed save does not block the next save', async () => {
    const path = join(dir, 'stale-lock.ipynb');
    writeFileSync(path, notebookText('before'));
    const s = saver(path, 'never saved', sha256(readFileSync(path)), 'hang');
    expect(await s.next()).toEqual({ step: 'locked' });
    await s.next();
    s.child.kill('SIGKILL');
    await s.exited;
    expect(existsSync(lockPathFor(path))).toBe(true);
    const doc = await readNotebookFile(path);
    doc.notebook.cells[0].source = 'after';
    await writeNotebookFile(path, doc.notebook, { expectedContentHash: doc.contentHash });
    expect(sourceOf(path)).toBe('after');
    expect(existsSync(lockPathFor(path))).toBe(false);
  }, 60_000);
});
