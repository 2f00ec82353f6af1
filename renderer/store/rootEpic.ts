import { catchError } from 'rxjs';
import { combineEpics } from 'redux-observable';
import type { AppEpic, DocumentEpic } from './dependencies';
import { perDocument } from './documentEpics';
import { explorerEpics } from '../explorer/explorerEpics';
import { executionEpics } from '../features/notebook/executionEpics';
import { filesEpics } from '../features/files/filesEpics';
import { kernelsEpics } from '../features/kernels/kernelsEpics';
import { runsEpics } from '../features/runs/runsEpics';
import { runsViewEpics } from '../features/runsView/runsViewEpics';
import { connectionEpics } from '../features/connection/connectionEpics';
import { settingsEpics } from '../features/settings/settingsEpics';
import { workspaceEpics } from '../features/workspace/workspaceEpics';

/** What each open notebook runs for itself (store/documentEpics.ts). */
const documentEpics: DocumentEpic[] = [...filesEpics, ...kernelsEpics, ...executionEpics, ...runsEpics, ...explorerEpics, ...connectionEpics];

/** What the window runs once. */
const appEpics: AppEpic[] = [...workspaceEpics, ...settingsEpics, ...runsViewEpics, perDocument(combineEpics(...documentEpics))];

/**
 * Every epic catches its own errors inside its inner pipes. This outer guard only logs: an epic
 * that dies here is a bug to fix, not something to resubscribe silently.
 */
export const rootEpic: AppEpic = (action$, state$, deps) => combineEpics(...appEpics)(action$, state$, deps).pipe(
  catchError((error: unknown, _caught) => {
    console.error('An epic failed and stopped:', error);
    throw error;
  }),
);
