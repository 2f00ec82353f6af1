/**
 * The document-keyed store: actions reach only their document, each open document runs its own
 * epics, tabs open, switch and close, and two notebooks running at once never see each other's
 * outputs. Real store, reducers and epics; a fake host whose kernels answer like ipykernel.
 */
import { describe, expect, it } from 'vitest';
import { Subject, filter, map } from 'rxjs';
import { StateObservable } from 'redux-observable';
import type { UnknownAction } from '@reduxjs/toolkit';
import { Emitter } from '../../src/base/event';
import type { KernelMessagesEvent, RunInfo, StartKernelOptions } from '../../src/host/contract';
import type { BaseMessage } from '../../src/jupyter/messages';
import type { Notebook } from '../../src/jupyter/nbformat';
import { joinSource } from '../../src/jupyter/nbformat';
import { fakeHost } from '../testing/fakeHost';
import { codeCell, notebookOf } from '../testing/stateFactory';
import { filesActions } from '../features/files/filesSlice';
import { notebookActions } from '../features/notebook/notebookSlice';
import { runsActions } from '../features/runs/runsSlice';
import { workspaceActions } from '../features/workspace/workspaceSlice';
import { perDocument } from './documentEpics';
import { documentIdOf, forDocument, type DocumentState } from './documentState';
import { documentStore } from './documentStore';
import { appReducer, type AppState } from './rootReducer';
import { createAppStore } from './store';
import type { DocumentEpic, EpicDependencies } from './dependencies';

describe('documents reducer', () => {
  const twoDocuments = () => {
    const a = workspaceActions.documentAdded();
    const b = workspaceActions.documentAdded();
    const state = [a, b].reduce((s, action) => appReducer(s, action), appReducer(undefined, { type: 'init' }));
    return { state, a: a.payload.id, b: b.payload.id };
  };

  it('changes only the document an action is addressed to; an unaddressed action reaches every document', () => {
    const { state, a, b } = twoDocuments();
    const opened = appReducer(state, forDocument(filesActions.openSucceeded({ path: '/w/a.ipynb', notebook: notebookOf([codeCell('x', '1')]), mtimeMs: 1 }), a));
    expect(opened.documents[a].files.path).toBe('/w/a.ipynb');
    expect(opened.documents[b]).toBe(state.documents[b]);
    const lost = appReducer(opened, { type: 'connection/connectionLost', payload: { at: 1 } });
    expect(lost.connection.state).toBe('lost');
    // Documents that do not react to it stay the same objects.
    expect(lost.documents).toBe(opened.documents);
    const restoredText = appReducer(opened, filesActions.noticeDismissed());
    expect(restoredText.documents[a]).not.toBe(undefined);
  });

  it('ignores actions for a closed document, and the active tab moves to a neighbour', () => {
    const { state, a, b } = twoDocuments();
    const active = appReducer(state, workspaceActions.documentActivated(a));
    const closed = appReducer(active, workspaceActions.documentRemoved({ id: a }));
    expect(closed.workspace.order).toEqual([b]);
    expect(closed.workspace.activeId).toBe(b);
    expect(closed.documents[a]).toBeUndefined();
    expect(appReducer(closed, forDocument(filesActions.noticeDismissed(), a))).toBe(closed);
  });

  it('tabs reorder and cycle', () => {
    const { state, a, b } = twoDocuments();
    const moved = appReducer(state, workspaceActions.tabMoved({ id: b, index: 0 }));
    expect(moved.workspace.order).toEqual([b, a]);
    const activeA = appReducer(moved, workspaceActions.documentActivated(a));
    expect(appReducer(activeA, workspaceActions.tabCycled(1)).workspace.activeId).toBe(b);
    expect(appReducer(activeA, workspaceActions.tabCycled(-1)).workspace.activeId).toBe(b);
  });
});

describe('per-document epics', () => {
  it('one instance per document: it sees its own and app-wide actions, what it emits is addressed to it, and it stops with its document', () => {
    const action$ = new Subject<UnknownAction>();
    const states = new Subject<AppState>();
    let state = appReducer(undefined, { type: 'init' });
    const state$ = new StateObservable<AppState>(states, state);
    const echo: DocumentEpic = (documentAction$, documentState$) => documentAction$.pipe(
      filter((a) => a.type === 'ping'),
      map(() => ({ type: 'pong', payload: documentState$.value.files.path ?? null })),
    );
    const out: UnknownAction[] = [];
    perDocument(echo)(action$, state$, {} as EpicDependencies).subscribe((a) => out.push(a));
    const dispatch = (action: UnknownAction) => {
      state = appReducer(state, action);
      states.next(state);
      action$.next(action);
    };
    const a = workspaceActions.documentAdded();
    const b = workspaceActions.documentAdded();
    dispatch(a);
    dispatch(b);
    dispatch(forDocument(filesActions.openSucceeded({ path: '/w/a.ipynb', notebook: notebookOf([]), mtimeMs: 1 }), a.payload.id));
    dispatch(forDocument({ type: 'ping' }, a.payload.id));
    expect(out).toEqual([{ type: 'pong', payload: '/w/a.ipynb', meta: { documentId: a.payload.id } }]);
    out.length = 0;
    dispatch({ type: 'ping' });
    expect(out.map((x) => documentIdOf(x)).sort()).toEqual([a.payload.id, b.payload.id].sort());
    out.length = 0;
    dispatch(workspaceActions.documentRemoved({ id: a.payload.id }));
    dispatch({ type: 'ping' });
    expect(out.map((x) => documentIdOf(x))).toEqual([b.payload.id]);
  });
});

/** A host whose notebooks are read from `disk` and whose kernels echo what they run, tagged with their id. */
function workspaceHost(disk: Record<string, Notebook>) {
  const messages = new Emitter<KernelMessagesEvent>();
  const starts: StartKernelOptions[] = [];
  const shutdowns: string[] = [];
  const cancelled: string[] = [];
  let kernels = 0;
  let n = 0;
  const reply = (kernelId: string, request: BaseMessage, type: string, channel: 'iopub' | 'shell', content: unknown): BaseMessage => ({
    channel,
    header: { msg_id: `${kernelId}-m${++n}`, msg_type: type, session: kernelId, username: 'k', date: '', version: '5.3' },
    parent_header: request.header, metadata: {}, content,
  } as BaseMessage);
  const host = fakeHost({
    files: {
      getWorkspace: async () => ({ root: '/w', homeDir: '/home', platform: 'linux', shell: 'browser' }),
      readNotebook: async (path) => {
        if (!disk[path]) throw Object.assign(new Error(`no ${path}`), { code: 'NOT_FOUND' });
        return { path, notebook: disk[path], mtimeMs: 1, size: 1, contentHash: `h-${path}`, warnings: [] };
      },
      stat: async (path) => (path === '/w' ? { path, exists: true, kind: 'directory' } : { path, exists: !!disk[path], kind: 'file' }),
      listDirectory: async () => Object.keys(disk).map((path) => ({ name: path.slice(3), path, kind: 'file' as const, isNotebook: true, mtimeMs: 1 })),
      writeNotebook: async (path, notebook) => { disk[path] = notebook; return { path, exists: true, mtimeMs: 2, contentHash: `w-${path}` }; },
      addRecentFile: async () => undefined,
      getRecentFiles: async () => [],
      readRecovery: async () => null,
      saveRecovery: async () => undefined,
      discardRecovery: async () => undefined,
    },
    kernels: {
      listKernelSpecs: async () => [],
      startKernel: async (options) => {
        starts.push(options);
        kernels += 1;
        return { id: `kernel-${kernels}`, specName: options.specName, displayName: 'Python 3', language: 'python', cwd: '/w', status: 'idle', startedAt: '' };
      },
      listKernels: async () => [],
      shutdown: async (kernelId) => { shutdowns.push(kernelId); },
      onDidReceiveMessages: messages.event,
      sendMessage: async (kernelId, msg) => {
        const type = msg.header.msg_type;
        // Answers arrive later, as from a real kernel; every kernel's go to every client.
        queueMicrotask(() => {
          if (type === 'execute_request') {
            const code = (msg.content as { code: string }).code;
            messages.fire({ kernelId, messages: [
              reply(kernelId, msg, 'status', 'iopub', { execution_state: 'busy' }),
              reply(kernelId, msg, 'stream', 'iopub', { name: 'stdout', text: `${kernelId} ran ${code}\n` }),
            ] });
            messages.fire({ kernelId, messages: [
              reply(kernelId, msg, 'execute_reply', 'shell', { status: 'ok', execution_count: 1 }),
              reply(kernelId, msg, 'status', 'iopub', { execution_state: 'idle' }),
            ] });
          } else if (type === 'kernel_info_request') {
            messages.fire({ kernelId, messages: [reply(kernelId, msg, 'kernel_info_reply', 'shell', { status: 'ok', protocol_version: '5.3', implementation: 'fake', implementation_version: '1', language_info: { name: 'python' }, banner: '' })] });
          }
        });
      },
    },
    runs: {
      listRuns: async () => [],
      cancelRun: async (runId) => { cancelled.push(runId); },
    },
  });
  return { host, starts, shutdowns, cancelled };
}

function until<S>(store: { getState(): S; subscribe(l: () => void): () => void }, check: (s: S) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (check(store.getState())) { resolve(); return; }
    const off = store.subscribe(() => { if (check(store.getState())) { off(); resolve(); } });
  });
}

const textOf = (s: DocumentState, cellId: string): string => {
  const cell = s.notebook.cells.find((c) => c.id === cellId);
  return cell?.cell_type === 'code' ? cell.outputs.map((o) => joinSource((o as { text?: string | string[] }).text ?? '')).join('') : '';
};

describe('a window with several notebooks', () => {
  const disk = () => ({
    '/w/a.ipynb': notebookOf([codeCell('same-id', 'print("a")')]),
    '/w/b.ipynb': notebookOf([codeCell('same-id', 'print("b")')]),
    '/w/c.ipynb': notebookOf([codeCell('other', '1')]),
  });

  async function openThree() {
    const fake = workspaceHost(disk());
    const { store, activeDocument } = createAppStore({ host: fake.host });
    activeDocument.dispatch(filesActions.workspaceRequested());
    await until(store, (s) => s.documents[s.workspace.order[0]]?.files.view === 'folder');
    for (const path of ['/w/a.ipynb', '/w/b.ipynb', '/w/c.ipynb']) {
      store.dispatch(workspaceActions.openPathRequested({ path }));
      await until(store, (s) => s.workspace.order.some((id) => s.documents[id].files.path === path && s.documents[id].kernels.kernelId !== undefined));
    }
    const idOf = (path: string) => store.getState().workspace.order.find((id) => store.getState().documents[id].files.path === path)!;
    return { ...fake, store, activeDocument, idOf };
  }

  it('opens three notebooks in three tabs (the folder page takes the first), each with its own kernel; opening one again shows its tab', async () => {
    const { store, starts, idOf } = await openThree();
    expect(store.getState().workspace.order).toHaveLength(3);
    expect(starts).toHaveLength(3);
    const kernelIds = ['/w/a.ipynb', '/w/b.ipynb', '/w/c.ipynb'].map((p) => store.getState().documents[idOf(p)].kernels.kernelId);
    expect(new Set(kernelIds).size).toBe(3);
    store.dispatch(workspaceActions.openPathRequested({ path: '/w/a.ipynb' }));
    expect(store.getState().workspace.activeId).toBe(idOf('/w/a.ipynb'));
    expect(store.getState().workspace.order).toHaveLength(3);
  });

  it('runs cells in two notebooks at once (same cell ids): each gets only its own kernel\'s output', async () => {
    const { store, idOf } = await openThree();
    const a = documentStore(store, () => idOf('/w/a.ipynb'));
    const b = documentStore(store, () => idOf('/w/b.ipynb'));
    a.dispatch(notebookActions.executeRequested({ ids: ['same-id'] }));
    b.dispatch(notebookActions.executeRequested({ ids: ['same-id'] }));
    await until(a, (s) => s.notebook.runtime['same-id']?.state === 'done');
    await until(b, (s) => s.notebook.runtime['same-id']?.state === 'done');
    const kernelA = a.getState().kernels.kernelId!;
    const kernelB = b.getState().kernels.kernelId!;
    expect(textOf(a.getState(), 'same-id')).toBe(`${kernelA} ran print("a")\n`);
    expect(textOf(b.getState(), 'same-id')).toBe(`${kernelB} ran print("b")\n`);
  });

  it('closing a clean tab shuts its kernel down at once; a tab with unsaved edits asks, and "save" saves before it closes', async () => {
    const { store, shutdowns, idOf } = await openThree();
    const c = idOf('/w/c.ipynb');
    const kernelC = store.getState().documents[c].kernels.kernelId;
    store.dispatch(workspaceActions.closeRequested({ id: c }));
    await until(store, () => shutdowns.includes(kernelC!));
    expect(store.getState().documents[c]).toBeUndefined();

    const a = idOf('/w/a.ipynb');
    documentStore(store, () => a).dispatch(notebookActions.cellSourceChanged({ id: 'same-id', text: 'typed' }));
    store.dispatch(workspaceActions.closeRequested({ id: a }));
    expect(store.getState().workspace.closePrompt).toMatchObject({ id: a, unsaved: true, activeRuns: [] });
    expect(store.getState().documents[a]).toBeDefined();
    store.dispatch(workspaceActions.closeAnswered({ id: a, answer: 'save' }));
    await until(store, (s) => s.documents[a] === undefined);
    expect(store.getState().workspace.closePrompt).toBeUndefined();
  });

  it('a save that fails on the way to closing keeps the tab open with its edits, and says why', async () => {
    const fake = workspaceHost(disk());
    (fake.host.files as { writeNotebook: unknown }).writeNotebook = async () => { throw Object.assign(new Error('disk full'), { code: 'WRITE_FAILED' }); };
    const { store } = createAppStore({ host: fake.host });
    store.dispatch(workspaceActions.openPathRequested({ path: '/w/a.ipynb' }));
    const id = store.getState().workspace.activeId!;
    await until(store, (s) => s.documents[id]?.files.view === 'notebook');
    documentStore(store, () => id).dispatch(notebookActions.cellSourceChanged({ id: 'same-id', text: 'keep me' }));
    store.dispatch(workspaceActions.closeRequested({ id }));
    store.dispatch(workspaceActions.closeAnswered({ id, answer: 'save' }));
    await until(store, (s) => s.workspace.closePrompt?.saveError !== undefined);
    expect(store.getState().workspace.closePrompt?.saveError).toMatch(/disk full/);
    expect(joinSource(store.getState().documents[id].notebook.cells[0].source)).toBe('keep me');
  });

  it('closing a tab whose notebook has a run going asks; the run goes on unless cancelled, and the window says so', async () => {
    const { store, cancelled, idOf } = await openThree();
    const b = idOf('/w/b.ipynb');
    const run: RunInfo = { runId: 'r1', inputPath: '/w/b.ipynb', outputPath: '/w/runs/b-out.ipynb', parameters: {}, kernelName: 'python3', status: 'running', totalCells: 3, completedCells: 1 };
    documentStore(store, () => b).dispatch(runsActions.runChanged(run));
    store.dispatch(workspaceActions.closeRequested({ id: b }));
    expect(store.getState().workspace.closePrompt).toMatchObject({ id: b, unsaved: false, activeRuns: ['r1'] });
    store.dispatch(workspaceActions.closeAnswered({ id: b, answer: 'discard' }));
    await until(store, (s) => s.documents[b] === undefined);
    expect(cancelled).toEqual([]);
    expect(store.getState().workspace.notice).toMatch(/A run of b\.ipynb keeps going/);
  });
});
