// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RunProgress } from './RunProgress';
import { runsActions } from './runsSlice';
import { runInfo } from './testing/runFixtures';
import { renderWithStore } from './testing/renderWithStore';

afterEach(cleanup);

const started = runsActions.startSucceeded({ info: runInfo({ currentCellIndex: 2, completedCells: 2, totalCells: 5 }), cellPreviews: ['# T', 'a = 1', '# Parameters', 'for i in range(3):', 'print(a)'] });
const output = runsActions.runOutputsReceived([
  { runId: 'r1', cellIndex: 2, output: { output_type: 'stream', name: 'stdout', text: 'old cell\n' } },
  { runId: 'r1', cellIndex: 3, output: { output_type: 'stream', name: 'stdout', text: 'step 0\n' } },
]);

describe('RunProgress', () => {
  it('shows cell i of N, the running cell\'s first line, elapsed time and its live output; cancel asks the host', () => {
    const { actions } = renderWithStore(<RunProgress />, [started, output, runsActions.runChanged(runInfo({ currentCellIndex: 3, completedCells: 3, totalCells: 5 }))]);
    expect(screen.getByTestId('run-progress-status').textContent).toBe('Running');
    expect(screen.getByTestId('run-progress-count').textContent).toBe('cell 4 of 5');
    expect(screen.getByTestId('run-current-cell').textContent).toBe('[3] for i in range(3):');
    expect(screen.getByTestId('run-elapsed').textContent).toMatch(/\d/);
    expect(screen.getByTestId('run-live-output').textContent).toContain('step 0');
    expect(screen.getByTestId('run-live-output').textContent).not.toContain('old cell');
    fireEvent.click(screen.getByTestId('run-cancel'));
    expect(actions).toEqual([runsActions.cancelRequested({ runId: 'r1' })]);
    expect(screen.getByTestId('run-cancel').textContent).toBe('Cancelling…');
  });

  it('a failed run says where and offers its output at the failing cell', () => {
    const failed = runsActions.runChanged(runInfo({ status: 'failed', currentCellIndex: undefined, completedCells: 3, durationSec: 4.2,
      error: { cellIndex: 3, ename: 'ValueError', evalue: 'bad', message: 'ValueError: bad' } }));
    const { actions } = renderWithStore(<RunProgress />, [started, output, failed]);
    expect(screen.getByTestId('run-progress-error').textContent).toBe('Cell 3 raised ValueError: bad');
    expect(screen.getByTestId('run-elapsed').textContent).toBe('4.2 s');
    expect(screen.queryByTestId('run-cancel')).toBeNull();
    fireEvent.click(screen.getByTestId('run-progress-open-failed'));
    expect(actions).toEqual([
      runsActions.outputOpenRequested({ path: '/w/runs/nb-1.ipynb', runId: 'r1', focusFailed: true }),
      runsActions.progressDismissed(),
    ]);
  });
});
