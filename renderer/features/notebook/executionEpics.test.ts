import { describe, expect, it } from 'vitest';
import type { Observable } from 'rxjs';
import type { UnknownAction } from '@reduxjs/toolkit';
import type { KernelClient } from '../../../src/jupyter/kernelClient';
import type { BaseMessage } from '../../../src/jupyter/messages';
import { buildScheduler } from '../../testing/buildScheduler';
import { fakeHost } from '../../testing/fakeHost';
import { changingState, codeCell, msg, openedState, stateObservable } from '../../testing/stateFactory';
import { KernelRegistry } from '../../features/kernels/kernelRegistry';
import { kernelsActions } from '../../features/kernels/kernelsSlice';
import { batchWindow, coalesceStreams, executeCellsEpic } from './executionEpics';
import { notebookActions } from './notebookSlice';
import type { DocumentState } from '../../store/documentState';

const busy = msg('status', { execution_state: 'busy' });
const input = msg('execute_input', { code: 'print(1)', execution_count: 7 });
const out1 = msg('stream', { name: 'stdout', text: '1\n' });
const out2 = msg('stream', { name: 'stdout', text: '2\n' });
const replyOk = msg('execute_reply', { status: 'ok', execution_count: 7 }, 'shell');
const replyErr = msg('execute_reply', { status: 'error', execution_count: 8, ename: 'E', evalue: '', traceback: [] }, 'shell');
const idle = msg('status', { execution_state: 'idle' });

function setup(execute: (code: string) => Observable<BaseMessage>, state: DocumentState = openedState([codeCell('a', 'print(1)'), codeCell('b', 'print(2)')], { kernels: { kernelId: 'k1', status: 'idle' } })) {
  const calls: string[] = [];
  const kernels = new KernelRegistry(() => ({ execute: (code: string) => { calls.push(code); return execute(code); } }) as unknown as KernelClient);
  kernels.acquire('k1');
  return { calls, kernels, state$: stateObservable(state) };
}

describe('executeCellsEpic', () => {
  it('folds a cell\'s messages into batched actions: started, outputs, count, finished', () => {
    const sched = buildScheduler();
    sched.run(({ hot, cold, expectObservable }) => {
      const { kernels, state$ } = setup(() => cold('-a-b-c-d-(ef|)', { a: busy, b: input, c: out1, d: out2, e: replyOk, f: idle }));
      const action$ = hot<UnknownAction>('x', { x: notebookActions.executeRequested({ ids: ['a'] }) });
      const output$ = executeCellsEpic(action$, state$, { host: fakeHost(), kernels, scheduler: sched, outputBatchMs: 4 });
      // Batches close at 4 and 8 (bufferTime), the rest flushes when the stream completes at 9.
      expectObservable(output$).toBe('----(ab)c(ef)', {
        a: notebookActions.cellExecutionStarted({ id: 'a', at: 4 }),
        b: notebookActions.executionCountReceived({ id: 'a', count: 7 }),
        c: notebookActions.cellOutputsChanged({ id: 'a', outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n2\n' }] }),
        e: notebookActions.executionCountReceived({ id: 'a', count: 7 }),
        f: notebookActions.cellExecutionFinished({ id: 'a', status: 'ok', at: 9 }),
      });
    });
  });

  it('a reply that comes before the iopub messages finishes the cell for good (it never goes back to running)', () => {
    const sched = buildScheduler();
    sched.run(({ hot, cold, expectObservable }) => {
      // Shell and iopub are separate sockets: under load the reply may be folded a batch earlier.
      const { kernels, state$ } = setup(() => cold('-e------(abc)f|', { e: replyOk, a: busy, b: input, c: out1, f: idle }));
      const action$ = hot<UnknownAction>('x', { x: notebookActions.executeRequested({ ids: ['a'] }) });
      const output$ = executeCellsEpic(action$, state$, { host: fakeHost(), kernels, scheduler: sched, outputBatchMs: 4 });
      expectObservable(output$).toBe('----(ef)(cb)', {
        e: notebookActions.executionCountReceived({ id: 'a', count: 7 }),
        f: notebookActions.cellExecutionFinished({ id: 'a', status: 'ok', at: 4 }),
        c: notebookActions.cellOutputsChanged({ id: 'a', outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }] }),
        b: notebookActions.executionCountReceived({ id: 'a', count: 7 }),
      });
    });
  });

  it('sends every request at once in order, and an aborted reply marks the cell skipped', () => {
    const sched = buildScheduler();
    sched.run(({ hot, cold, expectObservable }) => {
      const { kernels, state$, calls } = setup((code) => (code === 'print(1)'
        ? cold('-a-(bc|)', { a: busy, b: replyErr, c: idle })
        : cold('---(bc|)', { b: msg('execute_reply', { status: 'aborted' }, 'shell'), c: idle })));
      const action$ = hot<UnknownAction>('x', { x: notebookActions.executeRequested({ ids: ['a', 'b'] }) });
      const output$ = executeCellsEpic(action$, state$, { host: fakeHost(), kernels, scheduler: sched, outputBatchMs: 10 });
      expectObservable(output$).toBe('---(abcd)', {
        a: notebookActions.cellExecutionStarted({ id: 'a', at: 3 }),
        b: notebookActions.executionCountReceived({ id: 'a', count: 8 }),
        c: notebookActions.cellExecutionFinished({ id: 'a', status: 'error', at: 3 }),
        d: notebookActions.cellExecutionFinished({ id: 'b', status: 'aborted', at: 3 }),
      });
      sched.flush();
      expect(calls).toEqual(['print(1)', 'print(2)']);
    });
  });

  it('stops listening on restart and reports the cell as cut off', () => {
    const sched = buildScheduler();
    sched.run(({ hot, cold, expectObservable }) => {
      const { kernels, state$ } = setup(() => cold('-a------', { a: busy }));
      const action$ = hot<UnknownAction>('x-r', { x: notebookActions.executeRequested({ ids: ['a'] }), r: kernelsActions.restartRequested({}) });
      const output$ = executeCellsEpic(action$, state$, { host: fakeHost(), kernels, scheduler: sched, outputBatchMs: 10 });
      expectObservable(output$).toBe('--(ab)', {
        a: notebookActions.cellExecutionStarted({ id: 'a', at: 2 }),
        b: notebookActions.cellExecutionCancelled({ id: 'a', reason: 'Stopped: the kernel restarted' }),
      });
    });
  });

  it('running the same cell again drops the first stream (switchMap per cell)', () => {
    const sched = buildScheduler();
    sched.run(({ hot, cold, expectObservable }) => {
      let n = 0;
      const { kernels, state$ } = setup(() => (++n === 1 ? cold('----a---', { a: out1 }) : cold('-(bc|)', { b: replyOk, c: idle })));
      const run = notebookActions.executeRequested({ ids: ['a'] });
      const action$ = hot<UnknownAction>('x-y', { x: run, y: run });
      const output$ = executeCellsEpic(action$, state$, { host: fakeHost(), kernels, scheduler: sched, outputBatchMs: 10 });
      expectObservable(output$).toBe('---(ab)', {
        a: notebookActions.executionCountReceived({ id: 'a', count: 7 }),
        b: notebookActions.cellExecutionFinished({ id: 'a', status: 'ok', at: 3 }),
      });
    });
  });

  it('a run of many cells (skipTagged) does not send cells tagged skip-execution; running such a cell by itself does', () => {
    const skipped = { ...codeCell('s', 'print("skipped")'), metadata: { tags: ['skip-execution'] } };
    const sched = buildScheduler();
    const { kernels, state$, calls } = setup(() => sched.createColdObservable('-(bc|)', { b: replyOk, c: idle }), openedState([codeCell('a', 'print(1)'), skipped, codeCell('b', 'print(2)')], { kernels: { kernelId: 'k1', status: 'idle' } }));
    const finished: string[] = [];
    sched.run(({ hot }) => {
      const action$ = hot<UnknownAction>('x---y', { x: notebookActions.executeRequested({ ids: ['a', 's', 'b'], skipTagged: true }), y: notebookActions.executeRequested({ ids: ['s'] }) });
      executeCellsEpic(action$, state$, { host: fakeHost(), kernels, scheduler: sched, outputBatchMs: 1 }).subscribe((a) => {
        if (notebookActions.cellExecutionFinished.match(a)) finished.push(a.payload.id);
      });
    });
    expect(calls).toEqual(['print(1)', 'print(2)', 'print("skipped")']);
    expect(finished).toEqual(['a', 'b', 's']);
  });

  it('cancels at once when no kernel runs, and ignores markdown cells', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const state = openedState([codeCell('a', 'x'), { id: 'm', cell_type: 'markdown', metadata: {}, source: 'hi' }]);
      const { kernels, state$ } = setup(() => { throw new Error('must not execute'); }, state);
      const action$ = hot<UnknownAction>('x', { x: notebookActions.executeRequested({ ids: ['a', 'm'] }) });
      const output$ = executeCellsEpic(action$, state$, { host: fakeHost(), kernels, scheduler: sched });
      expectObservable(output$).toBe('x', { x: notebookActions.cellExecutionCancelled({ id: 'a', reason: 'No kernel is running' }) });
    });
  });

  it('queues a cell run while the kernel is still starting and sends it once the kernel is up', () => {
    const sched = buildScheduler();
    sched.run(({ hot, cold, expectObservable }) => {
      const starting = openedState([codeCell('a', 'print(1)'), codeCell('b', 'print(2)')], { kernels: { status: 'starting' } });
      const { kernels, calls } = setup(() => cold('-(ef|)', { e: replyOk, f: idle }), starting);
      const { state$, push } = changingState(starting);
      hot('---u').subscribe(() => push({ ...starting, kernels: { ...starting.kernels, kernelId: 'k1', status: 'idle' } }));
      const action$ = hot<UnknownAction>('x', { x: notebookActions.executeRequested({ ids: ['a', 'b'] }) });
      const output$ = executeCellsEpic(action$, state$, { host: fakeHost(), kernels, scheduler: sched, outputBatchMs: 10 });
      expectObservable(output$).toBe('----(abcd)', {
        a: notebookActions.executionCountReceived({ id: 'a', count: 7 }),
        b: notebookActions.cellExecutionFinished({ id: 'a', status: 'ok', at: 4 }),
        c: notebookActions.executionCountReceived({ id: 'b', count: 7 }),
        d: notebookActions.cellExecutionFinished({ id: 'b', status: 'ok', at: 4 }),
      });
      sched.flush();
      expect(calls).toEqual(['print(1)', 'print(2)']);
    });
  });

  it('a queued cell is cancelled with the reason when the kernel fails to start', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const starting = openedState([codeCell('a', 'x')], { kernels: { status: 'starting' } });
      const { kernels } = setup(() => { throw new Error('must not execute'); }, starting);
      const { state$, push } = changingState(starting);
      hot('--u').subscribe(() => push({ ...starting, kernels: { ...starting.kernels, status: 'failed', error: 'No kernel named "python9"' } }));
      const action$ = hot<UnknownAction>('x', { x: notebookActions.executeRequested({ ids: ['a'] }) });
      const output$ = executeCellsEpic(action$, state$, { host: fakeHost(), kernels, scheduler: sched });
      expectObservable(output$).toBe('--x', { x: notebookActions.cellExecutionCancelled({ id: 'a', reason: 'The kernel did not start: No kernel named "python9"' }) });
    });
  });

  it('turns a transport error into a cancelled cell instead of killing the epic', () => {
    const sched = buildScheduler();
    sched.run(({ hot, cold, expectObservable }) => {
      const { kernels, state$ } = setup(() => cold('-#', undefined, new Error('socket closed')));
      const action$ = hot<UnknownAction>('x', { x: notebookActions.executeRequested({ ids: ['a'] }) });
      const output$ = executeCellsEpic(action$, state$, { host: fakeHost(), kernels, scheduler: sched });
      expectObservable(output$).toBe('-x', { x: notebookActions.cellExecutionCancelled({ id: 'a', reason: 'socket closed' }) });
    });
  });

  it('coalesces runs of same-name stream messages in a batch, keeping order with other messages', () => {
    const err = msg('stream', { name: 'stderr', text: 'e\n' });
    const out = coalesceStreams([busy, out1, out2, err, out1, replyOk]);
    expect(out.map((m) => [m.header.msg_type, (m.content as { text?: string }).text])).toEqual([
      ['status', undefined], ['stream', '1\n2\n'], ['stream', 'e\n'], ['stream', '1\n'], ['execute_reply', undefined],
    ]);
    expect((out1.content as { text: string }).text).toBe('1\n');
  });

  it('widens the output batch window as a cell\'s text grows, up to 16x', () => {
    const text = (n: number) => ({ outputs: [{ output_type: 'stream' as const, name: 'stdout' as const, text: 'x'.repeat(n) }], clearPending: false });
    expect(batchWindow(32, text(1000))).toBe(32);
    expect(batchWindow(32, text(131_072))).toBe(96);
    expect(batchWindow(32, text(524_288))).toBe(288);
    expect(batchWindow(32, text(10_000_000))).toBe(512);
  });
});
