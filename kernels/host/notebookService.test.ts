import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, type QuireError } from '../../src/errors';
import { generateJupyterFixtures, type JupyterFixtures } from '../testing/notebookFixtures';
import { createProtocolPair } from '../../src/ipc/protocol';
import { connectHostClient, serveHost } from '../../src/host/channels';
import { createHost } from './createHost';
import { NotebookFileService, platformConfigDir } from './notebookService';

const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const SVG = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>\n';

let fx: JupyterFixtures;
let base: string;
let root: string;
let outside: string;
beforeAll(() => {
  fx = generateJupyterFixtures();
  base = mkdtempSync(join(tmpdir(), 'quire-service-'));
  root = join(base, 'work');
  outside = join(base, 'outside');
  mkdirSync(join(root, 'b-folder'), { recursive: true });
  mkdirSync(join(root, 'A-folder'));
  mkdirSync(join(root, '.hidden-folder'));
  mkdirSync(outside);
  copyFileSync(fx.files['rich-4.5.ipynb'], join(root, 'rich.ipynb'));
  copyFileSync(fx.files['minimal-4.0.ipynb'], join(root, 'nb10.ipynb'));
  copyFileSync(fx.files['minimal-4.0.ipynb'], join(root, 'nb9.ipynb'));
  copyFileSync(fx.files['minimal-4.0.ipynb'], join(root, '.hidden.ipynb'));
  writeFileSync(join(root, 'notes.txt'), 'not a notebook');
  copyFileSync(fx.files['minimal-4.0.ipynb'], join(outside, 'secret.ipynb'));
  symlinkSync(join(outside, 'secret.ipynb'), join(root, 'escape.ipynb'));
  mkdirSync(join(root, 'b-folder', 'figures'));
  writeFileSync(join(root, 'b-folder', 'figures', 'my plot.png'), PNG_1PX);
  writeFileSync(join(root, 'b-folder', 'figures', 'logo.svg'), SVG);
  writeFileSync(join(root, 'b-folder', 'figures', 'huge.png'), PNG_1PX);
  truncateSync(join(root, 'b-folder', 'figures', 'huge.png'), 21 * 1024 * 1024);
  writeFileSync(join(outside, 'private.png'), PNG_1PX);
  symlinkSync(join(outside, 'private.png'), join(root, 'b-folder', 'figures', 'escape.png'));
  symlinkSync(outside, join(root, 'b-folder', 'outside-link'));
}, 60_000);
afterAll(() => {
  fx?.dispose();
  rmSync(base, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<QuireError> {
  try {
    await promise;
  } catch (error) {
    return error as QuireError;
  }
  throw new Error('expected a rejection');
}

const service = (restrictToRoot: boolean, configDir = mkdtempSync(join(base, 'config-'))) =>
  new NotebookFileService({ root, openPath: 'rich.ipynb', shell: 'browser', configDir, restrictToRoot });

describe('NotebookFileService', () => {
  it('describes the workspace', async () => {
    const ws = await service(true).getWorkspace();
    expect(ws).toMatchObject({ root, openPath: join(root, 'rich.ipynb'), shell: 'browser' });
    expect(typeof ws.homeDir).toBe('string');
  });

  it('lists folders first, then notebooks, natural order, hidden and other files skipped', async () => {
    const entries = await service(false).listDirectory(root);
    expect(entries.map((e) => `${e.kind}:${e.name}`)).toEqual([
      'directory:A-folder',
      'directory:b-folder',
      'file:escape.ipynb',
      'file:nb9.ipynb',
      'file:nb10.ipynb',
      'file:rich.ipynb',
    ]);
    expect(entries.every((e) => e.kind === 'directory' || e.isNotebook)).toBe(true);
  });

  it('reads (relative paths from the root) and saves byte-identically', async () => {
    const files = service(true);
    const doc = await files.readNotebook('rich.ipynb');
    expect(doc.path).toBe(join(root, 'rich.ipynb'));
    expect(doc.warnings).toEqual([]);
    expect('text' in doc).toBe(false);
    const before = readFileSync(join(root, 'rich.ipynb'));
    const stat = await files.writeNotebook('rich.ipynb', JSON.parse(JSON.stringify(doc.notebook)), { expectedMtimeMs: doc.mtimeMs });
    expect(readFileSync(join(root, 'rich.ipynb')).equals(before)).toBe(true);
    expect(stat).toMatchObject({ exists: true, kind: 'file', size: before.length });
    expect(await files.stat('nothing-here.ipynb')).toEqual({ path: join(root, 'nothing-here.ipynb'), exists: false });
  });

  it('keeps the early reads of several notebooks at once (windows of one host opening together)', async () => {
    const notebookWith = (source: string) => JSON.stringify({ cells: [{ cell_type: 'code', id: 'c1', metadata: {}, execution_count: null, outputs: [], source }], metadata: {}, nbformat: 4, nbformat_minor: 5 });
    const mtime = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const paths = ['ahead-1.ipynb', 'ahead-2.ipynb'].map((name) => join(root, name));
    for (const path of paths) {
      writeFileSync(path, notebookWith('a = 1'));
      utimesSync(path, mtime, mtime);
    }
    const files = service(true);
    await Promise.all([files.readAhead(paths[0]), files.readAhead(paths[1]), files.readAhead(paths[0])]);
    // Rewritten with the same size and mtime: what each read gets is its early read.
    for (const path of paths) {
      writeFileSync(path, notebookWith('a = 2'));
      utimesSync(path, mtime, mtime);
    }
    for (const path of paths) expect((await files.readNotebook(path)).notebook.cells[0].source, path).toBe('a = 1');
    for (const path of paths) expect((await files.readNotebook(path)).notebook.cells[0].source, path).toBe('a = 2');
  });

  it('reads the open notebook ahead once, and only while the file is unchanged', async () => {
    const path = join(root, 'ahead.ipynb');
    const notebookWith = (source: string) => JSON.stringify({ cells: [{ cell_type: 'code', id: 'c1', metadata: {}, execution_count: null, outputs: [], source }], metadata: {}, nbformat: 4, nbformat_minor: 5 });
    const sourceOf = async (files: NotebookFileService) => (await files.readNotebook('ahead.ipynb')).notebook.cells[0].source;
    // A whole-second mtime, so setting it again later restores it exactly.
    const mtime = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    writeFileSync(path, notebookWith('a = 1'));
    utimesSync(path, mtime, mtime);
    const files = service(true);
    await files.readAhead('ahead.ipynb');
    // Same size and mtime: the early read is what the page gets (that is the contract: a rewrite
    // that keeps both is taken for no change)...
    writeFileSync(path, notebookWith('a = 2'));
    utimesSync(path, mtime, mtime);
    expect(await sourceOf(files)).toBe('a = 1');
    // ...once: the next read is the file's.
    expect(await sourceOf(files)).toBe('a = 2');

    // Changed since the early read: read again.
    await files.readAhead('ahead.ipynb');
    writeFileSync(path, notebookWith('a = 333'));
    expect(await sourceOf(files)).toBe('a = 333');

    // An early read that failed (not a notebook yet) does not stand in for the file written since.
    writeFileSync(path, '{ not json');
    await files.readAhead('ahead.ipynb');
    writeFileSync(path, notebookWith('a = 4'));
    expect(await sourceOf(files)).toBe('a = 4');
    // Paths the service refuses are not read ahead, and still refused when asked.
    await files.readAhead('../outside/secret.ipynb');
    expect((await rejection(files.readNotebook('../outside/secret.ipynb'))).code).toBe(ErrorCode.Unauthorized);
  });

  it('validates a notebook object with pointers', async () => {
    const problems = await service(true).validateNotebook({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'raw', metadata: {}, source: '' }] } as never);
    expect(problems).toEqual([{ message: 'missing required property "id"', location: { pointer: '/cells/0' } }]);
  });

  it('restrictToRoot refuses paths outside the root, including through symlinks', async () => {
    const files = service(true);
    for (const path of [join(outside, 'secret.ipynb'), '../outside/secret.ipynb', 'escape.ipynb']) {
      expect((await rejection(files.readNotebook(path))).code).toBe(ErrorCode.Unauthorized);
    }
    expect((await rejection(files.writeNotebook(join(outside, 'new.ipynb'), (await files.readNotebook('nb9.ipynb')).notebook))).code).toBe(ErrorCode.Unauthorized);
    expect((await rejection(files.listDirectory(outside))).code).toBe(ErrorCode.Unauthorized);
    expect((await files.listDirectory(root)).map((e) => e.name)).not.toContain('escape.ipynb');
    // Without the restriction (Electron), the user may open any file.
    expect((await service(false).readNotebook(join(outside, 'secret.ipynb'))).notebook.cells).toHaveLength(1);
  });

  it('reads images for display: PNG and SVG by content, relative paths from the root', async () => {
    const files = service(true);
    expect(await files.readImage(join(root, 'b-folder', 'figures', 'my plot.png'))).toEqual({ mime: 'image/png', dataBase64: PNG_1PX.toString('base64') });
    const svg = await files.readImage('b-folder/figures/logo.svg');
    expect(svg.mime).toBe('image/svg+xml');
    expect(Buffer.from(svg.dataBase64, 'base64').toString('utf8')).toBe(SVG);
  });

  it('refuses images outside the root (also through symlinks), too big, not images, and missing ones', async () => {
    const files = service(true);
    for (const path of [join(outside, 'private.png'), '../outside/private.png', 'b-folder/figures/escape.png', 'b-folder/outside-link/private.png', 'b-folder/../../outside/private.png']) {
      const error = await rejection(files.readImage(path));
      expect(error.code, path).toBe(ErrorCode.Unauthorized);
      expect(error.message).toMatch(/is outside the workspace folder/);
    }
    const tooBig = await rejection(files.readImage('b-folder/figures/huge.png'));
    expect(tooBig).toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'tooLarge' } });
    expect(tooBig.message).toBe(`${join(root, 'b-folder', 'figures', 'huge.png')} is 21 MB; images over 20 MB are not shown.`);
    for (const path of ['notes.txt', 'rich.ipynb', 'b-folder/figures']) {
      expect((await rejection(files.readImage(path))).details?.reason, path).toBe('notAnImage');
    }
    expect(await rejection(files.readImage('b-folder/figures/missing.png'))).toMatchObject({ code: ErrorCode.NotFound, message: `${join(root, 'b-folder', 'figures', 'missing.png')} does not exist.` });
    expect((await rejection(files.readImage(''))).code).toBe(ErrorCode.InvalidArgument);
    // Electron (no restriction): images anywhere the user can read.
    expect((await service(false).readImage(join(outside, 'private.png'))).mime).toBe('image/png');
  });

  it('keeps recent files in recent.json, newest first, deduplicated, persisted across instances', async () => {
    const configDir = mkdtempSync(join(base, 'config-'));
    const files = service(false, configDir);
    await Promise.all([files.addRecentFile('nb9.ipynb'), files.addRecentFile('nb10.ipynb')]);
    await files.addRecentFile('nb9.ipynb');
    await files.addRecentFile(join(outside, 'secret.ipynb'));
    expect(await files.getRecentFiles()).toEqual([join(outside, 'secret.ipynb'), join(root, 'nb9.ipynb'), join(root, 'nb10.ipynb')]);
    expect(JSON.parse(readFileSync(join(configDir, 'recent.json'), 'utf8')).files).toHaveLength(3);
    // Another instance (the next app start) sees the same list; the restricted one hides outside files.
    expect(await service(true, configDir).getRecentFiles()).toEqual([join(root, 'nb9.ipynb'), join(root, 'nb10.ipynb')]);
  });

  it('uses $XDG_CONFIG_HOME/quire for its config folder', () => {
    expect(platformConfigDir({ XDG_CONFIG_HOME: '/x/conf' })).toBe('/x/conf/quire');
  });
});

describe('through the host RPC (what the renderer uses)', () => {
  it('open + save over the wire is byte-identical; errors keep their codes and locations', async () => {
    const host = createHost({ root, shell: 'browser', configDir: mkdtempSync(join(base, 'config-')) });
    const [serverEnd, clientEnd] = createProtocolPair();
    const server = serveHost(serverEnd, host);
    const { host: remote, client } = connectHostClient(clientEnd, { native: false });
    try {
      for (const name of ['rich-4.5.ipynb', 'numbers-4.5.ipynb']) {
        const path = join(root, `rpc-${name}`);
        copyFileSync(fx.files[name], path);
        const before = readFileSync(path);
        const doc = await remote.files.readNotebook(path);
        await remote.files.writeNotebook(path, doc.notebook, { expectedMtimeMs: doc.mtimeMs });
        expect(readFileSync(path).equals(before), name).toBe(true);
      }
      writeFileSync(join(root, 'rpc-broken.ipynb'), '{"cells": [\n  {');
      const parseError = await rejection(remote.files.readNotebook('rpc-broken.ipynb'));
      expect(parseError.code).toBe(ErrorCode.NotebookParseError);
      expect(parseError.details?.location).toMatchObject({ line: 2, column: 4 });
      expect((await rejection(remote.files.readNotebook(join(outside, 'secret.ipynb')))).code).toBe(ErrorCode.Unauthorized);
      expect((await remote.files.readImage(join(root, 'b-folder', 'figures', 'my plot.png'))).dataBase64).toBe(PNG_1PX.toString('base64'));
      for (const path of ['b-folder/figures/escape.png', join(outside, 'private.png')]) {
        expect((await rejection(remote.files.readImage(path))).code, path).toBe(ErrorCode.Unauthorized);
      }
      expect((await rejection(remote.files.readImage('b-folder/figures/huge.png'))).details).toMatchObject({ reason: 'tooLarge', limit: 20 * 1024 * 1024 });
      expect((await rejection(remote.files.readImage(42 as never))).message).toMatch(/path string/);
    } finally {
      client.dispose();
      server.dispose();
      serverEnd.close();
      host.dispose();
    }
  });
});
