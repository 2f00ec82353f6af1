/** The host's journal of unsaved edits (files.saveRecovery / readRecovery / discardRecovery). */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, type QuireError } from '../../src/errors';
import type { RecoveryEntry } from '../../src/host/contract';
import type { Notebook } from '../../src/jupyter/nbformat';
import { createProtocolPair } from '../../src/ipc/protocol';
import { connectHostClient, serveHost } from '../../src/host/channels';
import { quireDataDir } from '../quireDataDir';
import { createHost } from './createHost';
import { NotebookFileService } from './notebookService';

let base: string;
let root: string;
let outside: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'quire-recovery-'));
  root = join(base, 'work');
  outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  symlinkSync(outside, join(root, 'link-out'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const notebook = (source: string): Notebook => ({
  nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: 'a', cell_type: 'code', metadata: {}, source, execution_count: null, outputs: [] }],
});
const entry = (source: string, savedAt = 1000): RecoveryEntry => ({ path: 'ignored', notebook: notebook(source), mtimeMs: 5, contentHash: 'abc', savedAt });

async function rejection(promise: Promise<unknown>): Promise<QuireError> {
  try {
    await promise;
  } catch (error) {
    return error as QuireError;
  }
  throw new Error('expected a rejection');
}

function served(dataDir: string, shell: 'browser' | 'electron' = 'browser') {
  const host = createHost({ root, shell, configDir: join(base, 'config'), dataDir });
  const [serverEnd, clientEnd] = createProtocolPair();
  const server = serveHost(serverEnd, host);
  const { host: remote, client } = connectHostClient(clientEnd, { native: false });
  return { files: remote.files, dispose: () => { client.dispose(); server.dispose(); host.dispose(); } };
}

describe('the host journal of unsaved edits', () => {
  it('save, read back, replace, discard, over the RPC; one 0600 file per notebook, named by its path, in a 0700 folder', async () => {
    const dataDir = join(base, 'data-1');
    const { files, dispose } = served(dataDir);
    try {
      expect(await files.readRecovery('a.ipynb')).toBeNull();
      await files.saveRecovery('a.ipynb', entry('first'));
      await files.saveRecovery(join(root, 'a.ipynb'), entry('second', 2000));
      await files.saveRecovery('b.ipynb', entry('other'));
      expect(await files.readRecovery('a.ipynb')).toEqual({ path: join(root, 'a.ipynb'), notebook: notebook('second'), mtimeMs: 5, contentHash: 'abc', savedAt: 2000 });

      const dir = join(dataDir, 'recovery');
      const name = `${createHash('sha256').update(join(root, 'a.ipynb')).digest('hex')}.json`;
      expect(readdirSync(dir).sort()).toEqual([name, `${createHash('sha256').update(join(root, 'b.ipynb')).digest('hex')}.json`].sort());
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);

      await files.discardRecovery('a.ipynb');
      await files.discardRecovery('a.ipynb');
      expect(await files.readRecovery('a.ipynb')).toBeNull();
      expect((await files.readRecovery('b.ipynb'))?.notebook).toEqual(notebook('other'));
    } finally {
      dispose();
    }
  });

  it('a save, then a discard sent right after it, leaves nothing (operations on one notebook keep their order)', async () => {
    const { files, dispose } = served(join(base, 'data-2'));
    try {
      const saved = files.saveRecovery('c.ipynb', entry('typed'));
      const discarded = files.discardRecovery('c.ipynb');
      await Promise.all([saved, discarded]);
      expect(await files.readRecovery('c.ipynb')).toBeNull();
    } finally {
      dispose();
    }
  });

  it('the browser host refuses notebooks outside the workspace, also through a symlink; entries that are not notebooks are refused', async () => {
    const dataDir = join(base, 'data-3');
    const { files, dispose } = served(dataDir);
    try {
      for (const path of [join(outside, 'x.ipynb'), '../outside/x.ipynb', 'link-out/x.ipynb']) {
        expect((await rejection(files.saveRecovery(path, entry('x')))).code, path).toBe(ErrorCode.Unauthorized);
        expect((await rejection(files.readRecovery(path))).code, path).toBe(ErrorCode.Unauthorized);
        expect((await rejection(files.discardRecovery(path))).code, path).toBe(ErrorCode.Unauthorized);
      }
      for (const bad of [{}, { notebook: { cells: 'no' }, savedAt: 1 }, { notebook: notebook('x'), savedAt: 'now' }, { ...entry('x'), contentHash: 7 }]) {
        expect((await rejection(files.saveRecovery('d.ipynb', bad as never))).code).toBe(ErrorCode.InvalidArgument);
      }
      expect((await rejection(files.saveRecovery(42 as never, entry('x')))).message).toMatch(/path string/);
      expect(() => readdirSync(join(dataDir, 'recovery'))).toThrow();
    } finally {
      dispose();
    }
  });

  it('a damaged entry is not offered and is kept aside, never overwritten; a larger entry than the limit is refused', async () => {
    const recoveryDir = join(base, 'data-4', 'recovery');
    const service = new NotebookFileService({ root, shell: 'browser', configDir: join(base, 'config'), recoveryDir, restrictToRoot: true, maxNotebookBytes: 2000 });
    await service.saveRecovery('e.ipynb', entry('fine'));
    const [name] = readdirSync(recoveryDir);
    writeFileSync(join(recoveryDir, name), '{"version": 1, "path": ');
    expect(await service.readRecovery('e.ipynb')).toBeNull();
    const aside = readdirSync(recoveryDir).filter((n) => n.startsWith(`${name}.damaged-`));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(recoveryDir, aside[0]), 'utf8')).toBe('{"version": 1, "path": ');
    expect((await rejection(service.saveRecovery('e.ipynb', entry('x'.repeat(3000))))).details).toMatchObject({ reason: 'tooLarge' });
  });

  it('lives in QUIRE_DATA_DIR, else $XDG_DATA_HOME/quire (default ~/.local/share/quire)', () => {
    expect(quireDataDir({ env: { QUIRE_DATA_DIR: '/d', XDG_DATA_HOME: '/x' }, platform: 'linux', homeDir: '/h' })).toBe('/d');
    expect(quireDataDir({ env: { XDG_DATA_HOME: '/x' }, platform: 'linux', homeDir: '/h' })).toBe('/x/quire');
    expect(quireDataDir({ env: {}, platform: 'linux', homeDir: '/h' })).toBe('/h/.local/share/quire');
  });
});
