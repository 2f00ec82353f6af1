/** Unsaved edits journaled to the host as well as to the page's storage; the newer is offered back. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notebook } from '../../../src/jupyter/nbformat';
import { joinSource } from '../../../src/jupyter/nbformat';
import type { RecoveryEntry } from '../../../src/host/contract';
import { fakeHost } from '../../testing/fakeHost';
import { codeCell, notebookOf } from '../../testing/stateFactory';
import { KernelRegistry } from '../../features/kernels/kernelRegistry';
import { createAppStore } from '../../store/store';
import type { DocumentState } from '../../store/documentState';
import { notebookActions } from '../notebook/notebookSlice';
import { filesActions } from '../files/filesSlice';
import { memoryRecoveryStore } from '../files/recoveryStore';
import { connectionActions } from './connectionSlice';
import { JOURNAL_MS } from './recoveryEpics';

const kernels = new KernelRegistry(() => { throw new Error('no kernels here'); });
const PATH = '/w/a.ipynb';

/** A host with one notebook on disk and a journal of its own; `calls` lists the journal calls in order. */
function setup(options: { hostEntry?: RecoveryEntry; pageEntry?: RecoveryEntry; failJournal?: boolean; hold?: Promise<void>; changedOnDisk?: boolean } = {}) {
  const disk: Record<string, Notebook> = { [PATH]: notebookOf([codeCell('a', 'x = 1')]) };
  const journal = new Map<string, RecoveryEntry>(options.hostEntry ? [[PATH, options.hostEntry]] : []);
  const calls: string[] = [];
  let writes = 0;
  const fail = () => { if (options.failJournal) throw Object.assign(new Error('closed'), { code: 'RPC_CLOSED' }); };
  const host = fakeHost({ files: {
    readNotebook: async (path) => ({ path, notebook: disk[path], mtimeMs: 1000, size: 1, contentHash: 'h0', warnings: [] }),
    writeNotebook: async (path, notebook) => {
      if (options.changedOnDisk) throw Object.assign(new Error('changed'), { code: 'FILE_CHANGED_ON_DISK' });
      disk[path] = notebook;
      writes++;
      return { path, exists: true, mtimeMs: 2000, contentHash: `h${writes}` };
    },
    addRecentFile: async () => undefined,
    getRecentFiles: async () => [],
    saveRecovery: async (path, entry) => {
      calls.push(`save ${joinSource(entry.notebook.cells[0].source)}`);
      await options.hold;
      fail();
      journal.set(path, entry);
    },
    readRecovery: async (path) => { calls.push('read'); fail(); return journal.get(path) ?? null; },
    discardRecovery: async (path) => { calls.push('discard'); fail(); journal.delete(path); },
  } });
  const recovery = memoryRecoveryStore();
  if (options.pageEntry) recovery.save(options.pageEntry);
  const { activeDocument: store } = createAppStore({ host, kernels, recovery });
  const waitFor = (check: (s: DocumentState) => boolean) => new Promise<void>((resolve) => {
    if (check(store.getState())) { resolve(); return; }
    const off = store.subscribe(() => { if (check(store.getState())) { off(); resolve(); } });
  });
  const open = async () => {
    store.dispatch(filesActions.openRequested({ path: PATH }));
    await waitFor((s) => s.files.view === 'notebook');
  };
  return { store, journal, recovery, calls, waitFor, open };
}

const text = (s: DocumentState) => joinSource(s.notebook.cells[0].source);
const entry = (source: string, savedAt: number): RecoveryEntry => ({ path: PATH, notebook: notebookOf([codeCell('a', source)]), mtimeMs: 900, contentHash: 'h-old', savedAt });
const type = (store: ReturnType<typeof setup>['store'], source: string) => store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: source }));

// The journal and autosave wait on timers (1 s, 2 s): the tests move a fake clock, never sleep.
beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }); });
afterEach(() => { vi.useRealTimers(); });

describe('the host journal', () => {
  it('while connected, edits go to the host as well as to the page, at most once a second; a save removes both', async () => {
    const { store, journal, recovery, calls, open, waitFor } = setup();
    await open();
    type(store, 'x = 2');
    type(store, 'x = 3');
    expect(calls).toEqual(['read']);
    await vi.advanceTimersByTimeAsync(JOURNAL_MS);
    expect(calls).toEqual(['read', 'save x = 3']);
    expect(journal.get(PATH)).toMatchObject({ path: PATH, mtimeMs: 1000, contentHash: 'h0' });
    expect(recovery.entries.get(PATH)?.notebook).toEqual(journal.get(PATH)?.notebook);

    store.dispatch(filesActions.saveRequested({}));
    await waitFor((s) => s.files.savedVersion === s.notebook.version);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.at(-1)).toBe('discard');
    expect(journal.size).toBe(0);
    expect(recovery.entries.size).toBe(0);
  });

  it('one host write at a time: edits made while one is in flight go in one write after it, with the latest text', async () => {
    let release!: () => void;
    const { store, calls, journal, open } = setup({ hold: new Promise<void>((resolve) => { release = resolve; }) });
    await open();
    type(store, 'one');
    await vi.advanceTimersByTimeAsync(JOURNAL_MS);
    for (const source of ['two', 'three', 'four']) {
      type(store, source);
      await vi.advanceTimersByTimeAsync(JOURNAL_MS);
    }
    expect(calls).toEqual(['read', 'save one']);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['read', 'save one', 'save four']);
    expect(joinSource(journal.get(PATH)!.notebook.cells[0].source)).toBe('four');
  });

  it('while disconnected, only the page journals (the host is not asked); a failing host journal leaves the page journal working', async () => {
    const { store, calls, recovery, open } = setup({ failJournal: true });
    await open();
    type(store, 'offline');
    store.dispatch(connectionActions.connectionLost({ at: 1 }));
    await vi.advanceTimersByTimeAsync(JOURNAL_MS);
    expect(calls).toEqual(['read']);
    expect(joinSource(recovery.entries.get(PATH)!.notebook.cells[0].source)).toBe('offline');

    store.dispatch(connectionActions.connectionRestored());
    type(store, 'online, host journal broken');
    await vi.advanceTimersByTimeAsync(JOURNAL_MS);
    expect(calls).toEqual(['read', 'save offline', 'save online, host journal broken']);
    expect(joinSource(recovery.entries.get(PATH)!.notebook.cells[0].source)).toBe('online, host journal broken');
  });

  it('back online, the edits typed while offline go to the host at once, also when the reconnect save meets a conflict', async () => {
    const { store, calls, journal, open, waitFor } = setup({ changedOnDisk: true });
    await open();
    store.dispatch(connectionActions.connectionLost({ at: 1 }));
    type(store, 'typed offline');
    await vi.advanceTimersByTimeAsync(JOURNAL_MS);
    expect(calls).toEqual(['read']);
    store.dispatch(connectionActions.connectionRestored());
    await waitFor((s) => s.files.conflict);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['read', 'save typed offline']);
    expect(joinSource(journal.get(PATH)!.notebook.cells[0].source)).toBe('typed offline');
  });

  it('a new page (empty storage) is offered the host\'s entry; Restore brings it back, based on the version it was made on', async () => {
    const { store, open, waitFor } = setup({ hostEntry: entry('typed before the window closed', 50) });
    await open();
    await waitFor((s) => s.files.recoveryOffer !== undefined);
    expect(store.getState().files.recoveryOffer).toEqual({ savedAt: 50 });
    store.dispatch(filesActions.recoveryRestoreRequested());
    await waitFor((s) => text(s) === 'typed before the window closed');
    expect(store.getState().files).toMatchObject({ mtimeMs: 900, contentHash: 'h-old' });
  });

  it('with entries in both, the newer is offered and restored', async () => {
    for (const [hostAt, pageAt, expected] of [[70, 60, 'host'], [60, 70, 'page']] as const) {
      const { store, open, waitFor } = setup({ hostEntry: entry('host', hostAt), pageEntry: entry('page', pageAt) });
      await open();
      await waitFor((s) => s.files.recoveryOffer !== undefined);
      expect(store.getState().files.recoveryOffer).toEqual({ savedAt: Math.max(hostAt, pageAt) });
      store.dispatch(filesActions.recoveryRestoreRequested());
      await waitFor((s) => text(s) === expected);
    }
  });

  it('Discard forgets both; a newest entry equal to the file is forgotten without an offer', async () => {
    const first = setup({ hostEntry: entry('host', 70), pageEntry: entry('page', 60) });
    await first.open();
    await first.waitFor((s) => s.files.recoveryOffer !== undefined);
    first.store.dispatch(filesActions.recoveryDiscarded());
    await vi.advanceTimersByTimeAsync(0);
    expect(first.journal.size).toBe(0);
    expect(first.recovery.entries.size).toBe(0);

    const second = setup({ hostEntry: entry('x = 1', 70), pageEntry: entry('older edit', 60) });
    await second.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(second.calls).toEqual(['read', 'discard']);
    expect(second.journal.size).toBe(0);
    expect(second.recovery.entries.size).toBe(0);
    expect(second.store.getState().files.recoveryOffer).toBeUndefined();
  });
});
