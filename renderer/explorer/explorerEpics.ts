/**
 * Kernel start-up for the explorer: when a kernel starts or restarts, a silent execute installs
 * the dialect's helper (for Python: the DataFrame formatter that tags outputs with a frame id,
 * and pandas' table schema option unless switched off in the preferences). Kernels of other
 * languages are left alone; their dataresource outputs are explored with their own rows.
 */
import { isAnyOf } from '@reduxjs/toolkit';
import { catchError, defer, EMPTY, filter, ignoreElements, mergeMap } from 'rxjs';
import { dialectFor, runExplorerStartup } from '../../src/explorer/protocol';
import { kernelsActions } from '../features/kernels/kernelsSlice';
import type { DocumentEpic } from '../store/dependencies';
import { explorerRowLimit, pandasTableSchemaEnabled } from './explorerPreferences';

export const installExplorerHelperWhenKernelStartsEpic: DocumentEpic = (action$, _state$, { kernels }) => action$.pipe(
  filter(isAnyOf(kernelsActions.launchSucceeded, kernelsActions.restartSucceeded)),
  mergeMap((action) => {
    const kernel = action.payload;
    const dialect = dialectFor(kernel.languageInfo?.name ?? kernel.language);
    if (!dialect) return EMPTY;
    const client = kernels.acquire(kernel.id);
    return defer(() => runExplorerStartup(client, { tableSchema: pandasTableSchemaEnabled(), rowLimit: explorerRowLimit() }, dialect)).pipe(
      ignoreElements(),
      // The explorer still works on the output's rows without the helper: never fail the app for it.
      catchError(() => EMPTY),
    );
  }),
);

/** Registered in renderer/store/rootEpic.ts. */
export const explorerEpics: DocumentEpic[] = [installExplorerHelperWhenKernelStartsEpic];
