import { describe, expect, it } from 'vitest';
import { runInfo } from '../runs/testing/runFixtures';
import { filesActions } from '../files/filesSlice';
import { documentStateReducer } from '../../store/documentState';
import { initialRunsViewState, runsViewActions, runsViewReducer, type RunsViewState } from './runsViewSlice';
import { filterRuns, filtersActive, originLabel, relativeTo, selectAllRuns, selectRunNotebooks } from './selectors';

const reduce = (...actions: Parameters<typeof runsViewReducer>[1][]): RunsViewState => actions.reduce(runsViewReducer, initialRunsViewState);

describe('runsView slice', () => {
  it('lists every run: loading, then loaded; a failure says why and keeps what was listed', () => {
    const a = runInfo({ runId: 'a', status: 'completed' });
    let s = reduce(runsViewActions.listRequested());
    expect(s.load).toBe('loading');
    s = runsViewReducer(s, runsViewActions.runsListed({ runs: [a] }));
    expect(s).toMatchObject({ load: 'loaded', runs: { a } });
    s = runsViewReducer(runsViewReducer(s, runsViewActions.listRequested()), runsViewActions.listFailed({ message: 'host gone' }));
    expect(s).toMatchObject({ load: 'error', loadError: 'host gone', runs: { a } });
    // Plain data all the way (the store must stay serializable).
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('a listing replaces the runs, but keeps what events said meanwhile when it is newer', () => {
    const gone = runInfo({ runId: 'gone', status: 'completed' });
    let s = reduce(runsViewActions.runsListed({ runs: [gone] }), runsViewActions.listRequested());
    // While listing: a run ended and a new one started (the snapshot may predate both).
    s = runsViewReducer(s, runsViewActions.runChanged(runInfo({ runId: 'a', status: 'completed', completedCells: 4 })));
    s = runsViewReducer(s, runsViewActions.runChanged(runInfo({ runId: 'new', status: 'queued' })));
    s = runsViewReducer(s, runsViewActions.runsListed({ runs: [runInfo({ runId: 'a', status: 'running', completedCells: 2 }), runInfo({ runId: 'b' })] }));
    expect(Object.keys(s.runs).sort()).toEqual(['a', 'b', 'new']);
    expect(s.runs.a.status).toBe('completed');
    expect(s.changedWhileLoading).toEqual([]);
    // Outside a listing an event is simply the newest word.
    s = runsViewReducer(s, runsViewActions.runChanged(runInfo({ runId: 'b', status: 'failed' })));
    expect(s.runs.b.status).toBe('failed');
  });

  it('filters: notebook (set and cleared), statuses toggled in a stable order, window, text, clear', () => {
    let s = reduce(runsViewActions.filtersChanged({ notebook: '/w/a.ipynb', window: 'day', text: 'alpha' }));
    expect(s.filters).toEqual({ notebook: '/w/a.ipynb', statuses: [], window: 'day', text: 'alpha' });
    s = runsViewReducer(s, runsViewActions.filtersChanged({ notebook: undefined }));
    expect('notebook' in s.filters).toBe(false);
    s = [runsViewActions.statusToggled('failed'), runsViewActions.statusToggled('running'), runsViewActions.statusToggled('cancelled'), runsViewActions.statusToggled('failed')]
      .reduce(runsViewReducer, s);
    expect(s.filters.statuses).toEqual(['running', 'cancelled']);
    s = runsViewReducer(s, runsViewActions.filtersCleared());
    expect(s.filters).toEqual(initialRunsViewState.filters);
  });

  it('a cancel shows as under way until the run ends or the cancel is refused', () => {
    let s = reduce(runsViewActions.runsListed({ runs: [runInfo({ runId: 'a' }), runInfo({ runId: 'b' }), runInfo({ runId: 'done', status: 'completed' })] }));
    s = [runsViewActions.cancelRequested({ runId: 'a' }), runsViewActions.cancelRequested({ runId: 'b' }), runsViewActions.cancelRequested({ runId: 'done' })].reduce(runsViewReducer, s);
    expect(s.cancelling).toEqual({ a: true, b: true });
    s = runsViewReducer(s, runsViewActions.runChanged(runInfo({ runId: 'a', status: 'cancelled' })));
    s = runsViewReducer(s, runsViewActions.actionFailed({ runId: 'b', message: 'Could not cancel: started elsewhere' }));
    expect(s.cancelling).toEqual({});
    expect(s.actionError).toEqual({ runId: 'b', message: 'Could not cancel: started elsewhere' });
    expect(runsViewReducer(s, runsViewActions.actionErrorDismissed()).actionError).toBeUndefined();
  });

  it('is global: opening another notebook keeps the runs and the filters', () => {
    let state = documentStateReducer(undefined, runsViewActions.runsListed({ runs: [runInfo({ runId: 'a' })] }));
    state = documentStateReducer(state, runsViewActions.filtersChanged({ text: 'x' }));
    state = documentStateReducer(state, filesActions.openSucceeded({ path: '/w/other.ipynb', notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }, mtimeMs: 1 }));
    expect(Object.keys(state.runsView.runs)).toEqual(['a']);
    expect(state.runsView.filters.text).toBe('x');
  });
});

describe('runsView selectors', () => {
  const now = Date.parse('2026-12-08T12:00:00Z');
  const runs = [
    runInfo({ runId: 'fresh', inputPath: '/w/a.ipynb', status: 'running', startTime: '2026-12-08T11:30:00Z', parameters: { alpha: 0.5 }, origin: { host: 'cli', pid: 42, hostname: 'box' } }),
    runInfo({ runId: 'today', inputPath: '/w/sub/b.ipynb', status: 'failed', startTime: '2026-12-08T02:00:00Z', parameters: {}, error: { ename: 'ValueError', evalue: 'boom', message: 'ValueError: boom' } }),
    runInfo({ runId: 'old', inputPath: '/w/a.ipynb', status: 'completed', startTime: '2026-11-01T00:00:00Z', outputPath: '/w/runs/sweep/a-lr.ipynb', origin: { host: 'app', pid: 7, hostname: 'box' } }),
    runInfo({ runId: 'queued', inputPath: '/w/c.ipynb', status: 'queued', startTime: undefined }),
  ];

  it('filters by notebook, statuses, time window (unstarted runs always show) and every word of the text', () => {
    const ids = (f: Partial<Parameters<typeof filterRuns>[1]>) => filterRuns(runs, { statuses: [], window: 'all', text: '', ...f }, now).map((r) => r.runId);
    expect(ids({})).toEqual(['fresh', 'today', 'old', 'queued']);
    expect(ids({ notebook: '/w/a.ipynb' })).toEqual(['fresh', 'old']);
    expect(ids({ statuses: ['failed', 'completed'] })).toEqual(['today', 'old']);
    expect(ids({ window: 'hour' })).toEqual(['fresh', 'queued']);
    expect(ids({ window: 'day' })).toEqual(['fresh', 'today', 'queued']);
    expect(ids({ window: 'week' })).toEqual(['fresh', 'today', 'queued']);
    expect(ids({ text: 'ALPHA' })).toEqual(['fresh']);
    expect(ids({ text: 'boom' })).toEqual(['today']);
    expect(ids({ text: 'sweep a-lr' })).toEqual(['old']);
    expect(ids({ text: 'terminal' })).toEqual(['fresh']);
    expect(ids({ text: 'sweep boom' })).toEqual([]);
    expect(filtersActive({ statuses: [], window: 'all', text: ' ' })).toBe(false);
    expect(filtersActive({ statuses: ['failed'], window: 'all', text: '' })).toBe(true);
  });

  it('lists newest first and offers each notebook once, by file name', () => {
    const state = documentStateReducer(undefined, runsViewActions.runsListed({ runs: [...runs].reverse() }));
    expect(selectAllRuns(state).map((r) => r.runId)).toEqual(['queued', 'fresh', 'today', 'old']);
    expect(selectRunNotebooks(state)).toEqual(['/w/a.ipynb', '/w/sub/b.ipynb', '/w/c.ipynb']);
  });

  it('says where a run ran and shows paths inside the workspace relative to it', () => {
    expect(runs.map(originLabel)).toEqual(['Terminal', '—', 'App', '—']);
    expect(relativeTo('/w/sub/b.ipynb', '/w')).toBe('sub/b.ipynb');
    expect(relativeTo('/w/sub/b.ipynb', '/w/')).toBe('sub/b.ipynb');
    expect(relativeTo('/ww/b.ipynb', '/w')).toBe('/ww/b.ipynb');
    expect(relativeTo('/w/b.ipynb', undefined)).toBe('/w/b.ipynb');
    expect(relativeTo('/w', '/w')).toBe('');
  });
});
