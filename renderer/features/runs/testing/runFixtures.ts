/** Small run fixtures for the runs feature's tests, built by factories. */
import type { RunInfo } from '../../../../src/host/contract';
import type { Cell, Notebook } from '../../../../src/jupyter/nbformat';

export function runInfo(patch: Partial<RunInfo> = {}): RunInfo {
  return {
    runId: 'r1', inputPath: '/w/nb.ipynb', outputPath: '/w/runs/nb-1.ipynb', parameters: { a: 1 }, kernelName: 'python3',
    status: 'running', totalCells: 4, completedCells: 1, currentCellIndex: 1, startTime: '2024-01-01T00:00:00.000Z', ...patch,
  };
}

export function outputNotebook(cells: Cell[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: { papermill: { parameters: { a: 2 } } }, cells };
}
