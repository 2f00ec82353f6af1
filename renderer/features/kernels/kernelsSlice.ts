/**
 * The notebook's kernel as plain data: which spec, its id and status, why it died. The live
 * KernelClient lives in the epics' KernelRegistry, never here.
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { KernelSpecInfo, KernelStatus, KernelStatusEvent, PythonInterpreterInfo, RunningKernel } from '../../../src/host/contract';
import { ErrorCode } from '../../../src/errors';
import type { LanguageInfo } from '../../../src/jupyter/messages';

export type KernelUiStatus = KernelStatus | 'none' | 'failed';

export interface KernelsState {
  specs: KernelSpecInfo[];
  specsLoaded: boolean;
  kernelId?: string;
  specName?: string;
  displayName?: string;
  language?: string;
  languageInfo?: LanguageInfo;
  status: KernelUiStatus;
  /** Why the kernel failed to start or died. */
  error?: string;
  stderrTail?: string[];
  /** An interrupt left the kernel busy for INTERRUPT_ANSWER_MS: running cells offer a restart. */
  interruptUnanswered?: boolean;
  /**
   * The notebook's kernel could not start because its kernelspec does not exist (KERNELSPEC_NOT_FOUND):
   * which one, and the host's Python interpreters with what to type to get one (once asked).
   */
  missing?: MissingKernel;
}

export interface MissingKernel {
  specName: string;
  /** The folder the kernel was to start in, for starting it once it appears. */
  cwd?: string;
  /** Undefined until the host answered. */
  interpreters?: PythonInterpreterInfo[];
}

export const initialKernelsState: KernelsState = { specs: [], specsLoaded: false, status: 'none' };

function adopt(state: KernelsState, kernel: RunningKernel): void {
  Object.assign(state, {
    kernelId: kernel.id, specName: kernel.specName, displayName: kernel.displayName,
    language: kernel.languageInfo?.name ?? kernel.language, languageInfo: kernel.languageInfo,
    status: kernel.status === 'starting' ? 'idle' : kernel.status, error: undefined, stderrTail: undefined, interruptUnanswered: undefined,
  });
}

export const kernelsSlice = createSlice({
  name: 'kernels',
  initialState: initialKernelsState,
  reducers: {
    specsRequested(_state: KernelsState) {},
    specsLoaded(state: KernelsState, action: PayloadAction<KernelSpecInfo[]>) {
      state.specs = action.payload;
      state.specsLoaded = true;
    },
    launchRequested(state: KernelsState, action: PayloadAction<{ specName: string; cwd?: string }>) {
      state.status = 'starting';
      state.missing = undefined;
      state.interruptUnanswered = undefined;
      state.specName = action.payload.specName;
      state.kernelId = undefined;
      state.error = undefined;
      state.stderrTail = undefined;
    },
    launchSucceeded(state: KernelsState, action: PayloadAction<RunningKernel>) {
      adopt(state, action.payload);
    },
    launchFailed(state: KernelsState, action: PayloadAction<{ code: string; message: string; cwd?: string }>) {
      state.status = 'failed';
      state.error = action.payload.message;
      if (action.payload.code === ErrorCode.KernelSpecNotFound && state.specName !== undefined) {
        state.missing = { specName: state.specName, cwd: action.payload.cwd };
      }
    },
    /** "Check again": list the kernelspecs and the interpreters anew. */
    interpretersRequested(_state: KernelsState) {},
    interpretersLoaded(state: KernelsState, action: PayloadAction<PythonInterpreterInfo[]>) {
      if (state.missing) state.missing.interpreters = action.payload;
    },
    statusChanged(state: KernelsState, action: PayloadAction<KernelStatusEvent>) {
      const { kernelId, status, reason, stderrTail } = action.payload;
      if (kernelId !== state.kernelId) return;
      // After a death only a restart/launch brings it back; late idle/busy noise must not hide it.
      if (state.status === 'dead' && status !== 'restarting' && status !== 'starting') return;
      state.status = status;
      // Whatever ended the busy spell (the interrupt after all, a restart, a death) answers it.
      if (status !== 'busy' && status !== 'unresponsive') state.interruptUnanswered = undefined;
      if (status === 'dead' || status === 'terminated') {
        state.error = reason;
        state.stderrTail = stderrTail;
      }
    },
    interruptRequested(_state: KernelsState) {},
    interruptUnanswered(state: KernelsState, action: PayloadAction<{ kernelId: string }>) {
      if (action.payload.kernelId === state.kernelId) state.interruptUnanswered = true;
    },
    restartRequested(state: KernelsState, _action: PayloadAction<{ runAll?: boolean }>) {
      state.status = 'restarting';
      state.interruptUnanswered = undefined;
    },
    restartSucceeded(state: KernelsState, action: PayloadAction<RunningKernel>) {
      adopt(state, action.payload);
    },
    restartFailed(state: KernelsState, action: PayloadAction<{ code: string; message: string }>) {
      state.status = 'dead';
      state.error = action.payload.message;
    },
  },
});

export const kernelsActions = kernelsSlice.actions;
export const kernelsReducer = kernelsSlice.reducer;
