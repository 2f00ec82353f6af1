/**
 * The store: RTK with redux-observable. The host API, the scheduler and the live kernel clients
 * are the epics' dependencies; nothing non-serializable enters the state.
 */
import { configureStore } from '@reduxjs/toolkit';
import { createEpicMiddleware } from 'redux-observable';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { UnknownAction } from '@reduxjs/toolkit';
import type { HostApi } from '../../src/host/contract';
import { KernelRegistry } from '../features/kernels/kernelRegistry';
import type { EpicDependencies } from './dependencies';
import { memoryRecoveryStore, type RecoveryStore } from '../features/files/recoveryStore';
import type { HostConnection } from '../host/reconnectingHost';
import { rootReducer, type RootState } from './rootReducer';
import { rootEpic } from './rootEpic';

export interface CreateStoreOptions {
  host: HostApi;
  scheduler?: SchedulerLike;
  kernels?: KernelRegistry;
  outputBatchMs?: number;
  recovery?: RecoveryStore;
  connection?: HostConnection;
}

export function createAppStore(options: CreateStoreOptions) {
  const dependencies: EpicDependencies = {
    host: options.host,
    scheduler: options.scheduler ?? asyncScheduler,
    kernels: options.kernels ?? KernelRegistry.forHost(options.host),
    outputBatchMs: options.outputBatchMs,
    recovery: options.recovery ?? memoryRecoveryStore(),
    connection: options.connection,
  };
  const epicMiddleware = createEpicMiddleware<UnknownAction, UnknownAction, RootState, EpicDependencies>({ dependencies });
  const store = configureStore({
    reducer: rootReducer,
    // Notebooks are large: the dev-only immutability/serializability walks would dominate.
    middleware: (getDefault) => getDefault({ serializableCheck: false, immutableCheck: false }).concat(epicMiddleware),
  });
  epicMiddleware.run(rootEpic);
  return { store, kernels: dependencies.kernels };
}

export type AppStore = ReturnType<typeof createAppStore>['store'];
export type AppDispatch = AppStore['dispatch'];
export type { RootState };
