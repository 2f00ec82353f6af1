import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Event } from '../../src/base/event';
import type { INotebookFileService, IRunService, RunInfo, RunRequest } from '../../src/host/contract';
import { guardFileService, guardRunService, WorkspaceGuard } from './workspaceGuard';

let dir: string;
let root: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-guard-'));
  root = join(dir, 'ws');
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'outside.ipynb'), '{}');
  symlinkSync(dir, join(root, 'escape'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('WorkspaceGuard', () => {
  it('accepts paths inside the root, relative ones resolved from it', () => {
    const guard = new WorkspaceGuard(root);
    expect(guard.check('sub/a.ipynb')).toBe(join(root, 'sub', 'a.ipynb'));
    expect(guard.check(join(root, 'new', 'deeper', 'b.ipynb'))).toBe(join(root, 'new', 'deeper', 'b.ipynb'));
    expect(guard.check(root)).toBe(root);
  });

  it('refuses .., absolute paths elsewhere, symlinks out and NUL bytes', () => {
    const guard = new WorkspaceGuard(root);
    expect(() => guard.check('../outside.ipynb')).toThrow(/outside the workspace/);
    expect(() => guard.check(join(dir, 'outside.ipynb'))).toThrow(/outside the workspace/);
    expect(() => guard.check('escape/outside.ipynb')).toThrow(/outside the workspace/);
    expect(() => guard.check('sub/../../outside.ipynb')).toThrow(/outside the workspace/);
    expect(() => guard.check('a\0b')).toThrow(/non-empty string/);
    expect(() => guard.check('/etc/passwd')).toThrow(/outside the workspace/);
  });
});

describe('guarded services', () => {
  it('passes checked absolute paths to the file service and hides recent files outside', async () => {
    const seen: string[] = [];
    const files = {
      readNotebook: async (path: string) => {
        seen.push(path);
        return { path } as never;
      },
      getRecentFiles: async () => [join(root, 'a.ipynb'), join(dir, 'outside.ipynb')],
    } as unknown as INotebookFileService;
    const guarded = guardFileService(files, new WorkspaceGuard(root));
    await guarded.readNotebook('sub/x.ipynb');
    expect(seen).toEqual([join(root, 'sub', 'x.ipynb')]);
    await expect(guarded.readNotebook('../outside.ipynb')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await guarded.getRecentFiles()).toEqual([join(root, 'a.ipynb')]);
  });

  it('keeps run inputs, templated outputs and cwd inside the root', async () => {
    const started: RunRequest[] = [];
    const runs: IRunService = {
      startRun: async (request) => {
        started.push(request);
        return { runId: '1' } as RunInfo;
      },
      startBatch: async () => [],
      cancelRun: async () => undefined,
      getRun: async () => ({}) as RunInfo,
      listRuns: async () => [],
      onDidChangeRun: Event.None,
      onDidRunOutput: Event.None,
    };
    const guarded = guardRunService(runs, new WorkspaceGuard(root));
    await guarded.startRun({ inputPath: 'a.ipynb', outputPath: 'out/{alpha}.ipynb', parameters: { alpha: 0.5 } });
    expect(started[0]).toMatchObject({ inputPath: join(root, 'a.ipynb'), outputPath: join(root, 'out', '{alpha}.ipynb') });
    await expect(guarded.startRun({ inputPath: 'a.ipynb', outputPath: 'out/{name}.ipynb', parameters: { name: '../../x' } })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(guarded.startRun({ inputPath: '../outside.ipynb', parameters: {} })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(guarded.startRun({ inputPath: 'a.ipynb', cwd: dir, parameters: {} })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(started).toHaveLength(1);

    // A notebook in a sub-folder: its relative output template belongs to that folder (where the
    // run service and the app's preview put it), not to the workspace root.
    await guarded.startRun({ inputPath: 'sub/b.ipynb', outputPath: 'runs/{notebook}_{run_id}.ipynb', parameters: {} });
    expect(started[1]).toMatchObject({ inputPath: join(root, 'sub', 'b.ipynb'), outputPath: join(root, 'sub', 'runs', '{notebook}_{run_id}.ipynb') });
  });
});
