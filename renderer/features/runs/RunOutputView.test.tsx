// @vitest-environment jsdom
// jsdom: markdown cells go through DOMPurify, which happy-dom breaks (see docs/dependencies.md).
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HostContext } from '../../components/HostContext';
import { fakeHost } from '../../testing/fakeHost';
import type { Cell } from '../../../src/jupyter/nbformat';
import { failedCellIndex, RunOutputView } from './RunOutputView';
import { runsActions } from './runsSlice';
import { outputNotebook } from './testing/runFixtures';
import { renderWithStore } from './testing/renderWithStore';

afterEach(cleanup);

const pm = (status: string) => ({ papermill: { status, duration: 0.2 } });
const cells: Cell[] = [
  { id: 'p', cell_type: 'code', metadata: { tags: ['parameters'], ...pm('completed') }, source: 'a = 1', outputs: [], execution_count: 1 },
  { id: 'i', cell_type: 'code', metadata: { tags: ['injected-parameters'], ...pm('completed') }, source: '# Parameters\na = 2\n', outputs: [], execution_count: 2 },
  { id: 'f', cell_type: 'code', metadata: pm('failed'), source: '1/0', execution_count: 3,
    outputs: [{ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: [] }] },
  { id: 'n', cell_type: 'markdown', metadata: pm('pending'), source: '**never ran**' },
];

function open(focusFailed = false) {
  return renderWithStore(<RunOutputView />, [
    runsActions.outputOpenRequested({ path: '/w/runs/out.ipynb', focusFailed }),
    runsActions.outputLoaded({ path: '/w/runs/out.ipynb', notebook: outputNotebook(cells) }),
  ]);
}

describe('RunOutputView', () => {
  it('shows the output notebook read-only: no editors, statuses, the injected cell marked', () => {
    open();
    const view = screen.getByTestId('run-output-view');
    expect(screen.getByTestId('ro-banner').textContent).toBe('Read-only');
    expect(view.querySelectorAll('textarea, input, [contenteditable="true"], .monaco-editor')).toHaveLength(0);
    const shown = screen.getAllByTestId('ro-cell');
    expect(shown.map((c) => c.getAttribute('data-status'))).toEqual(['completed', 'completed', 'failed', 'pending']);
    expect(shown[1].className).toContain('is-injected');
    expect(shown[1].textContent).toContain('a = 2');
    expect(shown[2].className).toContain('is-failed');
    expect(shown[2].textContent).toContain('ZeroDivisionError');
    expect(shown[3].querySelector('strong')?.textContent).toBe('never ran');
    expect(view.textContent).toContain('a=2');
  });

  it('offers the failing cell, the editable copy and closing', () => {
    const { actions } = open();
    fireEvent.click(screen.getByTestId('ro-goto-failed'));
    fireEvent.click(screen.getByTestId('ro-copy'));
    fireEvent.click(screen.getByTestId('ro-close'));
    expect(actions).toEqual([
      runsActions.outputOpenRequested({ path: '/w/runs/out.ipynb', focusFailed: true }),
      runsActions.editableCopyRequested({ path: '/w/runs/out.ipynb' }),
      runsActions.viewerClosed(),
    ]);
  });

  it('reads markdown images relative to the output notebook, not the input', async () => {
    // The read itself is the host's; here it fails so the path it was asked for shows in the tooltip.
    const readImage = vi.fn(async (path: string) => {
      throw new Error(`${path} does not exist.`);
    });
    const figure: Cell = { id: 'm', cell_type: 'markdown', metadata: {}, source: '![chart](figures/chart.png)' };
    renderWithStore(<HostContext.Provider value={fakeHost({ files: { readImage } })}><RunOutputView /></HostContext.Provider>, [
      runsActions.outputOpenRequested({ path: '/w/runs/out.ipynb', focusFailed: false }),
      runsActions.outputLoaded({ path: '/w/runs/out.ipynb', notebook: outputNotebook([figure]) }),
    ]);
    expect(readImage).toHaveBeenCalledWith('/w/runs/figures/chart.png');
    await waitFor(() => expect(screen.getByTestId('markdown-image-missing').title).toBe('figures/chart.png: /w/runs/figures/chart.png does not exist.'));
  });

  it('finds the failed cell by papermill status, else by its error output', () => {
    expect(failedCellIndex(cells)).toBe(2);
    const noStatus = cells.map((c) => ({ ...c, metadata: {} }));
    expect(failedCellIndex(noStatus)).toBe(2);
    expect(failedCellIndex(cells.slice(0, 2))).toBe(-1);
  });
});
