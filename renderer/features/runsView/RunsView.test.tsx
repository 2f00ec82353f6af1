import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { filesActions } from '../files/filesSlice';
import { runInfo } from '../runs/testing/runFixtures';
import { renderWithStore } from '../runs/testing/renderWithStore';
import { uiActions } from '../ui/uiSlice';
import { RunsView } from './RunsView';
import { runsViewActions } from './runsViewSlice';

afterEach(cleanup);

const runs = [
  runInfo({ runId: 'cli1', inputPath: '/w/job.ipynb', outputPath: '/w/runs/job-1.ipynb', status: 'running', parameters: { n: 7 }, startTime: '2026-12-08T10:00:00Z',
    completedCells: 1, totalCells: 3, origin: { host: 'cli', pid: 4242, hostname: 'box' } }),
  runInfo({ runId: 'app1', inputPath: '/w/sub/analysis.ipynb', outputPath: '/w/sub/runs/analysis-1.ipynb', status: 'completed', parameters: {}, startTime: '2026-12-08T09:00:00Z',
    durationSec: 12.5, origin: { host: 'app', pid: 1, hostname: 'box' } }),
  runInfo({ runId: 'app2', inputPath: '/w/sub/analysis.ipynb', outputPath: '/w/sub/runs/analysis-2.ipynb', status: 'failed', parameters: { label: 'fail' }, startTime: '2026-12-08T08:00:00Z',
    durationSec: 3, error: { ename: 'AssertionError', evalue: 'label was fail', message: 'AssertionError: label was fail' } }),
];
const workspace = filesActions.workspaceLoaded({ root: '/w' } as Parameters<typeof filesActions.workspaceLoaded>[0]);
const setup = [workspace, uiActions.panelOpened('runs'), runsViewActions.runsListed({ runs })];
const rowIds = () => screen.queryAllByTestId('runs-view-row').map((r) => r.getAttribute('data-run-id'));

describe('RunsView', () => {
  it('is an accessible table of every run: notebook, status, start, duration, parameters, where it ran, output', () => {
    renderWithStore(<RunsView />, setup);
    const table = screen.getByRole('table', { name: 'Runs across notebooks' });
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Notebook', 'Status', 'Started', 'Duration', 'Parameters', 'Ran in', 'Output', 'Actions']);
    expect(rowIds()).toEqual(['cli1', 'app1', 'app2']);
    const [cli, app, failed] = screen.getAllByTestId('runs-view-row');
    expect(within(cli).getByRole('rowheader').textContent).toBe('job.ipynb');
    expect(within(app).getByRole('rowheader').textContent).toBe('analysis.ipynbsub');
    expect(within(cli).getByTestId('runs-view-status').textContent).toBe('Running');
    expect(cli.textContent).toContain('1/3');
    expect(within(cli).getByTestId('runs-view-params').textContent).toBe('n=7');
    expect(within(app).getByTestId('runs-view-params').textContent).toBe('defaults');
    expect(within(cli).getByTestId('runs-view-origin').textContent).toBe('Terminal');
    expect(within(cli).getByTestId('runs-view-origin').getAttribute('title')).toBe('`quire run`, process 4242 on box');
    expect(within(app).getByTestId('runs-view-origin').textContent).toBe('App');
    expect(within(failed).getByTestId('runs-view-origin').textContent).toBe('—');
    expect(app.textContent).toContain('13 s');
    expect(app.textContent).toContain('sub/runs/analysis-1.ipynb');
    // Actions fit the status, and name their row for screen readers.
    expect(within(cli).queryByTestId('runs-view-copy')).toBeNull();
    expect(within(app).queryByTestId('runs-view-cancel')).toBeNull();
    const cancel = within(cli).getByTestId('runs-view-cancel');
    expect(document.getElementById(cancel.getAttribute('aria-describedby')!)?.textContent).toContain('job.ipynb');
    expect(screen.getByTestId('runs-view-count').textContent).toBe('3 runs');
  });

  it('filters by notebook (the notebooks present), status, and text; says when nothing matches and clears', () => {
    const { store } = renderWithStore(<RunsView />, setup);
    const notebook = screen.getByTestId('runs-view-notebook') as HTMLSelectElement;
    expect([...notebook.options].map((o) => o.textContent)).toEqual(['All notebooks', 'sub/analysis.ipynb', 'job.ipynb']);
    fireEvent.change(notebook, { target: { value: '/w/sub/analysis.ipynb' } });
    expect(rowIds()).toEqual(['app1', 'app2']);
    fireEvent.click(screen.getByTestId('runs-view-status-failed'));
    expect(rowIds()).toEqual(['app2']);
    expect(screen.getByTestId('runs-view-count').textContent).toBe('1 of 3 runs');
    fireEvent.change(screen.getByTestId('runs-view-search'), { target: { value: 'nothing like this' } });
    expect(screen.getByTestId('runs-view-empty').textContent).toBe('No runs match these filters.');
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(rowIds()).toEqual(['cli1', 'app1', 'app2']);
    expect(store.getState().runsView.filters).toEqual({ statuses: [], window: 'all', text: '' });
  });

  it('row actions: open the record (read-only), the notebook, run again, editable copy, cancel; refresh', () => {
    const { actions } = renderWithStore(<RunsView />, setup);
    const [cli, app] = screen.getAllByTestId('runs-view-row');
    fireEvent.click(within(app).getByTestId('runs-view-open'));
    fireEvent.click(within(app).getByTestId('runs-view-open-notebook'));
    fireEvent.click(within(app).getByTestId('runs-view-again'));
    fireEvent.click(within(app).getByTestId('runs-view-copy'));
    fireEvent.click(within(cli).getByTestId('runs-view-cancel'));
    fireEvent.click(screen.getByTestId('runs-view-refresh'));
    expect(actions).toEqual([
      runsViewActions.openPathRequested({ path: '/w/sub/runs/analysis-1.ipynb', readOnly: true, runId: 'app1' }),
      runsViewActions.openPathRequested({ path: '/w/sub/analysis.ipynb' }),
      runsViewActions.runAgainRequested({ runId: 'app1' }),
      runsViewActions.editableCopyRequested({ runId: 'app1' }),
      runsViewActions.cancelRequested({ runId: 'cli1' }),
      runsViewActions.listRequested(),
    ]);
    // The cancel is under way: its button says so and cannot be pressed twice.
    expect(within(cli).getByTestId('runs-view-cancel').textContent).toBe('Cancelling…');
    expect((within(cli).getByTestId('runs-view-cancel') as HTMLButtonElement).disabled).toBe(true);
  });

  it('empty states: looking, none yet, and a listing that failed; action errors can be dismissed', () => {
    const { store } = renderWithStore(<RunsView />, [uiActions.panelOpened('runs'), runsViewActions.listRequested()]);
    expect(screen.getByTestId('runs-view-empty').textContent).toBe('Looking for runs…');
    act(() => { store.dispatch(runsViewActions.runsListed({ runs: [] })); });
    expect(screen.getByTestId('runs-view-empty').textContent).toContain('No runs yet');
    act(() => { store.dispatch(runsViewActions.listFailed({ message: 'host gone' })); });
    expect(screen.getByTestId('runs-view-error').textContent).toBe('Could not list runs: host gone');
    act(() => { store.dispatch(runsViewActions.actionFailed({ message: 'Could not cancel: nope' })); });
    fireEvent.click(within(screen.getByTestId('runs-view-action-error')).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('runs-view-action-error')).toBeNull();
  });

  it('Escape closes the view', () => {
    const { store } = renderWithStore(<RunsView />, setup);
    fireEvent.keyDown(screen.getByTestId('runs-view'), { key: 'Escape' });
    expect(store.getState().ui.panel).toBe('none');
  });
});
