/**
 * Opening a large notebook shows its first cells (readNotebookHead) before the whole document
 * (readNotebook) arrives, and that preview is never a document that can be edited or saved: a save
 * of it would write the first cells only and drop the rest of the file.
 */
import { describe, expect, it } from 'vitest';
import type { Cell, Notebook } from '../../../src/jupyter/nbformat';
import type { NotebookDocument, NotebookHead } from '../../../src/host/contract';
import { joinSource } from '../../../src/jupyter/nbformat';
import { fakeHost } from '../../testing/fakeHost';
import { codeCell, notebookOf } from '../../testing/stateFactory';
import { KernelRegistry } from '../kernels/kernelRegistry';
import { createAppStore } from '../../store/store';
import { notebookActions } from '../notebook/notebookSlice';
import { filesActions } from './filesSlice';

const kernels = new KernelRegistry(() => { throw new Error('no kernels here'); });
const PATH = '/w/big.ipynb';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

/** A store whose host answers the head at once and the whole notebook when the test says so. */
function storeOn(notebook: Notebook, headCells: Cell[] = notebook.cells.slice(0, 3)) {
  const whole = deferred<NotebookDocument>();
  const writes: Notebook[] = [];
  const host = fakeHost({ files: {
    readNotebookHead: async (path): Promise<NotebookHead> => ({ path, cells: structuredClone(headCells), complete: false, size: 1, mtimeMs: 1000 }),
    readNotebook: () => whole.promise,
    writeNotebook: async (path, nb) => {
      writes.push(nb);
      return { path, exists: true, mtimeMs: 2000, contentHash: 'written' };
    },
    addRecentFile: async () => undefined,
    getRecentFiles: async () => [],
  } });
  const { activeDocument: store } = createAppStore({ host, kernels });
  const arrive = () => whole.resolve({ path: PATH, notebook: structuredClone(notebook), mtimeMs: 1000, size: 1, contentHash: 'hash-1', warnings: [] });
  return { store, writes, arrive };
}

type Store = ReturnType<typeof storeOn>['store'];
const waitFor = (store: Store, check: () => boolean) => new Promise<void>((resolve) => {
  if (check()) { resolve(); return; }
  const off = store.subscribe(() => { if (check()) { off(); resolve(); } });
});

const big = () => notebookOf(Array.from({ length: 10 }, (_, i) => codeCell(`c${i}`, `x = ${i}`)));

describe('opening with a preview of the first cells', () => {
  it('shows the first cells, then appends the rest keeping the shown cells', async () => {
    const { store, arrive } = storeOn(big());
    store.dispatch(filesActions.openRequested({ path: PATH }));
    await waitFor(store, () => store.getState().files.view === 'notebook');
    expect(store.getState().files.partial).toBe(true);
    expect(store.getState().notebook.cells.map((c) => c.id)).toEqual(['c0', 'c1', 'c2']);
    const shown = store.getState().notebook.cells;
    arrive();
    await waitFor(store, () => store.getState().files.partial === false);
    const { cells, partial } = store.getState().notebook;
    expect(partial).toBeUndefined();
    expect(cells.map((c) => joinSource(c.source))).toEqual(Array.from({ length: 10 }, (_, i) => `x = ${i}`));
    // The cells on screen are the same objects: nothing re-renders when the rest arrives.
    expect(cells.slice(0, 3)).toEqual(shown);
    expect(cells[0]).toBe(shown[0]);
    expect(store.getState().files.contentHash).toBe('hash-1');
  });

  it('cannot be edited or saved until the whole notebook is here; then a save writes every cell', async () => {
    const { store, writes, arrive } = storeOn(big());
    store.dispatch(filesActions.openRequested({ path: PATH }));
    await waitFor(store, () => store.getState().files.partial === true);

    store.dispatch(notebookActions.cellSourceChanged({ id: 'c0', text: 'edited' }));
    store.dispatch(notebookActions.cellsDeleted({ ids: ['c1'] }));
    expect(store.getState().notebook.cells.map((c) => joinSource(c.source))).toEqual(['x = 0', 'x = 1', 'x = 2']);
    expect(store.getState().notebook.version).toBe(0);

    const failed: string[] = [];
    const off = store.subscribe(() => { const e = store.getState().files.saveError; if (e) failed.push(e); });
    store.dispatch(filesActions.saveRequested({ id: 'early' }));
    store.dispatch(filesActions.saveRequested({ auto: true }));
    await waitFor(store, () => !store.getState().files.saving);
    off();
    expect(writes).toHaveLength(0);
    expect(failed[0]).toMatch(/still being read/);

    arrive();
    await waitFor(store, () => store.getState().files.partial === false);
    store.dispatch(notebookActions.cellSourceChanged({ id: 'c0', text: 'edited' }));
    store.dispatch(filesActions.saveRequested({}));
    await waitFor(store, () => writes.length === 1 && !store.getState().files.saving);
    expect(writes[0].cells).toHaveLength(10);
    expect(writes[0].cells.map((c) => joinSource(c.source))).toEqual(['edited', ...Array.from({ length: 9 }, (_, i) => `x = ${i + 1}`)]);
  });

  it('replaces the preview when the document does not start with the cells shown (the file changed between the reads)', async () => {
    const stale = [codeCell('c0', 'old text'), codeCell('c1', 'x = 1')];
    const { store, arrive } = storeOn(big(), stale);
    store.dispatch(filesActions.openRequested({ path: PATH }));
    await waitFor(store, () => store.getState().files.partial === true);
    arrive();
    await waitFor(store, () => store.getState().files.partial === false);
    expect(store.getState().notebook.cells.map((c) => joinSource(c.source))).toEqual(Array.from({ length: 10 }, (_, i) => `x = ${i}`));
  });

  it('a read that fails after the preview shows the error page, not a saveable preview', async () => {
    const whole = deferred<NotebookDocument>();
    const writes: Notebook[] = [];
    const host = fakeHost({ files: {
      readNotebookHead: async (path) => ({ path, cells: [codeCell('c0', 'x')], complete: false, size: 1, mtimeMs: 1 }),
      readNotebook: () => whole.promise,
      writeNotebook: async (path, nb) => { writes.push(nb); return { path, exists: true }; },
      stat: async (path) => ({ path, exists: true, kind: 'file' }),
    } });
    const { activeDocument: store } = createAppStore({ host, kernels });
    store.dispatch(filesActions.openRequested({ path: PATH }));
    await waitFor(store, () => store.getState().files.partial === true);
    const error = Object.assign(new Error('bad JSON at the end'), { code: 'NOTEBOOK_PARSE_ERROR' });
    (whole as unknown as { promise: Promise<never> }).promise.catch(() => undefined);
    whole.resolve(Promise.reject(error) as never);
    await waitFor(store, () => store.getState().files.view === 'error');
    store.dispatch(filesActions.saveRequested({}));
    await waitFor(store, () => !store.getState().files.saving);
    expect(writes).toHaveLength(0);
  });
});
