import { describe, expect, it } from 'vitest';
import type { Notebook } from '../../../src/jupyter/nbformat';
import { filesActions } from '../files/filesSlice';
import { runInfo } from './testing/runFixtures';
import { foldLive, initialRunsState, LIVE_CUT_NOTICE, LIVE_MAX_CHARS, LIVE_MAX_OUTPUTS, runsActions, runsReducer, type RunsState } from './runsSlice';


const opened = (path = '/w/nb.ipynb'): RunsState => runsReducer(undefined, filesActions.openSucceeded({
  path, notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }, mtimeMs: 1,
}));

describe('runsSlice', () => {
  it('tracks the opened notebook and resets for another one, keeping a run still going', () => {
    let s = opened();
    expect(s.inputPath).toBe('/w/nb.ipynb');
    s = runsReducer(s, runsActions.startSucceeded({ info: runInfo(), cellPreviews: ['a', 'b', 'c', 'd'] }));
    s = runsReducer(s, runsActions.runChanged(runInfo({ runId: 'old', status: 'completed' })));
    s = runsReducer(s, runsActions.panelToggled(true));
    const next = runsReducer(s, filesActions.openSucceeded({ path: '/w/other.ipynb', notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }, mtimeMs: 1 }));
    expect(next.inputPath).toBe('/w/other.ipynb');
    expect(Object.keys(next.runs)).toEqual(['r1']);
    expect(next.followed).toBe('r1');
    expect(next.previews.r1).toEqual(['a', 'b', 'c', 'd']);
    expect(next.panelOpen).toBe(true);
  });

  it('start: closes the dialog and follows the run; failure keeps the dialog with the reason', () => {
    let s = runsReducer(opened(), runsActions.dialogOpened());
    s = runsReducer(s, runsActions.startRequested({ request: { inputPath: '/w/nb.ipynb', parameters: {} } }));
    expect(s.starting).toBe(true);
    const failed = runsReducer(s, runsActions.startFailed({ code: 'FILE_EXISTS', message: 'exists' }));
    expect(failed).toMatchObject({ starting: false, dialogOpen: true, startError: { code: 'FILE_EXISTS' } });
    const ok = runsReducer(s, runsActions.startSucceeded({ info: runInfo({ status: 'queued', completedCells: 0 }) }));
    expect(ok).toMatchObject({ starting: false, dialogOpen: false, followed: 'r1' });
  });

  it('a listed snapshot does not roll back newer event data', () => {
    let s = runsReducer(opened(), runsActions.runChanged(runInfo({ status: 'completed', completedCells: 4 })));
    s = runsReducer(s, runsActions.runsListed({ inputPath: '/w/nb.ipynb', runs: [runInfo({ completedCells: 2 }), runInfo({ runId: 'r2' })] }));
    expect(s.runs.r1.status).toBe('completed');
    expect(s.runs.r2.status).toBe('running');
    // A listing for a notebook that is no longer open is ignored.
    s = runsReducer(s, runsActions.runsListed({ inputPath: '/w/gone.ipynb', runs: [runInfo({ runId: 'r3' })] }));
    expect(s.runs.r3).toBeUndefined();
  });

  it('folds live outputs of the current cell and starts over when the cell changes', () => {
    let s = runsReducer(opened(), runsActions.runOutputsReceived([
      { runId: 'r1', cellIndex: 2, output: { output_type: 'stream', name: 'stdout', text: 'a\n' } },
      { runId: 'r1', cellIndex: 2, output: { output_type: 'stream', name: 'stdout', text: 'b\n' } },
    ]));
    expect(s.live.r1).toEqual({ cellIndex: 2, outputs: [{ output_type: 'stream', name: 'stdout', text: 'a\nb\n' }] });
    s = runsReducer(s, runsActions.runOutputsReceived([{ runId: 'r1', cellIndex: 3, output: { output_type: 'stream', name: 'stdout', text: 'c\n' } }]));
    expect(s.live.r1).toEqual({ cellIndex: 3, outputs: [{ output_type: 'stream', name: 'stdout', text: 'c\n' }] });
  });

  it('a flood keeps only the tail of the live text (whole lines) and the latest outputs', () => {
    const line = (i: number) => `line ${String(i).padStart(6, '0')}\n`;
    const events = Array.from({ length: 10_000 }, (_, i) => ({ runId: 'r1', cellIndex: 0, output: { output_type: 'stream' as const, name: 'stdout' as const, text: line(i) } }));
    let live = foldLive(undefined, events.slice(0, 5000));
    live = foldLive(live, events.slice(5000));
    const text = live.outputs[0].output_type === 'stream' ? String(live.outputs[0].text) : '';
    expect(text.startsWith(LIVE_CUT_NOTICE)).toBe(true);
    expect(text.endsWith(line(9999))).toBe(true);
    expect(text.length).toBeLessThanOrEqual(LIVE_MAX_CHARS + LIVE_CUT_NOTICE.length);
    expect(text.slice(LIVE_CUT_NOTICE.length)).toMatch(/^line \d{6}\n/);
    // stdout and stderr chunks interleaved stay separate outputs, in order.
    const mixed = foldLive(undefined, [
      { runId: 'r1', cellIndex: 1, output: { output_type: 'stream', name: 'stdout', text: 'a' } },
      { runId: 'r1', cellIndex: 1, output: { output_type: 'stream', name: 'stderr', text: 'b' } },
      { runId: 'r1', cellIndex: 1, output: { output_type: 'stream', name: 'stdout', text: 'c' } },
    ]);
    expect(mixed.outputs.map((o) => (o.output_type === 'stream' ? `${o.name}:${String(o.text)}` : ''))).toEqual(['stdout:a', 'stderr:b', 'stdout:c']);
    const displays = Array.from({ length: LIVE_MAX_OUTPUTS + 5 }, (_, i) => ({ runId: 'r1', cellIndex: 2, output: { output_type: 'display_data' as const, data: { 'text/plain': String(i) }, metadata: {} } }));
    const many = foldLive(undefined, displays);
    expect(many.outputs).toHaveLength(LIVE_MAX_OUTPUTS);
    expect(many.outputs[LIVE_MAX_OUTPUTS - 1]).toEqual(displays[displays.length - 1].output);
  });

  it('viewer: loading, loaded, refocus on the same file, failure only for the shown path', () => {
    const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
    let s = runsReducer(opened(), runsActions.outputOpenRequested({ path: '/o.ipynb', runId: 'r1' }));
    expect(s.viewer).toEqual({ path: '/o.ipynb', runId: 'r1', loading: true, focusFailed: false, focusToken: 1 });
    s = runsReducer(s, runsActions.outputLoadFailed({ path: '/other.ipynb', message: 'x' }));
    expect(s.viewer?.error).toBeUndefined();
    s = runsReducer(s, runsActions.outputLoaded({ path: '/o.ipynb', notebook: nb }));
    s = runsReducer(s, runsActions.outputOpenRequested({ path: '/o.ipynb', runId: 'r1', focusFailed: true }));
    // Asking again re-reads the file while the loaded notebook stays on show.
    expect(s.viewer).toMatchObject({ loading: true, notebook: nb, focusFailed: true, focusToken: 2 });
    s = runsReducer(s, runsActions.outputLoaded({ path: '/o.ipynb', notebook: nb }));
    s = runsReducer(s, runsActions.editableCopyFailed({ message: 'disk full' }));
    expect(s.viewer?.copyError).toBe('disk full');
    expect(runsReducer(s, runsActions.viewerClosed()).viewer).toBeUndefined();
  });

  it('dismissing the progress card forgets its live output', () => {
    let s = runsReducer({ ...initialRunsState, followed: 'r1', live: { r1: { cellIndex: 0, outputs: [] } } }, runsActions.progressDismissed());
    expect(s.followed).toBeUndefined();
    expect(s.live).toEqual({});
    s = runsReducer(s, runsActions.panelToggled(undefined));
    expect(s.panelOpen).toBe(true);
  });
});
