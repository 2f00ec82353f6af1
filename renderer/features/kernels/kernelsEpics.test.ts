import { describe, expect, it } from 'vitest';
import type { UnknownAction } from '@reduxjs/toolkit';
import { buildScheduler } from '../../testing/buildScheduler';
import { fakeHost } from '../../testing/fakeHost';
import { codeCell, openedState, stateObservable } from '../../testing/stateFactory';
import { documentStateReducer } from '../../store/documentState';
import { KernelRegistry } from './kernelRegistry';
import { INTERRUPT_ANSWER_MS, interruptKernelEpic } from './kernelsEpics';
import { kernelsActions, type KernelUiStatus } from './kernelsSlice';

function setup(status: KernelUiStatus) {
  const interrupted: string[] = [];
  const host = fakeHost({ kernels: { interrupt: async (id: string) => { interrupted.push(id); } } });
  const state$ = stateObservable(openedState([codeCell('a')], { kernels: { kernelId: 'k1', status } }));
  return { host, state$, interrupted, kernels: new KernelRegistry(() => { throw new Error('no client needed'); }) };
}

const unanswered = kernelsActions.interruptUnanswered({ kernelId: 'k1' });
const statusTo = (status: 'idle' | 'busy' | 'restarting' | 'dead') => kernelsActions.statusChanged({ kernelId: 'k1', status });

describe('interruptKernelEpic', () => {
  it('a busy kernel still busy 3 s after the interrupt: the interrupt went unanswered', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable, flush }) => {
      const { host, state$, kernels, interrupted } = setup('busy');
      // More busy, and another kernel going idle, are no answer.
      const action$ = hot<UnknownAction>('i 500ms b 500ms o', {
        i: kernelsActions.interruptRequested(), b: statusTo('busy'), o: kernelsActions.statusChanged({ kernelId: 'other', status: 'idle' }),
      });
      expectObservable(interruptKernelEpic(action$, state$, { host, kernels, scheduler: sched })).toBe(`${INTERRUPT_ANSWER_MS}ms u`, { u: unanswered });
      flush();
      expect(interrupted).toEqual(['k1']);
    });
  });

  it('a kernel that goes idle in time (KeyboardInterrupt) answered: nothing is said, even later', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const { host, state$, kernels } = setup('busy');
      const action$ = hot<UnknownAction>('i 200ms d', { i: kernelsActions.interruptRequested(), d: statusTo('idle') });
      const output$ = interruptKernelEpic(action$, state$, { host, kernels, scheduler: sched });
      expectObservable(output$, `^ ${INTERRUPT_ANSWER_MS * 3}ms !`).toBe('');
    });
  });

  it('a restart or a death in time also ends the wait', () => {
    for (const end of [kernelsActions.restartRequested({}), statusTo('dead'), statusTo('restarting')]) {
      const sched = buildScheduler();
      sched.run(({ hot, expectObservable }) => {
        const { host, state$, kernels } = setup('busy');
        const action$ = hot<UnknownAction>('i 2999ms e', { i: kernelsActions.interruptRequested(), e: end });
        expectObservable(interruptKernelEpic(action$, state$, { host, kernels, scheduler: sched }), `^ ${INTERRUPT_ANSWER_MS * 2}ms !`).toBe('');
      });
    }
  });

  it('interrupting an idle kernel waits for nothing', () => {
    const sched = buildScheduler();
    sched.run(({ hot, expectObservable }) => {
      const { host, state$, kernels } = setup('idle');
      const action$ = hot<UnknownAction>('i', { i: kernelsActions.interruptRequested() });
      expectObservable(interruptKernelEpic(action$, state$, { host, kernels, scheduler: sched }), `^ ${INTERRUPT_ANSWER_MS * 2}ms !`).toBe('');
    });
  });
});

describe('kernelsSlice: interruptUnanswered', () => {
  it('is set for the current kernel and cleared by idle, restart or a new launch, not by busy', () => {
    const base = openedState([codeCell('a')], { kernels: { kernelId: 'k1', status: 'busy' } });
    const set = documentStateReducer(base, unanswered);
    expect(set.kernels.interruptUnanswered).toBe(true);
    expect(documentStateReducer(base, kernelsActions.interruptUnanswered({ kernelId: 'old' })).kernels.interruptUnanswered).toBeUndefined();
    expect(documentStateReducer(set, statusTo('busy')).kernels.interruptUnanswered).toBe(true);
    expect(documentStateReducer(set, statusTo('idle')).kernels.interruptUnanswered).toBeUndefined();
    expect(documentStateReducer(set, kernelsActions.restartRequested({})).kernels.interruptUnanswered).toBeUndefined();
    expect(documentStateReducer(set, kernelsActions.launchRequested({ specName: 'python3' })).kernels.interruptUnanswered).toBeUndefined();
  });
});
