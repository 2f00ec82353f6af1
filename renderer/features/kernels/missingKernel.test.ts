/**
 * A notebook whose kernelspec does not exist: the store learns which interpreters could get one,
 * and when the host says the kernelspec appeared (a kernel installed while the app is open), the
 * notebook's own kernel starts without a reload. Real store and epics, a fake host.
 */
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../src/base/event';
import { ErrorCode, QuireError } from '../../../src/errors';
import type { KernelSpecInfo, KernelSpecsChangedEvent, PythonInterpreterInfo, RunningKernel, StartKernelOptions } from '../../../src/host/contract';
import { fakeHost } from '../../testing/fakeHost';
import { codeCell, notebookOf } from '../../testing/stateFactory';
import { documentStateReducer, type DocumentState } from '../../store/documentState';
import { createAppStore } from '../../store/store';
import { filesActions } from '../files/filesSlice';
import { KernelRegistry } from './kernelRegistry';
import { kernelsActions } from './kernelsSlice';

const spec = (name: string, extra: Partial<KernelSpecInfo> = {}): KernelSpecInfo => ({
  name, displayName: name.toUpperCase(), language: 'python', interruptMode: 'signal', metadata: {}, status: 'ok', ...extra,
});
const python: PythonInterpreterInfo = {
  path: '/usr/bin/python3', realPath: '/usr/bin/python3.11', version: '3.11.2', hasIpykernel: false, inVenv: false,
  installCommands: ['sudo apt-get install python3-ipykernel'],
};
const running = (specName: string): RunningKernel => ({ id: `k-${specName}`, specName, displayName: specName, language: 'python', cwd: '/w', status: 'idle', startedAt: '' });

function setup(specsOnDisk: KernelSpecInfo[]) {
  const specsChanged = new Emitter<KernelSpecsChangedEvent>();
  const starts: StartKernelOptions[] = [];
  let onDisk = specsOnDisk;
  const host = fakeHost({
    files: {
      readNotebook: async (path) => {
        const notebook = notebookOf([codeCell('a', '1')]);
        notebook.metadata.kernelspec = { name: 'mypy', display_name: 'My Python', language: 'python' };
        return { path, notebook, mtimeMs: 1, size: 1, contentHash: 'h', warnings: [] };
      },
      addRecentFile: async () => undefined,
      getRecentFiles: async () => [],
      readRecovery: async () => null,
    },
    kernels: {
      listKernelSpecs: async () => onDisk,
      findPythonInterpreters: async () => [python],
      onDidChangeKernelSpecs: specsChanged.event,
      startKernel: async (options) => {
        starts.push(options);
        if (!onDisk.some((s) => s.name === options.specName)) {
          throw new QuireError(ErrorCode.KernelSpecNotFound, `No kernelspec named '${options.specName}'`, { name: options.specName });
        }
        return running(options.specName);
      },
    },
  });
  const { activeDocument: store } = createAppStore({ host, kernels: new KernelRegistry(() => ({ dispose: () => undefined }) as never) });
  const waitFor = (check: (s: DocumentState) => boolean) => new Promise<void>((resolve) => {
    if (check(store.getState())) { resolve(); return; }
    const off = store.subscribe(() => { if (check(store.getState())) { off(); resolve(); } });
  });
  const install = (specs: KernelSpecInfo[]) => {
    onDisk = specs;
    specsChanged.fire({ specs });
  };
  return { store, starts, waitFor, install };
}

describe('a notebook whose kernel does not exist', () => {
  it('says which is missing, lists the interpreters, and starts the kernel once its kernelspec appears', async () => {
    const { store, starts, waitFor, install } = setup([]);
    store.dispatch(filesActions.openRequested({ path: '/w/nb.ipynb' }));
    await waitFor((s) => s.kernels.missing?.interpreters !== undefined && s.kernels.specsLoaded);
    expect(store.getState().kernels).toMatchObject({ status: 'failed', missing: { specName: 'mypy', cwd: '/w', interpreters: [python] }, specs: [] });

    // Another kernel appearing is offered, not started.
    install([spec('other')]);
    await waitFor((s) => s.kernels.specs.length === 1);
    expect(starts.map((s) => s.specName)).toEqual(['mypy']);
    expect(store.getState().kernels.status).toBe('failed');
    // A broken one of the right name is not started either.
    install([spec('other'), spec('mypy', { status: 'broken', problem: 'no interpreter' })]);
    await waitFor((s) => s.kernels.specs.length === 2);
    expect(starts.map((s) => s.specName)).toEqual(['mypy']);

    install([spec('other'), spec('mypy')]);
    await waitFor((s) => s.kernels.status === 'idle');
    expect(starts).toEqual([{ specName: 'mypy', cwd: '/w' }, { specName: 'mypy', cwd: '/w' }]);
    expect(store.getState().kernels).toMatchObject({ kernelId: 'k-mypy', missing: undefined });
  });

  it('other launch failures do not count as a missing kernelspec', () => {
    let state = documentStateReducer(undefined, kernelsActions.launchRequested({ specName: 'python3' }));
    state = documentStateReducer(state, kernelsActions.launchFailed({ code: ErrorCode.KernelStartFailed, message: 'exited' }));
    expect(state.kernels.missing).toBeUndefined();
    state = documentStateReducer(state, kernelsActions.interpretersLoaded([python]));
    expect(state.kernels.missing).toBeUndefined();
  });
});
