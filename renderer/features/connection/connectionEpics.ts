/**
 * Edits survive the host: while a notebook has unsaved edits they are journaled (recoveryEpics.ts);
 * a later start on that notebook offers them back; a restored connection saves them (with the
 * expected hash, so a file changed meanwhile becomes a conflict, not an overwrite). A host that
 * announces its shutdown: workspaceEpics' shutdownFlushEpic saves every document first.
 */
import { catchError, from, EMPTY, filter, map, switchMap } from 'rxjs';
import type { DocumentEpic } from '../../store/dependencies';
import { filesActions } from '../files/filesSlice';
import { isDirty } from '../files/flushEdits';
import { connectionActions } from './connectionSlice';
import { recoveryEpics } from './recoveryEpics';
import { kernelsActions } from '../../features/kernels/kernelsSlice';

/** Back online: save what was typed meanwhile (autosave was paused). */
export const reconnectSaveEpic: DocumentEpic = (action$, state$) => action$.pipe(
  filter(connectionActions.connectionRestored.match),
  filter(() => isDirty(state$.value) && !state$.value.files.conflict && !state$.value.files.deleted),
  map(() => filesActions.saveRequested({})),
);

/** Back on a host that no longer runs our kernel (it was restarted): say the kernel is gone, offer a restart. */
export const reconnectKernelEpic: DocumentEpic = (action$, state$, { host }) => action$.pipe(
  filter(connectionActions.connectionRestored.match),
  switchMap(() => {
    const { kernelId } = state$.value.kernels;
    if (!kernelId) return EMPTY;
    return from(host.kernels.listKernels()).pipe(
      filter((running) => !running.some((k) => k.id === kernelId)),
      map(() => kernelsActions.statusChanged({ kernelId, status: 'dead', reason: 'The Quire host was restarted and this kernel is gone. Restart it to run cells.' })),
      catchError(() => EMPTY),
    );
  }),
);

export const connectionEpics = [...recoveryEpics, reconnectSaveEpic, reconnectKernelEpic];
