/**
 * The store: RTK with redux-observable. The host API, the scheduler and the live kernel clients
 * are the epics' dependencies; nothing non-serializable enters the state. The window starts with
 * one document (the tab the workspace's notebook opens in).
 */
import { configureStore, findNonSerializableValue, type Middleware } from '@reduxjs/toolkit';
import { createEpicMiddleware } from 'redux-observable';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { UnknownAction } from '@reduxjs/toolkit';
import type { HostApi } from '../../src/host/contract';
import { KernelRegistry } from '../features/kernels/kernelRegistry';
import type { EpicDependencies } from './dependencies';
import { memoryRecoveryStore, type RecoveryStore } from '../features/files/recoveryStore';
import type { HostConnection } from '../host/reconnectingHost';
import { appReducer, type AppState } from './rootReducer';
import { workspaceActions } from '../features/workspace/workspaceSlice';
import { activeDocumentStore } from './documentStore';
import { rootEpic } from './rootEpic';

export interface CreateStoreOptions {
  host: HostApi;
  scheduler?: SchedulerLike;
  kernels?: KernelRegistry;
  outputBatchMs?: number;
  recovery?: RecoveryStore;
  connection?: HostConnection;
  /**
   * RTK's serializability and immutability checks on every action. On in unit tests (they walk the
   * whole state per action: too slow for real notebooks in the app).
   */
  checks?: boolean;
}

const IN_UNIT_TESTS = !!(globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.VITEST;

/**
 * RTK's own serializability check only logs; in tests a live object in an action or in the state
 * (a kernel client, an Error, a Map) must fail the test that put it there.
 */
const strictlySerializable: Middleware<object, AppState> = (api) => (next) => (action) => {
  const inAction = findNonSerializableValue(action);
  if (inAction) throw new Error(`A non-serializable value in action ${(action as UnknownAction).type} at ${inAction.keyPath}`);
  const result = next(action);
  const inState = findNonSerializableValue(api.getState());
  if (inState) throw new Error(`A non-serializable value in the state at ${inState.keyPath} after ${(action as UnknownAction).type}`);
  return result;
};

export function createAppStore(options: CreateStoreOptions) {
  const dependencies: EpicDependencies = {
    host: options.host,
    scheduler: options.scheduler ?? asyncScheduler,
    kernels: options.kernels ?? KernelRegistry.forHost(options.host),
    outputBatchMs: options.outputBatchMs,
    recovery: options.recovery ?? memoryRecoveryStore(),
    connection: options.connection,
  };
  const epicMiddleware = createEpicMiddleware<UnknownAction, UnknownAction, AppState, EpicDependencies>({ dependencies });
  const checks = options.checks ?? IN_UNIT_TESTS;
  const store = configureStore({
    reducer: appReducer,
    middleware: (getDefault) => {
      const defaults = getDefault({ serializableCheck: false, immutableCheck: checks });
      return checks ? defaults.concat(strictlySerializable, epicMiddleware) : defaults.concat(epicMiddleware);
    },
  });
  epicMiddleware.run(rootEpic);
  store.dispatch(workspaceActions.documentAdded());
  return { store, kernels: dependencies.kernels, activeDocument: activeDocumentStore(store) };
}

export type AppStore = ReturnType<typeof createAppStore>['store'];
export type { AppState };
