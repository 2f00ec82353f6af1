import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RunsPanel } from './RunsPanel';
import { runsActions } from './runsSlice';
import { runInfo } from './testing/runFixtures';
import { renderWithStore } from './testing/renderWithStore';

afterEach(cleanup);

const runs = [
  runInfo({ runId: 'a', status: 'completed', parameters: { alpha: 0.1 }, scraps: { accuracy: 0.91, note: 'ok' }, startTime: '2024-01-01T10:00:00Z', durationSec: 12.5 }),
  runInfo({ runId: 'b', status: 'failed', parameters: { alpha: 0.9, tag: 'x' }, scraps: {}, startTime: '2024-01-01T11:00:00Z', durationSec: 3,
    error: { cellIndex: 4, ename: 'ValueError', evalue: 'bad', message: 'ValueError: bad' } }),
];

describe('RunsPanel', () => {
  it('lists runs newest first with parameter and recorded-value columns', () => {
    renderWithStore(<RunsPanel />, [runsActions.runsListed({ inputPath: '/w/nb.ipynb', runs })]);
    const table = screen.getByTestId('runs-table');
    expect([...table.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['Status', 'Started', 'Duration', 'alpha', 'tag', 'accuracy', 'note', '']);
    const rows = screen.getAllByTestId('run-row');
    expect(rows.map((r) => r.getAttribute('data-run-id'))).toEqual(['b', 'a']);
    expect(within(rows[1]).getByTestId('run-scrap-accuracy').textContent).toBe('0.91');
    expect(within(rows[1]).getByTestId('run-param-tag').textContent).toBe('default');
    expect(within(rows[1]).getByTestId('run-status').textContent).toBe('Completed');
    expect(rows[1].textContent).toContain('13 s');
    expect(within(rows[0]).getByTestId('run-open-failed').textContent).toBe('Failing cell [4]');
    expect(within(rows[1]).queryByTestId('run-open-failed')).toBeNull();
  });

  it('row actions: open read-only, failing cell, run again, editable copy', () => {
    const { actions } = renderWithStore(<RunsPanel />, [runsActions.runsListed({ inputPath: '/w/nb.ipynb', runs })]);
    const failed = screen.getAllByTestId('run-row')[0];
    fireEvent.click(within(failed).getByTestId('run-open-failed'));
    fireEvent.click(within(failed).getByTestId('run-again'));
    fireEvent.click(within(failed).getByTestId('run-copy'));
    expect(actions).toEqual([
      runsActions.outputOpenRequested({ path: '/w/runs/nb-1.ipynb', runId: 'b', focusFailed: true }),
      runsActions.runAgainRequested({ runId: 'b' }),
      runsActions.editableCopyRequested({ path: '/w/runs/nb-1.ipynb' }),
    ]);
  });

  it('says when there are no runs yet', () => {
    renderWithStore(<RunsPanel />);
    expect(screen.getByTestId('runs-panel').textContent).toContain('No runs of this notebook yet');
  });
});
