/**
 * A store for the explorer alone (the harness page and component tests): the app's reducers with
 * only the explorer's session epic, and the serializability and immutability checks on, so
 * anything non-plain that reaches the explorer state fails at once. No host: the explorer's epics
 * reach kernels only through the registry given here.
 */
import { configureStore, type UnknownAction } from '@reduxjs/toolkit';
import { createEpicMiddleware } from 'redux-observable';
import { asyncScheduler } from 'rxjs';
import type { HostApi } from '../../src/host/contract';
import { KernelRegistry } from '../features/kernels/kernelRegistry';
import type { EpicDependencies } from '../store/dependencies';
import { documentStateReducer, type DocumentState } from '../store/documentState';
import { createExplorerSessionsEpic } from './explorerEpics';
import type { ExplorerServices } from './explorerSources';

export interface StandaloneStoreOptions {
  /** Live clients by kernel id (default: none). */
  kernels?: KernelRegistry;
  services?: ExplorerServices;
}

const noHost = new Proxy({}, { get: () => { throw new Error('The standalone explorer store has no host'); } }) as HostApi;

export function createStandaloneExplorerStore(options: StandaloneStoreOptions = {}) {
  const dependencies: EpicDependencies = {
    host: noHost,
    scheduler: asyncScheduler,
    kernels: options.kernels ?? new KernelRegistry(() => { throw new Error('No kernel in the standalone explorer store'); }),
  };
  const epicMiddleware = createEpicMiddleware<UnknownAction, UnknownAction, DocumentState, EpicDependencies>({ dependencies });
  const store = configureStore({
    reducer: documentStateReducer,
    middleware: (getDefault) => getDefault({
      immutableCheck: true,
      // The output's JSON (checked as part of the notebook): a big one would take the check seconds.
      serializableCheck: { ignoredActionPaths: ['payload.resource'] },
    }).concat(epicMiddleware),
  });
  epicMiddleware.run(createExplorerSessionsEpic(options.services));
  return store;
}
