/**
 * No silent data loss on save: the content hash goes with every save, a lost race or a deleted
 * file keeps the edits and pauses autosave, and switching documents saves first.
 */
import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { StateObservable } from 'redux-observable';
import type { UnknownAction } from '@reduxjs/toolkit';
import { QuireError } from '../../../src/errors';
import type { Notebook } from '../../../src/jupyter/nbformat';
import type { WriteNotebookOptions } from '../../../src/host/contract';
import { joinSource } from '../../../src/jupyter/nbformat';
import { buildScheduler } from '../../testing/buildScheduler';
import { fakeHost } from '../../testing/fakeHost';
import { codeCell, notebookOf, openedState } from '../../testing/stateFactory';
import { KernelRegistry } from '../../features/kernels/kernelRegistry';
import { documentStateReducer, type DocumentState } from '../../store/documentState';
import { createAppStore } from '../../store/store';
import { documentStore } from '../../store/documentStore';
import { notebookActions } from '../notebook/notebookSlice';
import { AUTOSAVE_MAX_MS, autosaveEpic } from './filesEpics';
import { filesActions } from './filesSlice';

const kernels = new KernelRegistry(() => { throw new Error('no kernels here'); });
const edited = (state: DocumentState, text: string) => documentStateReducer(state, notebookActions.cellSourceChanged({ id: 'a', text }));

interface Write { path: string; notebook: Notebook; options?: WriteNotebookOptions }

/** A store on a fake host whose files are a map; `fail` decides the fate of each write. */
function storeOn(files: Record<string, Notebook>, fail: (w: Write) => Error | undefined = () => undefined) {
  const calls: string[] = [];
  const writes: Write[] = [];
  let n = 0;
  const host = fakeHost({ files: {
    readNotebook: async (path) => {
      calls.push(`read ${path}`);
      return { path, notebook: files[path], mtimeMs: 1000, size: 1, contentHash: `hash-of-${path}`, warnings: [] };
    },
    writeNotebook: async (path, notebook, options) => {
      calls.push(`write ${path}`);
      writes.push({ path, notebook, options });
      const error = fail({ path, notebook, options });
      if (error) throw error;
      files[path] = notebook;
      n += 1;
      return { path, exists: true, mtimeMs: 2000 + n, contentHash: `written-${n}` };
    },
    addRecentFile: async () => undefined,
    getRecentFiles: async () => [],
  } });
  const { activeDocument: store, store: window } = createAppStore({ host, kernels });
  return { store, window, calls, writes };
}

type Store = ReturnType<typeof storeOn>['store'];
/** Resolves when `check` holds after some dispatch (no timers: the test's own timeout is the bound). */
const waitFor = (store: Store, check: () => boolean) => new Promise<void>((resolve) => {
  if (check()) { resolve(); return; }
  const off = store.subscribe(() => { if (check()) { off(); resolve(); } });
});

const cellText = (s: DocumentState) => joinSource(s.notebook.cells[0].source);

describe('saves with the content hash', () => {
  it('passes the hash it read, then the hash of its own last write', async () => {
    const { store, writes } = storeOn({ '/w/a.ipynb': notebookOf([codeCell('a', 'x = 1')]) });
    store.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitFor(store, () => store.getState().files.view === 'notebook');
    expect(store.getState().files.contentHash).toBe('hash-of-/w/a.ipynb');
    store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'x = 2' }));
    store.dispatch(filesActions.saveRequested({}));
    await waitFor(store, () => writes.length === 1 && !store.getState().files.saving);
    expect(writes[0].options).toEqual({ expectedMtimeMs: 1000, expectedContentHash: 'hash-of-/w/a.ipynb' });
    store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'x = 3' }));
    store.dispatch(filesActions.saveRequested({}));
    await waitFor(store, () => writes.length === 2 && !store.getState().files.saving);
    expect(writes[1].options).toEqual({ expectedMtimeMs: 2001, expectedContentHash: 'written-1' });
  });

  it('two writers: the losing window is told, keeps its text, and never says Saved', async () => {
    const { store } = storeOn({ '/w/a.ipynb': notebookOf([codeCell('a', 'x = 1')]) },
      () => new QuireError('FILE_CHANGED_ON_DISK', '/w/a.ipynb was changed on disk since it was opened.'));
    store.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitFor(store, () => store.getState().files.view === 'notebook');
    store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'mine' }));
    store.dispatch(filesActions.saveRequested({}));
    await waitFor(store, () => store.getState().files.conflict);
    const s = store.getState();
    expect(cellText(s)).toBe('mine');
    expect(s.files.savedVersion).not.toBe(s.notebook.version);
    expect(s.files.lastSavedAt).toBeUndefined();
  });

  it('a deleted file: paused, never recreated by autosave; "Save here" writes without the expected hash', async () => {
    let gone = true;
    const { store, writes } = storeOn({ '/w/a.ipynb': notebookOf([codeCell('a', 'x = 1')]) },
      (w) => (gone && w.options?.expectedContentHash ? new QuireError('FILE_DELETED', 'deleted') : undefined));
    store.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitFor(store, () => store.getState().files.view === 'notebook');
    store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'mine' }));
    store.dispatch(filesActions.saveRequested({ auto: true }));
    await waitFor(store, () => store.getState().files.deleted);
    store.dispatch(filesActions.saveRequested({ auto: true }));
    await waitFor(store, () => !store.getState().files.saving);
    expect(writes).toHaveLength(1);
    gone = false;
    store.dispatch(filesActions.saveRequested({ force: true }));
    await waitFor(store, () => writes.length === 2 && !store.getState().files.saving);
    expect(writes[1].options).toEqual({ overwrite: true });
    expect(store.getState().files.deleted).toBe(false);
    expect(store.getState().files.savedVersion).toBe(store.getState().notebook.version);
  });

  it('autosave stays quiet while the file is deleted', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const s0 = openedState([codeCell('a', '')]);
      const deleted = documentStateReducer(edited(s0, 'x'), filesActions.saveFailed({ code: 'FILE_DELETED', message: '' }));
      const subject = new Subject<DocumentState>();
      const state$ = new StateObservable<DocumentState>(subject, s0);
      hot('a 10ms b 10ms c', { a: s0, b: deleted, c: edited(deleted, 'xy') }).subscribe(subject);
      const out$ = autosaveEpic(hot<UnknownAction>('-'), state$, { host: fakeHost(), kernels, scheduler: sched });
      expectObservable(out$, `^ ${AUTOSAVE_MAX_MS * 3}ms !`).toBe('');
    });
  });
});

describe('switching documents saves first', () => {
  const files = () => ({ '/w/a.ipynb': notebookOf([codeCell('a', 'x = 1')]), '/w/b.ipynb': notebookOf([codeCell('b', 'y')]) });

  it('opening another notebook right after typing writes the edit before reading the other file', async () => {
    const disk = files();
    const { store, calls } = storeOn(disk);
    store.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitFor(store, () => store.getState().files.view === 'notebook');
    store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'x = 42' }));
    store.dispatch(filesActions.openRequested({ path: '/w/b.ipynb' }));
    await waitFor(store, () => store.getState().files.path === '/w/b.ipynb' && store.getState().files.view === 'notebook');
    expect(calls).toEqual(['read /w/a.ipynb', 'write /w/a.ipynb', 'read /w/b.ipynb']);
    expect(joinSource(disk['/w/a.ipynb'].cells[0].source)).toBe('x = 42');
  });

  it('when that save fails the notebook stays open with its edits, and the window says why', async () => {
    const { store, calls } = storeOn(files(), () => new QuireError('WRITE_FAILED', 'Not saved: /w/a.ipynb is read-only.'));
    store.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitFor(store, () => store.getState().files.view === 'notebook');
    store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'x = 42' }));
    store.dispatch(filesActions.openRequested({ path: '/w/b.ipynb' }));
    await waitFor(store, () => store.getState().files.notice !== undefined);
    const s = store.getState();
    expect(s.files.notice).toContain('Did not open b.ipynb');
    expect(s.files.notice).toContain('read-only');
    expect(s.files.view).toBe('notebook');
    expect(s.files.path).toBe('/w/a.ipynb');
    expect(cellText(s)).toBe('x = 42');
    expect(calls).not.toContain('read /w/b.ipynb');
  });

  it('New right after typing opens the new notebook in a tab of its own and keeps the edit in the first', async () => {
    const disk = files();
    const { store, window, calls } = storeOn(disk);
    store.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitFor(store, () => store.getState().files.view === 'notebook');
    const first = store.documentId();
    store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'x = 7' }));
    store.dispatch(filesActions.newRequested({}));
    // The active tab is the new notebook; the first is still open with what was typed (autosave saves it).
    await waitFor(store, () => store.getState().files.path === '/w/Untitled.ipynb' && store.getState().files.view === 'notebook');
    expect(store.documentId()).not.toBe(first);
    expect(calls.slice(0, 3)).toEqual(['read /w/a.ipynb', 'write /w/Untitled.ipynb', 'read /w/Untitled.ipynb']);
    const firstDocument = documentStore(window, () => first).getState();
    expect(joinSource(firstDocument.notebook.cells[0].source)).toBe('x = 7');
    expect(firstDocument.files.path).toBe('/w/a.ipynb');
  });

  it('"Load the disk version" drops the edits without trying to save them', async () => {
    const { store, calls } = storeOn(files());
    store.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitFor(store, () => store.getState().files.view === 'notebook');
    store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'x = 42' }));
    store.dispatch(filesActions.openRequested({ path: '/w/a.ipynb', discard: true }));
    await waitFor(store, () => calls.length === 2 && store.getState().files.view === 'notebook');
    expect(calls).toEqual(['read /w/a.ipynb', 'read /w/a.ipynb']);
  });
});
