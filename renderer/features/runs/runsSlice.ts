/**
 * Parameterized runs of the open notebook as plain data: the runs the host knows (RunInfo, kept
 * fresh by onDidChangeRun), the live outputs of each running run's current cell, the "Run with
 * parameters" dialog, the runs panel and the read-only view of a run's output notebook.
 */
import { createSlice, isDraft, original, type PayloadAction } from '@reduxjs/toolkit';
import type { RunInfo, RunOutputEvent, RunRequest } from '../../../src/host/contract';
import type { Notebook, Output } from '../../../src/jupyter/nbformat';
import { appendOutput } from '../../../src/jupyter/outputs';
import { openSucceeded } from '../files/filesSlice';

/** The outputs of the cell a run is executing now (older cells' outputs are in the output notebook). */
export interface LiveOutput {
  cellIndex: number;
  outputs: Output[];
}

export interface RunViewer {
  path: string;
  runId?: string;
  loading: boolean;
  notebook?: Notebook;
  error?: string;
  /** Scroll to the failed cell once loaded. */
  focusFailed: boolean;
  /** Bumped to ask the view to scroll to the failing cell again. */
  focusToken: number;
  copyError?: string;
}

export interface RunsState {
  /** The notebook whose runs these are. */
  inputPath?: string;
  dialogOpen: boolean;
  starting: boolean;
  startError?: { code: string; message: string };
  panelOpen: boolean;
  listing: boolean;
  listError?: string;
  runs: Record<string, RunInfo>;
  /** First source line of every cell of the output notebook, for runs started in this window. */
  previews: Record<string, string[]>;
  live: Record<string, LiveOutput>;
  /** The run whose progress card is shown. */
  followed?: string;
  viewer?: RunViewer;
  cancelError?: string;
}

/** Live output is a preview (the output notebook has everything): stream text beyond this is cut from the front. */
export const LIVE_MAX_CHARS = 50_000;
/** At most this many live outputs per run (the latest). */
export const LIVE_MAX_OUTPUTS = 100;
export const LIVE_CUT_NOTICE = '[… earlier output is in the output notebook]\n';

function plain<T>(value: T): T {
  return isDraft(value) ? (original(value as never) as T) : value;
}

/**
 * Folds one batch of a run's output events into its live output. Consecutive stream chunks are
 * joined before they are appended, and long text is cut to its tail, so a flood costs each batch
 * O(batch + LIVE_MAX_CHARS), not O(everything printed so far).
 */
export function foldLive(previous: LiveOutput | undefined, events: readonly RunOutputEvent[]): LiveOutput {
  let cellIndex = previous?.cellIndex ?? -1;
  let outputs = previous?.outputs ?? [];
  let pending: { name: 'stdout' | 'stderr'; parts: string[] } | undefined;
  const flush = () => {
    if (pending) outputs = appendOutput(outputs, { output_type: 'stream', name: pending.name, text: pending.parts.join('') });
    pending = undefined;
  };
  for (const { cellIndex: index, output } of events) {
    if (index !== cellIndex) {
      flush();
      outputs = [];
      cellIndex = index;
    }
    if (output.output_type === 'stream') {
      const text = Array.isArray(output.text) ? output.text.join('') : output.text;
      if (pending && pending.name === output.name) pending.parts.push(text);
      else {
        flush();
        pending = { name: output.name, parts: [text] };
      }
    } else {
      flush();
      outputs = appendOutput(outputs, output);
    }
  }
  flush();
  if (outputs.length > LIVE_MAX_OUTPUTS) outputs = outputs.slice(-LIVE_MAX_OUTPUTS);
  return { cellIndex, outputs: outputs.map(cutStream) };
}

function cutStream(output: Output): Output {
  if (output.output_type !== 'stream') return output;
  const text = Array.isArray(output.text) ? output.text.join('') : output.text;
  if (text.length <= LIVE_MAX_CHARS) return output;
  let tail = text.slice(-LIVE_MAX_CHARS);
  const newline = tail.indexOf('\n');
  if (newline >= 0 && newline < tail.length - 1) tail = tail.slice(newline + 1);
  return { ...output, text: LIVE_CUT_NOTICE + tail };
}

export const initialRunsState: RunsState = { dialogOpen: false, starting: false, panelOpen: false, listing: false, runs: {}, previews: {}, live: {} };

const FINISHED = new Set(['completed', 'failed', 'cancelled']);
export const isFinishedRun = (info: Pick<RunInfo, 'status'>): boolean => FINISHED.has(info.status);

/** A listed snapshot must not roll back what newer events already told us: whether `incoming` may replace `current`. */
export function isNewerRunInfo(current: RunInfo | undefined, incoming: RunInfo): boolean {
  if (!current) return true;
  if (isFinishedRun(current) && !isFinishedRun(incoming)) return false;
  return isFinishedRun(incoming) || incoming.completedCells >= current.completedCells;
}

export const runsSlice = createSlice({
  name: 'runs',
  initialState: initialRunsState,
  reducers: {
    dialogOpened(state: RunsState) {
      state.dialogOpen = true;
      state.startError = undefined;
    },
    dialogClosed(state: RunsState) {
      state.dialogOpen = false;
      state.startError = undefined;
    },
    /** Intent: start a run. `saveFirst` saves unsaved changes first (the run reads the file). */
    startRequested(state: RunsState, _action: PayloadAction<{ request: RunRequest; saveFirst?: boolean; cellPreviews?: string[] }>) {
      state.starting = true;
      state.startError = undefined;
    },
    startSucceeded(state: RunsState, action: PayloadAction<{ info: RunInfo; cellPreviews?: string[] }>) {
      const { info, cellPreviews } = action.payload;
      Object.assign(state, { starting: false, dialogOpen: false, followed: info.runId });
      if (isNewerRunInfo(state.runs[info.runId], info)) state.runs[info.runId] = info;
      if (cellPreviews) state.previews[info.runId] = cellPreviews;
    },
    startFailed(state: RunsState, action: PayloadAction<{ code: string; message: string }>) {
      state.starting = false;
      state.startError = action.payload;
    },
    /** Intent: start again with the parameters and kernel of an earlier run. */
    runAgainRequested(_state: RunsState, _action: PayloadAction<{ runId: string }>) {},
    cancelRequested(state: RunsState, _action: PayloadAction<{ runId: string }>) {
      state.cancelError = undefined;
    },
    cancelFailed(state: RunsState, action: PayloadAction<{ runId: string; message: string }>) {
      state.cancelError = action.payload.message;
    },
    runChanged(state: RunsState, action: PayloadAction<RunInfo>) {
      const info = action.payload;
      state.runs[info.runId] = info;
    },
    runOutputsReceived(state: RunsState, action: PayloadAction<RunOutputEvent[]>) {
      const byRun = new Map<string, RunOutputEvent[]>();
      for (const event of action.payload) {
        const list = byRun.get(event.runId);
        if (list) list.push(event);
        else byRun.set(event.runId, [event]);
      }
      for (const [runId, events] of byRun) {
        const previous = state.live[runId];
        state.live[runId] = foldLive(previous ? plain(previous) : undefined, events);
      }
    },
    progressDismissed(state: RunsState) {
      if (state.followed) delete state.live[state.followed];
      state.followed = undefined;
    },
    panelToggled(state: RunsState, action: PayloadAction<boolean | undefined>) {
      state.panelOpen = action.payload ?? !state.panelOpen;
    },
    listRequested(state: RunsState) {
      state.listing = true;
    },
    runsListed(state: RunsState, action: PayloadAction<{ inputPath: string; runs: RunInfo[] }>) {
      state.listing = false;
      state.listError = undefined;
      if (action.payload.inputPath !== state.inputPath) return;
      for (const info of action.payload.runs) if (isNewerRunInfo(state.runs[info.runId], info)) state.runs[info.runId] = info;
    },
    listFailed(state: RunsState, action: PayloadAction<{ message: string }>) {
      state.listing = false;
      state.listError = action.payload.message;
    },
    /** Intent: show a run's output notebook read-only. */
    outputOpenRequested(state: RunsState, action: PayloadAction<{ path: string; runId?: string; focusFailed?: boolean }>) {
      const { path, runId, focusFailed } = action.payload;
      const token = (state.viewer?.focusToken ?? 0) + 1;
      // The same file again: read it again (a run may have written more) but keep showing it meanwhile.
      if (state.viewer?.path === path && state.viewer.notebook) {
        Object.assign(state.viewer, { loading: true, focusFailed: !!focusFailed, focusToken: token, ...(runId ? { runId } : {}) });
        return;
      }
      state.viewer = { path, ...(runId ? { runId } : {}), loading: true, focusFailed: !!focusFailed, focusToken: token };
    },
    outputLoaded(state: RunsState, action: PayloadAction<{ path: string; notebook: Notebook }>) {
      if (state.viewer?.path !== action.payload.path) return;
      Object.assign(state.viewer, { loading: false, notebook: action.payload.notebook, error: undefined });
    },
    outputLoadFailed(state: RunsState, action: PayloadAction<{ path: string; message: string }>) {
      if (state.viewer?.path !== action.payload.path) return;
      Object.assign(state.viewer, { loading: false, error: action.payload.message });
    },
    viewerClosed(state: RunsState) {
      state.viewer = undefined;
    },
    /** Intent: copy an output notebook next to itself and open the copy for editing. */
    editableCopyRequested(state: RunsState, _action: PayloadAction<{ path: string }>) {
      if (state.viewer) state.viewer.copyError = undefined;
    },
    editableCopyFailed(state: RunsState, action: PayloadAction<{ message: string }>) {
      if (state.viewer) state.viewer.copyError = action.payload.message;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(openSucceeded, (state, action) => {
      // Another notebook (or an editable copy) opened: its runs replace these; a run still going keeps its card.
      const followed = state.followed ? state.runs[state.followed] : undefined;
      const keep = followed && !isFinishedRun(followed) ? followed : undefined;
      return {
        ...initialRunsState,
        inputPath: action.payload.path,
        panelOpen: state.panelOpen,
        runs: keep ? { [keep.runId]: keep } : {},
        previews: keep && state.previews[keep.runId] ? { [keep.runId]: state.previews[keep.runId] } : {},
        live: keep && state.live[keep.runId] ? { [keep.runId]: state.live[keep.runId] } : {},
        ...(keep ? { followed: keep.runId } : {}),
      };
    });
  },
});

export const runsActions = runsSlice.actions;
export const runsReducer = runsSlice.reducer;
