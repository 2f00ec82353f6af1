/**
 * Changes on disk while a notebook is open: a clean notebook is read again in place (same tab,
 * same kernel, a short notice), one with unsaved edits shows the conflict banner at once and keeps
 * them, a deleted file shows the deleted banner; its own saves and other paths are no news.
 */
import { describe, expect, it } from 'vitest';
import { VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { Emitter } from '../../../src/base/event';
import type { NotebookFileChange, NotebookWatchState, RunningKernel } from '../../../src/host/contract';
import type { Notebook } from '../../../src/jupyter/nbformat';
import { joinSource } from '../../../src/jupyter/nbformat';
import { fakeHost } from '../../testing/fakeHost';
import { codeCell, notebookOf } from '../../testing/stateFactory';
import { KernelRegistry } from '../../features/kernels/kernelRegistry';
import type { DocumentState } from '../../store/documentState';
import { createAppStore } from '../../store/store';
import { workspaceActions } from '../workspace/workspaceSlice';
import { notebookActions } from '../notebook/notebookSlice';
import { uiActions } from '../ui/uiSlice';
import { filesActions } from './filesSlice';
import { RELOAD_NOTICE_MS } from './filesEpics';

const PATH = '/w/a.ipynb';

/** A store on a fake host whose disk is `disk` (path → notebook and hash), with a watch the test drives. */
function storeOn(disk: Record<string, { notebook: Notebook; hash: string }>, options: { holdWrites?: boolean; onWatch?: () => void; scheduler?: SchedulerLike } = {}) {
  const changes = new Emitter<NotebookFileChange>();
  const calls: string[] = [];
  let writes = 0;
  const heldWrites: Array<() => void> = [];
  const kernel: RunningKernel = { id: 'k1', specName: 'python3', displayName: 'Python 3', language: 'python', cwd: '/w', status: 'idle', startedAt: '' };
  const host = fakeHost({
    files: {
      readNotebook: async (path) => {
        calls.push(`read ${path}`);
        const file = disk[path];
        return { path, notebook: file.notebook, mtimeMs: 1000, size: 1, contentHash: file.hash, warnings: [] };
      },
      writeNotebook: async (path, notebook) => {
        calls.push(`write ${path}`);
        writes += 1;
        const hash = `written-${writes}`;
        disk[path] = { notebook, hash };
        // The host tells every watching client of its own write, before the writer hears back.
        changes.fire({ path, kind: 'changed', mtimeMs: 2000, contentHash: hash });
        if (options.holdWrites) await new Promise<void>((resolve) => heldWrites.push(resolve));
        return { path, exists: true, mtimeMs: 2000, contentHash: hash };
      },
      watchNotebook: async (path): Promise<NotebookWatchState> => {
        calls.push(`watch ${path}`);
        options.onWatch?.();
        const file = disk[path];
        return file ? { path, exists: true, mtimeMs: 1000, contentHash: file.hash } : { path, exists: false };
      },
      unwatchNotebook: async (path) => { calls.push(`unwatch ${path}`); },
      onDidChangeNotebookFile: changes.event,
      addRecentFile: async () => undefined,
      getRecentFiles: async () => [],
      readRecovery: async () => null,
      discardRecovery: async () => undefined,
      saveRecovery: async () => undefined,
    },
    kernels: {
      startKernel: async () => { calls.push('startKernel'); return kernel; },
      shutdown: async () => { calls.push('shutdown'); },
      listKernelSpecs: async () => [],
    },
  });
  const { activeDocument: store, store: window } = createAppStore({ host, ...(options.scheduler ? { scheduler: options.scheduler } : {}), kernels: new KernelRegistry(() => ({ dispose() {} }) as never) });
  /** Resolves when `check` holds after some dispatch. */
  const waitFor = (check: () => boolean) => new Promise<void>((resolve) => {
    if (check()) { resolve(); return; }
    const off = store.subscribe(() => { if (check()) { off(); resolve(); } });
  });
  return { store, window, calls, changes, waitFor, heldWrites };
}

const text = (s: DocumentState) => joinSource(s.notebook.cells[0].source);

async function opened(disk: Record<string, { notebook: Notebook; hash: string }>, options?: Parameters<typeof storeOn>[1]) {
  const t = storeOn(disk, options);
  t.store.dispatch(filesActions.openRequested({ path: PATH }));
  await t.waitFor(() => t.store.getState().files.view === 'notebook' && t.calls.includes(`watch ${PATH}`) && t.store.getState().kernels.status === 'idle');
  return t;
}

const file = (source: string, hash: string) => ({ notebook: notebookOf([codeCell('a', source), codeCell('b', 'b')]), hash });

describe('changes on disk while a notebook is open', () => {
  it('reloads a clean notebook in place: same tab, same kernel, a notice; no loading page', async () => {
    const disk = { [PATH]: file('x = 1', 'h1') };
    const t = await opened(disk);
    const tabs = t.window.getState().workspace.order;
    t.store.dispatch(uiActions.cellSelected({ id: 'b' }));
    disk[PATH] = file('x = 2', 'h2');
    t.changes.fire({ path: PATH, kind: 'changed', mtimeMs: 3000, contentHash: 'h2' });
    await t.waitFor(() => t.store.getState().files.contentHash === 'h2');
    const s = t.store.getState();
    expect(text(s)).toBe('x = 2');
    expect(s.files.view).toBe('notebook');
    expect(s.files.notice).toBe('Reloaded: a.ipynb changed on disk.');
    expect(t.window.getState().workspace.order).toEqual(tabs);
    expect(s.ui.activeId).toBe('b');
    expect(t.calls.filter((c) => c === 'startKernel' || c === 'shutdown')).toEqual(['startKernel']);
    expect(s.kernels.kernelId).toBe('k1');
  });

  it('the notice goes by itself after a few seconds', async () => {
    const scheduler = new VirtualTimeScheduler();
    const disk = { [PATH]: file('x = 1', 'h1') };
    const t = await opened(disk, { scheduler });
    disk[PATH] = file('x = 2', 'h2');
    t.changes.fire({ path: PATH, kind: 'changed', contentHash: 'h2' });
    await t.waitFor(() => t.store.getState().files.notice !== undefined);
    scheduler.maxFrames = RELOAD_NOTICE_MS - 1;
    scheduler.flush();
    expect(t.store.getState().files.notice).toBe('Reloaded: a.ipynb changed on disk.');
    scheduler.maxFrames = RELOAD_NOTICE_MS + 1;
    scheduler.flush();
    expect(t.store.getState().files.notice).toBeUndefined();
  });

  it('with unsaved edits: the conflict banner at once, the edits kept, nothing written or read', async () => {
    const disk = { [PATH]: file('x = 1', 'h1') };
    const t = await opened(disk);
    t.store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'mine' }));
    const before = t.calls.length;
    t.changes.fire({ path: PATH, kind: 'changed', mtimeMs: 3000, contentHash: 'h2' });
    await t.waitFor(() => t.store.getState().files.conflict);
    const s = t.store.getState();
    expect(text(s)).toBe('mine');
    expect(s.files.contentHash).toBe('h1');
    expect(s.files.savedVersion).not.toBe(s.notebook.version);
    expect(t.calls.slice(before)).toEqual([]);
  });

  it('a deleted file shows the deleted banner; its coming back with the same bytes clears it', async () => {
    const t = await opened({ [PATH]: file('x = 1', 'h1') });
    t.changes.fire({ path: PATH, kind: 'deleted' });
    await t.waitFor(() => t.store.getState().files.deleted);
    expect(text(t.store.getState())).toBe('x = 1');
    t.changes.fire({ path: PATH, kind: 'changed', contentHash: 'h1', mtimeMs: 1 });
    await t.waitFor(() => !t.store.getState().files.deleted);
  });

  it('other paths and its own bytes are no news', async () => {
    const disk = { [PATH]: file('x = 1', 'h1'), '/w/b.ipynb': file('y', 'hb') };
    const t = await opened(disk);
    const before = t.calls.length;
    t.changes.fire({ path: '/w/b.ipynb', kind: 'changed', contentHash: 'hb2' });
    t.changes.fire({ path: '/w/b.ipynb', kind: 'deleted' });
    t.changes.fire({ path: PATH, kind: 'changed', contentHash: 'h1' });
    // Then a real change: the first thing that happens is its reload.
    disk[PATH] = file('x = 3', 'h3');
    t.changes.fire({ path: PATH, kind: 'changed', contentHash: 'h3' });
    await t.waitFor(() => t.store.getState().files.contentHash === 'h3');
    expect(t.calls.slice(before)).toEqual([`read ${PATH}`]);
    expect(t.store.getState().files.deleted).toBe(false);
  });

  it("its own save is no news, even when the host's event arrives before the save's answer", async () => {
    const disk = { [PATH]: file('x = 1', 'h1') };
    const t = await opened(disk, { holdWrites: true });
    t.store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'mine' }));
    t.store.dispatch(filesActions.saveRequested({}));
    await t.waitFor(() => t.heldWrites.length === 1);
    // The event (written-1) is in; the save has not answered: nothing may happen yet.
    expect(t.store.getState().files.conflict).toBe(false);
    t.heldWrites[0]();
    await t.waitFor(() => !t.store.getState().files.saving);
    const s = t.store.getState();
    expect([s.files.contentHash, s.files.conflict, s.files.notice, text(s)]).toEqual(['written-1', false, undefined, 'mine']);
    expect(t.calls.filter((c) => c.startsWith('read'))).toEqual([`read ${PATH}`]);
  });

  it('a change while the file was being opened (the watch says another hash) reloads at once', async () => {
    const disk = { [PATH]: file('x = 1', 'h1') };
    // Another program writes between the read and the watch.
    const t = storeOn(disk, { onWatch: () => { disk[PATH] = file('x = 2', 'h2'); } });
    t.store.dispatch(filesActions.openRequested({ path: PATH }));
    await t.waitFor(() => t.store.getState().files.contentHash === 'h2');
    expect(text(t.store.getState())).toBe('x = 2');
  });

  it('edits typed while the changed file is read again win: the conflict banner instead', async () => {
    const disk = { [PATH]: file('x = 1', 'h1') };
    const t = await opened(disk);
    disk[PATH] = file('x = 2', 'h2');
    t.changes.fire({ path: PATH, kind: 'changed', contentHash: 'h2' });
    // The reload was asked for (the fake read answers on a later tick): type now.
    expect(t.store.getState().files.reloading).toBe(true);
    t.store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'typed meanwhile' }));
    await t.waitFor(() => !t.store.getState().files.reloading);
    const s = t.store.getState();
    expect([text(s), s.files.conflict, s.files.contentHash]).toEqual(['typed meanwhile', true, 'h1']);
  });

  it('follows renames (unwatch the old path, watch the new) and unwatches when the tab closes', async () => {
    const disk = { [PATH]: file('x = 1', 'h1'), '/w/c.ipynb': file('x = 1', 'h1') };
    const t = await opened(disk);
    t.store.dispatch(filesActions.pathMoved({ from: PATH, to: '/w/c.ipynb' }));
    await t.waitFor(() => t.calls.includes('watch /w/c.ipynb'));
    expect(t.calls.filter((c) => c.includes('watch'))).toEqual([`watch ${PATH}`, `unwatch ${PATH}`, 'watch /w/c.ipynb']);
    const id = t.store.documentId()!;
    t.window.dispatch(workspaceActions.documentRemoved({ id }));
    expect(t.calls.at(-1)).toBe('unwatch /w/c.ipynb');
  });
});
