import type { SchedulerLike } from 'rxjs';
import type { HostApi } from '../../src/host/contract';
import type { KernelRegistry } from '../features/kernels/kernelRegistry';
import type { RecoveryStore } from '../features/files/recoveryStore';
import type { HostConnection } from '../host/reconnectingHost';

/** What epics may use besides actions and state: the host API is their only door outside. */
export interface EpicDependencies {
  host: HostApi;
  /** asyncScheduler in the app, a TestScheduler in marble tests. */
  scheduler: SchedulerLike;
  kernels: KernelRegistry;
  /** Where unsaved edits are journaled (the page's localStorage in the app). */
  recovery?: RecoveryStore;
  /** The browser host's connection (absent in Electron): closed on purpose when the host stops. */
  connection?: HostConnection;
  /** Milliseconds between output flushes into the store (batches floods per frame-ish window). */
  outputBatchMs?: number;
}

import type { Epic } from 'redux-observable';
import type { UnknownAction } from '@reduxjs/toolkit';
import type { RootState } from './rootReducer';

/** Every epic's type: any action in, actions out, with the app's state and dependencies. */
export type AppEpic = Epic<UnknownAction, UnknownAction, RootState, EpicDependencies>;
