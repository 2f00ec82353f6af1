/**
 * The Runs view: every run the host knows across notebooks (listRuns without a filter: this host's
 * runs and the run index, so `quire run` in a terminal too), kept live by onDidChangeRun, and the
 * view's filters. Global state, not per notebook: it survives opening other notebooks. Plain data.
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { RunInfo, RunStatus } from '../../../src/host/contract';
import { isNewerRunInfo } from '../runs/runsSlice';

export type RunsTimeWindow = 'hour' | 'day' | 'week' | 'all';

export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'starting', 'running', 'completed', 'failed', 'cancelled'];

export interface RunsViewFilters {
  /** Only this notebook's runs (its inputPath as the host gives it); none: every notebook. */
  notebook?: string;
  /** Only these statuses; empty: every status. */
  statuses: RunStatus[];
  /** Only runs started within this window (runs not started yet always show). */
  window: RunsTimeWindow;
  /** Words that must all appear in the notebook, output, parameters, id, error or where it ran. */
  text: string;
}

export interface RunsViewState {
  runs: Record<string, RunInfo>;
  load: 'idle' | 'loading' | 'loaded' | 'error';
  loadError?: string;
  /** Runs changed (by events) since the listing in progress was asked for: the listing must not drop them. */
  changedWhileLoading: string[];
  filters: RunsViewFilters;
  /** Runs whose cancel was asked for and not answered yet. */
  cancelling: Record<string, true>;
  /** The last row action that failed (cancel, run again, editable copy), said above the table. */
  actionError?: { runId?: string; message: string };
}

export const initialFilters: RunsViewFilters = { statuses: [], window: 'all', text: '' };

export const initialRunsViewState: RunsViewState = {
  runs: {}, load: 'idle', changedWhileLoading: [], filters: initialFilters, cancelling: {},
};

const FINISHED = new Set<RunStatus>(['completed', 'failed', 'cancelled']);

export const runsViewSlice = createSlice({
  name: 'runsView',
  initialState: initialRunsViewState,
  reducers: {
    /** Intent: list every run again (the view opened, or Refresh). */
    listRequested(state: RunsViewState) {
      state.load = 'loading';
      state.changedWhileLoading = [];
    },
    /**
     * A snapshot of every run. It replaces the list (runs gone from the host go), except that what
     * events told us meanwhile is kept when newer, and runs they added are not dropped.
     */
    runsListed(state: RunsViewState, action: PayloadAction<{ runs: RunInfo[] }>) {
      const runs: Record<string, RunInfo> = {};
      for (const info of action.payload.runs) {
        const current = state.runs[info.runId];
        runs[info.runId] = current && !isNewerRunInfo(current, info) ? current : info;
      }
      for (const id of state.changedWhileLoading) if (!(id in runs) && state.runs[id]) runs[id] = state.runs[id];
      state.runs = runs;
      state.load = 'loaded';
      state.loadError = undefined;
      state.changedWhileLoading = [];
      for (const id of Object.keys(state.cancelling)) if (!runs[id] || FINISHED.has(runs[id].status)) delete state.cancelling[id];
    },
    listFailed(state: RunsViewState, action: PayloadAction<{ message: string }>) {
      state.load = 'error';
      state.loadError = action.payload.message;
    },
    /** A run started, progressed or ended (this host's, or another process's through the run index). */
    runChanged(state: RunsViewState, action: PayloadAction<RunInfo>) {
      const info = action.payload;
      state.runs[info.runId] = info;
      if (state.load === 'loading' && !state.changedWhileLoading.includes(info.runId)) state.changedWhileLoading.push(info.runId);
      if (FINISHED.has(info.status)) delete state.cancelling[info.runId];
    },
    filtersChanged(state: RunsViewState, action: PayloadAction<Partial<RunsViewFilters>>) {
      const { notebook, ...rest } = action.payload;
      Object.assign(state.filters, rest);
      if ('notebook' in action.payload) {
        if (notebook) state.filters.notebook = notebook;
        else delete state.filters.notebook;
      }
    },
    statusToggled(state: RunsViewState, action: PayloadAction<RunStatus>) {
      const { statuses } = state.filters;
      const at = statuses.indexOf(action.payload);
      if (at >= 0) statuses.splice(at, 1);
      else state.filters.statuses = RUN_STATUSES.filter((s) => s === action.payload || statuses.includes(s));
    },
    filtersCleared(state: RunsViewState) {
      state.filters = initialFilters;
    },
    /**
     * Intent: open a notebook as a document: a run's output notebook (`readOnly`: the record of a
     * run, not to be saved over), an editable copy, or a run's input notebook. The workspace routes it.
     */
    openPathRequested(_state: RunsViewState, _action: PayloadAction<{ path: string; readOnly?: boolean; runId?: string }>) {},
    /** Intent: start a run again with the same notebook, parameters and kernel. */
    runAgainRequested(state: RunsViewState, _action: PayloadAction<{ runId: string }>) {
      state.actionError = undefined;
    },
    runAgainStarted(state: RunsViewState, action: PayloadAction<{ info: RunInfo }>) {
      const { info } = action.payload;
      const current = state.runs[info.runId];
      if (!current || isNewerRunInfo(current, info)) state.runs[info.runId] = info;
    },
    /** Intent: write an editable copy next to a run's output notebook and open it. */
    editableCopyRequested(state: RunsViewState, _action: PayloadAction<{ runId: string }>) {
      state.actionError = undefined;
    },
    cancelRequested(state: RunsViewState, action: PayloadAction<{ runId: string }>) {
      state.actionError = undefined;
      const run = state.runs[action.payload.runId];
      if (run && !FINISHED.has(run.status)) state.cancelling[action.payload.runId] = true;
    },
    /** A row action failed: say so (and stop showing a cancel as under way). */
    actionFailed(state: RunsViewState, action: PayloadAction<{ runId?: string; message: string }>) {
      state.actionError = action.payload;
      if (action.payload.runId) delete state.cancelling[action.payload.runId];
    },
    actionErrorDismissed(state: RunsViewState) {
      state.actionError = undefined;
    },
  },
});

export const runsViewActions = runsViewSlice.actions;
export const runsViewReducer = runsViewSlice.reducer;
