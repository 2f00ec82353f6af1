import { describe, expect, it } from 'vitest';
import type { NotebookDocument, WorkspaceInfo } from '../../src/host/contract';
import { fakeHost } from '../testing/fakeHost';
import { withStartupReads } from './startupReads';
import { DEFAULT_SETTINGS } from '../../src/settings/settings';

const workspace = (openPath?: string): WorkspaceInfo => ({ root: '/w', ...(openPath ? { openPath } : {}), homeDir: '/home', platform: 'linux', shell: 'browser' });
const document = (path: string, n: number): NotebookDocument => ({ path, notebook: { cells: [], metadata: { n }, nbformat: 4, nbformat_minor: 5 }, mtimeMs: n, size: n, warnings: [] });

/** A host that counts its calls and answers reads with increasing numbers. */
function countingHost(info: WorkspaceInfo, fail?: Error) {
  const calls = { getWorkspace: 0, readNotebook: [] as string[] };
  const host = fakeHost({
    files: {
      getWorkspace: async () => { calls.getWorkspace += 1; return info; },
      readNotebook: async (path: string) => {
        calls.readNotebook.push(path);
        if (fail) throw fail;
        return document(path, calls.readNotebook.length);
      },
    },
  });
  return { host, calls };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('withStartupReads', () => {
  it('asks for the workspace and its notebook at once; the first asks of the app take those answers', async () => {
    const { host, calls } = countingHost(workspace('/w/a.ipynb'));
    const wrapped = withStartupReads(host);
    await settle();
    // Both reads are under way before the app asked for anything.
    expect(calls).toEqual({ getWorkspace: 1, readNotebook: ['/w/a.ipynb'] });
    expect(await wrapped.files.getWorkspace()).toEqual(workspace('/w/a.ipynb'));
    expect((await wrapped.files.readNotebook('/w/a.ipynb')).size).toBe(1);
    expect(calls).toEqual({ getWorkspace: 1, readNotebook: ['/w/a.ipynb'] });
    // Later asks go to the host.
    expect((await wrapped.files.readNotebook('/w/a.ipynb')).size).toBe(2);
    await wrapped.files.getWorkspace();
    expect(calls).toEqual({ getWorkspace: 2, readNotebook: ['/w/a.ipynb', '/w/a.ipynb'] });
  });

  it('the early read is found even when the app asks for the notebook in the same turn as the workspace answer', async () => {
    const { host, calls } = countingHost(workspace('/w/a.ipynb'));
    const wrapped = withStartupReads(host);
    const doc = await wrapped.files.getWorkspace().then((info) => wrapped.files.readNotebook(info.openPath!));
    expect(doc.size).toBe(1);
    expect(calls.readNotebook).toEqual(['/w/a.ipynb']);
  });

  it('reads nothing early for a folder, and another path is read on its own', async () => {
    const folder = countingHost(workspace('/w/folder'));
    withStartupReads(folder.host);
    await settle();
    expect(folder.calls.readNotebook).toEqual([]);

    const { host, calls } = countingHost(workspace('/w/a.ipynb'));
    const wrapped = withStartupReads(host);
    expect((await wrapped.files.readNotebook('/w/b.ipynb')).path).toBe('/w/b.ipynb');
    expect(calls.readNotebook.sort()).toEqual(['/w/a.ipynb', '/w/b.ipynb']);
  });

  it("hands the early read's error to the app, and an unclaimed failure raises nothing", async () => {
    const { host } = countingHost(workspace('/w/a.ipynb'), new Error('cannot read a.ipynb'));
    const wrapped = withStartupReads(host);
    await expect(wrapped.files.readNotebook('/w/a.ipynb')).rejects.toThrow('cannot read a.ipynb');
    // Not claimed at all: no unhandled rejection fails this test run.
    withStartupReads(countingHost(workspace('/w/a.ipynb'), new Error('nobody asks')).host);
    await settle();
  });
});

describe('withStartupReads: settings', () => {
  it('asks for the settings at once, puts their theme on the page, and gives the answer to the app\'s first ask', async () => {
    let asked = 0;
    const host = fakeHost({ settings: { get: async () => {
      asked += 1;
      return { settings: { ...DEFAULT_SETTINGS, theme: 'dark' }, problems: [], path: `/cfg/${asked}` };
    } } });
    globalThis.document.documentElement.dataset.theme = 'light';
    const wrapped = withStartupReads(host);
    await settle();
    expect(asked).toBe(1);
    expect(globalThis.document.documentElement.dataset.theme).toBe('dark');
    expect((await wrapped.settings.get()).path).toBe('/cfg/1');
    expect((await wrapped.settings.get()).path).toBe('/cfg/2');
  });
});

describe('withStartupReads: the head of a large notebook', () => {
  it('asks for the head together with the notebook; the first ask of the app takes it, later asks go to the host', async () => {
    const heads: string[] = [];
    const host = fakeHost({ files: {
      getWorkspace: async () => workspace('/w/big.ipynb'),
      readNotebook: async (path: string) => document(path, 1),
      readNotebookHead: async (path: string) => { heads.push(path); return { path, cells: [], complete: false, size: heads.length, mtimeMs: 1 }; },
    } });
    const wrapped = withStartupReads(host);
    await settle();
    expect(heads).toEqual(['/w/big.ipynb']);
    expect((await wrapped.files.readNotebookHead('/w/big.ipynb'))!.size).toBe(1);
    expect((await wrapped.files.readNotebookHead('/w/big.ipynb'))!.size).toBe(2);
    expect(heads).toEqual(['/w/big.ipynb', '/w/big.ipynb']);
  });
});
