import { describe, expect, it } from 'vitest';
import { Subject } from 'rxjs';
import { StateObservable } from 'redux-observable';
import type { UnknownAction } from '@reduxjs/toolkit';
import { QuireError } from '../../../src/errors';
import { buildScheduler } from '../../testing/buildScheduler';
import { fakeHost } from '../../testing/fakeHost';
import { codeCell, notebookOf, openedState, stateObservable } from '../../testing/stateFactory';
import { KernelRegistry } from '../../features/kernels/kernelRegistry';
import type { DocumentState } from '../../store/documentState';
import { AUTOSAVE_IDLE_MS, AUTOSAVE_MAX_MS, autosaveEpic, notebookToSave, openEpic, saveEpic } from './filesEpics';
import { filesActions } from './filesSlice';
import { notebookActions } from '../notebook/notebookSlice';
import { documentStateReducer } from '../../store/documentState';
import { firstValueFrom, of, toArray } from 'rxjs';

const kernels = new KernelRegistry(() => { throw new Error('no kernels here'); });
const edited = (state: DocumentState, text: string) => documentStateReducer(state, notebookActions.cellSourceChanged({ id: 'a', text }));

describe('files epics', () => {
  it('opens a broken notebook as an error with its location, never as a notebook', async () => {
    const host = fakeHost({ files: {
      stat: async (path) => ({ path, exists: true, kind: 'file' }),
      readNotebook: async () => { throw new QuireError('NOTEBOOK_PARSE_ERROR', 'Unexpected token }', { location: { pointer: '', line: 3, column: 7 } }); },
    } });
    const out = await firstValueFrom(openEpic(of(filesActions.openRequested({ path: '/w/bad.ipynb' })), stateObservable(documentStateReducer(undefined, { type: 'x' })), { host, kernels, scheduler: undefined as never }).pipe(toArray()));
    expect(out).toEqual([filesActions.openStarted({ path: '/w/bad.ipynb' }), filesActions.openFailed({ path: '/w/bad.ipynb', code: 'NOTEBOOK_PARSE_ERROR', message: 'Unexpected token }', location: { pointer: '', line: 3, column: 7 } })]);
    const state = out.reduce((s, a) => documentStateReducer(s, a), documentStateReducer(undefined, { type: 'x' }));
    expect(state.files.view).toBe('error');
    expect(state.notebook.loaded).toBe(false);
  });

  it('reads a .ipynb path straight away, without a stat round trip first', async () => {
    const nb = notebookOf([codeCell('a', 'x')]);
    const host = fakeHost({ files: { readNotebook: async (path) => ({ path, notebook: nb, mtimeMs: 5, size: 1, warnings: [] }) } });
    const out = await firstValueFrom(openEpic(of(filesActions.openRequested({ path: '/w/a.ipynb' })), stateObservable(documentStateReducer(undefined, { type: 'x' })), { host, kernels, scheduler: undefined as never }).pipe(toArray()));
    expect(out).toEqual([filesActions.openStarted({ path: '/w/a.ipynb' }), filesActions.openSucceeded({ path: '/w/a.ipynb', notebook: nb, mtimeMs: 5 })]);
  });

  it('opens a folder as a listing', async () => {
    const entries = [{ name: 'a.ipynb', path: '/w/a.ipynb', kind: 'file' as const, isNotebook: true, mtimeMs: 1 }];
    const host = fakeHost({ files: { stat: async (path) => ({ path, exists: true, kind: 'directory' }), listDirectory: async () => entries } });
    const out = await firstValueFrom(openEpic(of(filesActions.openRequested({ path: '/w' })), stateObservable(documentStateReducer(undefined, { type: 'x' })), { host, kernels, scheduler: undefined as never }).pipe(toArray()));
    expect(out).toEqual([filesActions.openStarted({ path: '/w' }), filesActions.folderOpened({ path: '/w', entries })]);
  });

  it('saves with the mtime it read, and reports a change on disk as a conflict', async () => {
    const writes: unknown[] = [];
    const state = edited(openedState([codeCell('a', 'x = 1')]), 'x = 2');
    const host = fakeHost({ files: { writeNotebook: async (path, nb, options) => {
      writes.push({ path, options });
      if (writes.length > 1) throw new QuireError('FILE_CHANGED_ON_DISK', 'changed');
      return { path, exists: true, mtimeMs: 2000 };
    } } });
    const deps = { host, kernels, scheduler: { now: () => 42 } as never };
    const first = await firstValueFrom(saveEpic(of(filesActions.saveRequested({})), stateObservable(state), deps));
    expect(first).toEqual(filesActions.saveSucceeded({ path: '/w/nb.ipynb', mtimeMs: 2000, version: state.notebook.version, at: 42 }));
    expect(writes[0]).toEqual({ path: '/w/nb.ipynb', options: { expectedMtimeMs: 1000 } });
    const second = await firstValueFrom(saveEpic(of(filesActions.saveRequested({})), stateObservable(state), deps));
    expect(second).toEqual(filesActions.saveFailed({ code: 'FILE_CHANGED_ON_DISK', message: 'changed' }));
    expect(documentStateReducer(state, second).files.conflict).toBe(true);
  });

  it('writes what the file had: no invented ids for nbformat 4.4, no transient display ids', () => {
    const nb = { ...notebookOf([{ cell_type: 'code' as const, metadata: {}, source: 'x', execution_count: 1,
      outputs: [{ output_type: 'display_data' as const, data: { 'text/plain': '1' }, metadata: {}, transient: { display_id: 'd' } }] }]), nbformat_minor: 4 };
    const state = documentStateReducer(undefined, filesActions.openSucceeded({ path: '/w/old.ipynb', notebook: nb, mtimeMs: 1 }));
    expect(state.notebook.cells[0].id).toBeTruthy();
    expect(notebookToSave(state)).toEqual({ ...nb, cells: [{ cell_type: 'code', metadata: {}, source: 'x', execution_count: 1,
      outputs: [{ output_type: 'display_data', data: { 'text/plain': '1' }, metadata: {} }] }] });
  });
});

describe('autosaveEpic', () => {
  function states(frames: Record<string, DocumentState>) {
    return frames;
  }

  it('saves 2 s after the last edit', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const s0 = openedState([codeCell('a', '')]);
      const s1 = edited(s0, '1');
      const s2 = edited(s1, '12');
      const subject = new Subject<DocumentState>();
      const state$ = new StateObservable<DocumentState>(subject, s0);
      hot('a 999ms b', states({ a: s1, b: s2 })).subscribe(subject);
      const out$ = autosaveEpic(hot<UnknownAction>('-'), state$, { host: fakeHost(), kernels, scheduler: sched });
      expectObservable(out$).toBe(`${1000 + AUTOSAVE_IDLE_MS}ms x`, { x: filesActions.saveRequested({ auto: true }) });
    });
  });

  it('saves after 5 s of constant editing, at the latest', () => {
    expect(AUTOSAVE_MAX_MS).toBeLessThanOrEqual(5_000);
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      let s = openedState([codeCell('a', '')]);
      const frames: Record<string, DocumentState> = {};
      let marbles = '';
      for (let i = 0; i < 30; i++) {
        s = edited(s, `v${i}`);
        const key = String.fromCharCode(65 + i);
        frames[key] = s;
        marbles += i === 0 ? key : ` 499ms ${key}`;
      }
      const subject = new Subject<DocumentState>();
      const state$ = new StateObservable<DocumentState>(subject, openedState([codeCell('a', '')]));
      hot(marbles, frames).subscribe(subject);
      const out$ = autosaveEpic(hot<UnknownAction>('-'), state$, { host: fakeHost(), kernels, scheduler: sched });
      expectObservable(out$, `^ ${AUTOSAVE_MAX_MS + 100}ms !`).toBe(`${AUTOSAVE_MAX_MS}ms x`, { x: filesActions.saveRequested({ auto: true }) });
    });
  });

  it('never autosaves a notebook that is unchanged, or in conflict', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const s0 = openedState([codeCell('a', '')]);
      const conflicted = documentStateReducer(edited(s0, 'x'), filesActions.saveFailed({ code: 'FILE_CHANGED_ON_DISK', message: '' }));
      const subject = new Subject<DocumentState>();
      const state$ = new StateObservable<DocumentState>(subject, s0);
      hot('a 10ms b', { a: s0, b: conflicted }).subscribe(subject);
      const out$ = autosaveEpic(hot<UnknownAction>('-'), state$, { host: fakeHost(), kernels, scheduler: sched });
      expectObservable(out$, `^ ${AUTOSAVE_MAX_MS * 2}ms !`).toBe('');
    });
  });
});
