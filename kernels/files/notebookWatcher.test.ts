import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, type QuireError } from '../../src/errors';
import type { NotebookFileChange } from '../../src/host/contract';
import type { Notebook } from '../../src/jupyter/nbformat';
import { createProtocolPair } from '../../src/ipc/protocol';
import { connectHostClient, serveHost } from '../../src/host/channels';
import { createHost } from '../host/createHost';
import { NotebookFileService } from '../host/notebookService';
import { trackNotebookWatches } from './notebookWatcher';

const sha = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
const notebook = (source: string): Notebook => ({
  nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', id: 'a', metadata: {}, source, outputs: [], execution_count: null }],
});

let base: string;
let root: string;
let n = 0;
const services: NotebookFileService[] = [];
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'quire-watch-'));
  root = join(base, 'work');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(join(base, 'outside'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));
afterEach(() => { for (const s of services.splice(0)) s.dispose(); });

function service(restrictToRoot = false): NotebookFileService {
  const s = new NotebookFileService({ root, shell: 'browser', configDir: join(base, 'config'), recoveryDir: join(base, 'recovery'), restrictToRoot });
  services.push(s);
  return s;
}

/** A notebook file written through the service (its canonical bytes), with a fresh name. */
async function notebookFile(files: NotebookFileService, source = 'x = 1'): Promise<string> {
  const path = join(root, `nb${++n}.ipynb`);
  await files.writeNotebook(path, notebook(source));
  return path;
}

/** Every change event, and a promise of the next one for a path. */
function changes(files: NotebookFileService) {
  const seen: NotebookFileChange[] = [];
  const waiting: Array<{ path: string; resolve: (c: NotebookFileChange) => void }> = [];
  files.onDidChangeNotebookFile((change) => {
    seen.push(change);
    const i = waiting.findIndex((w) => w.path === change.path);
    if (i >= 0) waiting.splice(i, 1)[0].resolve(change);
  });
  return {
    seen,
    next: (path: string) => new Promise<NotebookFileChange>((resolve) => waiting.push({ path, resolve })),
  };
}

describe('watching notebooks on disk', () => {
  it('says what is on disk when the watch begins, and reports an outside write with the new hash', async () => {
    const files = service();
    const path = await notebookFile(files);
    const state = await files.watchNotebook(path);
    expect(state).toEqual({ path, exists: true, mtimeMs: expect.any(Number), contentHash: sha(readFileSync(path)) });
    const events = changes(files);
    const next = events.next(path);
    const bytes = readFileSync(path, 'utf8').replace('x = 1', 'x = 2');
    writeFileSync(path, bytes);
    expect(await next).toEqual({ path, kind: 'changed', mtimeMs: expect.any(Number), contentHash: sha(bytes) });
  });

  it('keeps watching through atomic replaces (write a temp file, rename it over the notebook)', async () => {
    const files = service();
    const path = await notebookFile(files);
    await files.watchNotebook(path);
    const events = changes(files);
    for (const value of ['2', '3']) {
      const next = events.next(path);
      const bytes = readFileSync(path, 'utf8').replace(/x = \d/, `x = ${value}`);
      writeFileSync(`${path}.tmp`, bytes);
      renameSync(`${path}.tmp`, path);
      expect(await next).toEqual({ path, kind: 'changed', mtimeMs: expect.any(Number), contentHash: sha(bytes) });
    }
  });

  it('reports a deleted notebook, and its coming back', async () => {
    const files = service();
    const path = await notebookFile(files);
    await files.watchNotebook(path);
    const events = changes(files);
    const bytes = readFileSync(path);
    const gone = events.next(path);
    unlinkSync(path);
    expect(await gone).toEqual({ path, kind: 'deleted' });
    const back = events.next(path);
    writeFileSync(path, bytes);
    expect(await back).toEqual({ path, kind: 'changed', mtimeMs: expect.any(Number), contentHash: sha(bytes) });
  });

  it("reports the host's own writes once, with their hash, and a write of the same bytes not at all", async () => {
    const files = service();
    const path = await notebookFile(files, 'same');
    await files.watchNotebook(path);
    const events = changes(files);
    // The same bytes again: no news. The outside write after it is the first event.
    await files.writeNotebook(path, notebook('same'));
    const outside = events.next(path);
    const outsideBytes = readFileSync(path, 'utf8').replace('same', 'outside');
    writeFileSync(path, outsideBytes);
    expect(await outside).toMatchObject({ kind: 'changed', contentHash: sha(outsideBytes) });
    // New bytes through the host (another window's save): reported at once, and its fs event is no news.
    const saved = await files.writeNotebook(path, notebook('saved'));
    expect(events.seen.at(-1)).toEqual({ path, kind: 'changed', mtimeMs: saved.mtimeMs, contentHash: saved.contentHash });
    const after = events.next(path);
    const laterBytes = readFileSync(path, 'utf8').replace('saved', 'later');
    writeFileSync(path, laterBytes);
    expect(await after).toMatchObject({ contentHash: sha(laterBytes) });
    expect(events.seen.map((e) => e.contentHash)).toEqual([sha(outsideBytes), saved.contentHash, sha(laterBytes)]);
  });

  it('counts watches: the last unwatch ends the folder watch; unknown paths are fine', async () => {
    const files = service();
    const watcher = (files as unknown as { watcher: { refs(p: string): number; watchedFolders: number } }).watcher;
    const a = await notebookFile(files);
    const b = await notebookFile(files);
    await files.watchNotebook(a);
    await files.watchNotebook(a);
    await files.watchNotebook(b);
    expect([watcher.refs(a), watcher.refs(b), watcher.watchedFolders]).toEqual([2, 1, 1]);
    await files.unwatchNotebook(a);
    await files.unwatchNotebook(join(root, 'never-watched.ipynb'));
    // Still watched once: a change is reported.
    const events = changes(files);
    const next = events.next(a);
    writeFileSync(a, readFileSync(a, 'utf8').replace('x = 1', 'x = 5'));
    expect((await next).kind).toBe('changed');
    await files.unwatchNotebook(a);
    expect([watcher.refs(a), watcher.watchedFolders]).toEqual([0, 1]);
    await files.unwatchNotebook(b);
    expect(watcher.watchedFolders).toBe(0);
  });

  it("ends a client's watches when it goes away, and only that client's", async () => {
    const files = service();
    const watcher = (files as unknown as { watcher: { refs(p: string): number } }).watcher;
    const path = await notebookFile(files);
    const one = trackNotebookWatches(files);
    const two = trackNotebookWatches(files);
    await one.files.watchNotebook(path);
    await one.files.watchNotebook(path);
    await two.files.watchNotebook(path);
    // A client cannot lower another's count.
    await two.files.unwatchNotebook(path);
    await two.files.unwatchNotebook(path);
    expect(watcher.refs(path)).toBe(2);
    one.release();
    expect(watcher.refs(path)).toBe(0);
  });

  it('does not report a rename by the host as a deletion', async () => {
    const files = service();
    const path = await notebookFile(files);
    const other = await notebookFile(files);
    await files.watchNotebook(path);
    await files.watchNotebook(other);
    const events = changes(files);
    await files.renamePath(path, join(root, 'sub', `moved${n}.ipynb`));
    // Gate on a later change of another watched notebook of the folder: the rename's events came before it.
    const next = events.next(other);
    writeFileSync(other, readFileSync(other, 'utf8').replace('x = 1', 'x = 7'));
    await next;
    expect(events.seen.filter((e) => e.path === path)).toEqual([]);
  });

  it('keeps the browser host inside its workspace, and serves the events over the wire', async () => {
    expect(((await service(true).watchNotebook(join(base, 'outside', 'x.ipynb')).catch((e: unknown) => e)) as QuireError).code).toBe(ErrorCode.Unauthorized);
    const host = createHost({ root, shell: 'browser', configDir: mkdtempSync(join(base, 'config-')), dataDir: mkdtempSync(join(base, 'data-')) });
    const [serverEnd, clientEnd] = createProtocolPair();
    const server = serveHost(serverEnd, host);
    const { host: remote, client } = connectHostClient(clientEnd, { native: false });
    try {
      expect(((await remote.files.watchNotebook(join(base, 'outside', 'x.ipynb')).catch((e: unknown) => e)) as QuireError).code).toBe(ErrorCode.Unauthorized);
      const path = join(root, `wire${++n}.ipynb`);
      await remote.files.writeNotebook(path, notebook('x = 1'));
      const state = await remote.files.watchNotebook(path);
      const next = new Promise<NotebookFileChange>((resolve) => remote.files.onDidChangeNotebookFile((c) => { if (c.path === path) resolve(c); }));
      const bytes = readFileSync(path, 'utf8').replace('x = 1', 'x = 9');
      writeFileSync(path, bytes);
      expect(await next).toEqual({ path, kind: 'changed', mtimeMs: expect.any(Number), contentHash: sha(bytes) });
      expect(state.contentHash).not.toBe(sha(bytes));
      await remote.files.unwatchNotebook(path);
    } finally {
      client.dispose();
      server.dispose();
      host.dispose();
    }
  });
});
