/** Edits outlive the host: journal, offer back, save on reconnect, save before the host stops. */
import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../../src/base/event';
import type { Notebook } from '../../../src/jupyter/nbformat';
import { joinSource } from '../../../src/jupyter/nbformat';
import type { WriteNotebookOptions } from '../../../src/host/contract';
import { fakeHost } from '../../testing/fakeHost';
import { codeCell, notebookOf, openedState, stateObservable } from '../../testing/stateFactory';
import { firstValueFrom, of, toArray } from 'rxjs';
import { documentStateReducer } from '../../store/documentState';
import { KernelRegistry } from '../../features/kernels/kernelRegistry';
import { createAppStore } from '../../store/store';
import type { DocumentState } from '../../store/documentState';
import { notebookActions } from '../notebook/notebookSlice';
import { filesActions } from '../files/filesSlice';
import { memoryRecoveryStore } from '../files/recoveryStore';
import type { HostConnection } from '../../host/reconnectingHost';
import { connectionActions } from './connectionSlice';
import { reconnectKernelEpic } from './connectionEpics';
import { kernelsActions } from '../../features/kernels/kernelsSlice';

const kernels = new KernelRegistry(() => { throw new Error('no kernels here'); });

function setup(disk: Record<string, Notebook>, recovery = memoryRecoveryStore()) {
  const writes: Array<{ path: string; options?: WriteNotebookOptions }> = [];
  const log: string[] = [];
  const willShutdown = new Emitter<{ reason: string }>();
  const host = {
    ...fakeHost({ files: {
      readNotebook: async (path) => ({ path, notebook: disk[path], mtimeMs: 1000, size: 1, contentHash: 'h0', warnings: [] }),
      writeNotebook: async (path, notebook, options) => {
        writes.push({ path, options });
        log.push('write');
        disk[path] = notebook;
        return { path, exists: true, mtimeMs: 2000, contentHash: `h${writes.length}` };
      },
      addRecentFile: async () => undefined,
      getRecentFiles: async () => [],
    } }),
    lifecycle: { onWillShutdown: willShutdown.event },
  };
  const connection: HostConnection = { state: 'connected', onDidChangeState: () => ({ dispose: () => undefined }), disconnect: () => log.push('disconnect'), dispose: () => undefined };
  const { activeDocument: store } = createAppStore({ host, kernels, recovery, connection });
  const waitFor = (check: (s: DocumentState) => boolean) => new Promise<void>((resolve) => {
    if (check(store.getState())) { resolve(); return; }
    const off = store.subscribe(() => { if (check(store.getState())) { off(); resolve(); } });
  });
  return { store, writes, log, recovery, willShutdown, waitFor };
}

const text = (s: DocumentState) => joinSource(s.notebook.cells[0].source);
const nb = () => ({ '/w/a.ipynb': notebookOf([codeCell('a', 'x = 1')]) });

describe('edits outlive the host', () => {
  it('while disconnected: edits stay, autosave waits, the journal has them; reconnecting saves with the hash it read', async () => {
    const { store, writes, recovery, waitFor } = setup(nb());
    store.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitFor((s) => s.files.view === 'notebook');
    store.dispatch(connectionActions.connectionLost({ at: 5 }));
    store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'typed offline' }));
    store.dispatch(connectionActions.connectionLost({ at: 6 }));
    const entry = recovery.entries.get('/w/a.ipynb');
    expect(entry && joinSource(entry.notebook.cells[0].source)).toBe('typed offline');
    expect(entry?.contentHash).toBe('h0');
    expect(writes).toHaveLength(0);

    store.dispatch(connectionActions.connectionRestored());
    await waitFor((s) => s.files.savedVersion === s.notebook.version);
    expect(writes).toEqual([{ path: '/w/a.ipynb', options: { expectedMtimeMs: 1000, expectedContentHash: 'h0' } }]);
    expect(recovery.entries.size).toBe(0);
  });

  it('a later start on the notebook offers the kept edits; Restore puts them back unsaved and saves them against the version they were made on', async () => {
    const recovery = memoryRecoveryStore();
    recovery.save({ path: '/w/a.ipynb', notebook: notebookOf([codeCell('a', 'kept edit')]), mtimeMs: 900, contentHash: 'h-old', savedAt: 1234 });
    const { store, writes, waitFor } = setup(nb(), recovery);
    store.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitFor((s) => s.files.recoveryOffer !== undefined);
    expect(store.getState().files.recoveryOffer).toEqual({ savedAt: 1234 });
    expect(text(store.getState())).toBe('x = 1');
    store.dispatch(filesActions.recoveryRestoreRequested());
    await waitFor((st) => text(st) === 'kept edit');
    const s = store.getState();
    expect(s.files.savedVersion).not.toBe(s.notebook.version);
    expect(s.files.recoveryOffer).toBeUndefined();
    store.dispatch(filesActions.saveRequested({}));
    await waitFor((st) => st.files.savedVersion === st.notebook.version);
    expect(writes[0].options).toEqual({ expectedMtimeMs: 900, expectedContentHash: 'h-old' });
  });

  it('Discard forgets the kept edits; an entry equal to the file is not offered', async () => {
    const recovery = memoryRecoveryStore();
    recovery.save({ path: '/w/a.ipynb', notebook: notebookOf([codeCell('a', 'kept edit')]), savedAt: 1 });
    const { store, waitFor } = setup(nb(), recovery);
    store.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitFor((s) => s.files.recoveryOffer !== undefined);
    store.dispatch(filesActions.recoveryDiscarded());
    expect(recovery.entries.size).toBe(0);

    const same = memoryRecoveryStore();
    const { store: other, waitFor: waitOther } = setup(nb(), same);
    other.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitOther((s) => s.files.view === 'notebook');
    same.save({ path: '/w/a.ipynb', notebook: notebookOf([codeCell('a', 'x = 1')]), savedAt: 1 });
    other.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitOther((s) => s.files.view === 'notebook');
    await vi.waitFor(() => expect(same.entries.size).toBe(0));
    expect(other.getState().files.recoveryOffer).toBeUndefined();
  });

  it('the host announcing its shutdown gets the edits saved first, then the page lets it go', async () => {
    const { store, log, willShutdown, waitFor } = setup(nb());
    store.dispatch(filesActions.openRequested({ path: '/w/a.ipynb' }));
    await waitFor((s) => s.files.view === 'notebook');
    store.dispatch(notebookActions.cellSourceChanged({ id: 'a', text: 'last words' }));
    willShutdown.fire({ reason: 'SIGTERM' });
    await waitFor(() => log.includes('disconnect'));
    expect(log).toEqual(['write', 'disconnect']);
  });

  it('back on a restarted host that does not run our kernel: the kernel shows dead, with its restart', async () => {
    const state = openedState([codeCell('a')], { kernels: { kernelId: 'k1', status: 'idle' } });
    const host = fakeHost({ kernels: { listKernels: async () => [] } });
    const out = await firstValueFrom(reconnectKernelEpic(of(connectionActions.connectionRestored()), stateObservable(state), { host, kernels, scheduler: undefined as never }).pipe(toArray()));
    expect(out).toEqual([kernelsActions.statusChanged({ kernelId: 'k1', status: 'dead', reason: 'The Quire host was restarted and this kernel is gone. Restart it to run cells.' })]);
    expect(out.reduce(documentStateReducer, state).kernels.status).toBe('dead');
  });
});
