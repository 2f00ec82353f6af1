/**
 * The file browser's host methods end to end: the real NotebookFileService behind the browser
 * host's guard, over the RPC (so arguments go through JSON, e.g. an absent name arrives as null).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, type QuireError } from '../../src/errors';
import type { HostApi, INotebookFileService } from '../../src/host/contract';
import { connectHostClient, serveHost } from '../../src/host/channels';
import { createProtocolPair } from '../../src/ipc/protocol';
import { NotebookFileService } from './notebookService';
import { guardFileService, WorkspaceGuard } from './workspaceGuard';

let base: string;
let root: string;
let outside: string;
let dataHome: string;
let files: INotebookFileService;
const disposers: Array<() => void> = [];

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'quire-fileops-host-'));
  root = join(base, 'ws');
  outside = join(base, 'outside');
  dataHome = join(base, 'data');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.ipynb'), 'secret');
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync(join(outside, 'secret.ipynb'), join(root, 'escape.ipynb'));
  const service = new NotebookFileService({
    root, shell: 'browser', configDir: join(base, 'config'), recoveryDir: join(base, 'recovery'), restrictToRoot: true,
    trash: { platform: 'linux', env: { XDG_DATA_HOME: dataHome } },
  });
  const [serverEnd, clientEnd] = createProtocolPair();
  const server = serveHost(serverEnd, { files: guardFileService(service, new WorkspaceGuard(root)) } as unknown as HostApi);
  files = connectHostClient(clientEnd, { native: false }).host.files;
  disposers.push(() => server.dispose(), () => service.dispose());
});
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
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

describe('file browser operations through the browser host', () => {
  it('lists every regular file with allFiles (hidden skipped), only folders and notebooks without', async () => {
    writeFileSync(join(root, 'data.csv'), '1');
    writeFileSync(join(root, 'a.ipynb'), '{}');
    writeFileSync(join(root, '.hidden'), '');
    expect((await files.listDirectory(root)).map((e) => e.name)).toEqual(['sub', 'a.ipynb']);
    const all = await files.listDirectory(root, { allFiles: true });
    expect(all.map((e) => `${e.kind}:${e.name}:${e.isNotebook}`)).toEqual(['directory:sub:false', 'file:a.ipynb:true', 'file:data.csv:false']);
  });

  it('creates, duplicates, renames and trashes; two creates at once get two names', async () => {
    const [a, b] = await Promise.all([files.createNotebook(root), files.createNotebook(root)]);
    expect([a.path, b.path].sort()).toEqual([join(root, 'Untitled.ipynb'), join(root, 'Untitled1.ipynb')]);
    expect((await files.readNotebook(a.path)).notebook.cells).toHaveLength(1);
    expect((await files.createFolder(root)).path).toBe(join(root, 'Untitled Folder'));
    expect((await files.createNotebook(join(root, 'sub'), 'named')).path).toBe(join(root, 'sub', 'named.ipynb'));
    expect((await files.duplicate(join(root, 'Untitled.ipynb'))).path).toBe(join(root, 'Untitled-Copy1.ipynb'));
    expect((await files.renamePath(join(root, 'Untitled.ipynb'), 'sub/moved.ipynb')).path).toBe(join(root, 'sub', 'moved.ipynb'));
    expect((await rejection(files.renamePath(join(root, 'Untitled1.ipynb'), join(root, 'sub', 'moved.ipynb')))).code).toBe(ErrorCode.FileExists);
    const trashed = await files.trashPath(join(root, 'sub', 'moved.ipynb'));
    expect(trashed.trashedTo).toBe(join(dataHome, 'Trash', 'files', 'moved.ipynb'));
    expect((await rejection(files.trashPath(join(root, 'sub', 'moved.ipynb')))).code).toBe(ErrorCode.NotFound);
    await files.deletePath(join(root, 'Untitled Folder'));
    expect(readdirSync(root).sort()).toEqual(['Untitled-Copy1.ipynb', 'Untitled1.ipynb', 'escape', 'escape.ipynb', 'sub']);
  });

  it('the guard keeps every new method inside the workspace, symlink escapes too; the root itself is not renamed or trashed', async () => {
    const refused: Array<Promise<unknown>> = [
      files.createNotebook(outside),
      files.createNotebook('escape'),
      files.createFolder('..'),
      files.createFolder(root, '../../outside/x'),
      files.renamePath(join(root, 'sub'), join(outside, 'sub')),
      files.renamePath('escape/secret.ipynb', 'stolen.ipynb'),
      files.renamePath('escape.ipynb', 'stolen.ipynb'),
      files.duplicate('escape.ipynb'),
      files.duplicate(join(outside, 'secret.ipynb')),
      files.trashPath('escape/secret.ipynb'),
      files.trashPath(outside),
      files.deletePath('escape/secret.ipynb'),
    ];
    for (const [i, promise] of refused.entries()) expect((await rejection(promise)).code, String(i)).toBe(ErrorCode.Unauthorized);
    for (const promise of [files.trashPath(root), files.renamePath(root, join(root, 'x')), files.deletePath('.')]) {
      expect(await rejection(promise)).toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'workspaceRoot' } });
    }
    expect(readFileSync(join(outside, 'secret.ipynb'), 'utf8')).toBe('secret');
    expect(readdirSync(outside)).toEqual(['secret.ipynb']);
    expect(existsSync(join(dataHome, 'Trash'))).toBe(false);
  });

  it('refuses bad arguments at the boundary', async () => {
    const raw = files as unknown as { renamePath(a: unknown, b: unknown): Promise<unknown>; createNotebook(a: unknown, b: unknown): Promise<unknown> };
    expect((await rejection(raw.renamePath(join(root, 'sub'), 42))).message).toMatch(/second argument must be a path/);
    expect((await rejection(raw.createNotebook(root, { name: 'x' }))).message).toMatch(/name must be a string/);
  });
});
