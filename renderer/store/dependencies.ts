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
import type { AppState } from './rootReducer';
import type { DocumentState } from './documentState';

/** An epic of the window: tabs, settings, the host's lifecycle. */
export type AppEpic = Epic<UnknownAction, UnknownAction, AppState, EpicDependencies>;

/**
 * An epic of one document: it sees that document's actions (and app-wide ones) and its
 * `DocumentState`; what it emits is addressed to its document (store/documentEpics.ts).
 */
export type DocumentEpic = Epic<UnknownAction, UnknownAction, DocumentState, EpicDependencies>;
