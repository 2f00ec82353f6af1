import { combineReducers } from '@reduxjs/toolkit';
import { explorerReducer } from '../explorer/explorerSlice';
import { filesReducer } from '../features/files/filesSlice';
import { connectionReducer } from '../features/connection/connectionSlice';
import { kernelsReducer } from '../features/kernels/kernelsSlice';
import { notebookReducer } from '../features/notebook/notebookSlice';
import { runsReducer } from '../features/runs/runsSlice';
import { settingsReducer } from '../features/settings/settingsSlice';
import { uiReducer } from '../features/ui/uiSlice';

export const rootReducer = combineReducers({
  notebook: notebookReducer,
  files: filesReducer,
  kernels: kernelsReducer,
  ui: uiReducer,
  runs: runsReducer,
  connection: connectionReducer,
  settings: settingsReducer,
  explorer: explorerReducer,
});

export type RootState = ReturnType<typeof rootReducer>;
