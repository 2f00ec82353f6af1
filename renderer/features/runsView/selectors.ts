/** Derived views of the Runs view: every run newest first, the notebooks present, the filtered rows. */
import { createSelector } from '@reduxjs/toolkit';
import type { RunInfo } from '../../../src/host/contract';
import type { DocumentState } from '../../store/documentState';
import { newestFirst } from '../runs/selectors';
import type { RunsTimeWindow, RunsViewFilters } from './runsViewSlice';

const HOUR = 3_600_000;
export const WINDOW_MS: Record<RunsTimeWindow, number> = { hour: HOUR, day: 24 * HOUR, week: 7 * 24 * HOUR, all: Infinity };

export const selectAllRuns = createSelector([(s: DocumentState) => s.runsView.runs], (runs) => newestFirst(Object.values(runs)));

/** The notebooks that have runs, by file name then path: the notebook filter's choices. */
export const selectRunNotebooks = createSelector([selectAllRuns], (runs) => {
  const paths = [...new Set(runs.map((r) => r.inputPath))];
  return paths.sort((a, b) => baseName(a).localeCompare(baseName(b)) || a.localeCompare(b));
});

export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** `path` relative to `root` when inside it (`/w/a/b.ipynb` under `/w` → `a/b.ipynb`, `/w` itself → ``), else as is. */
export function relativeTo(path: string, root: string | undefined): string {
  if (!root) return path;
  const r = root.replace(/[\\/]+$/, '');
  if (path === r) return '';
  return path.startsWith(`${r}/`) || path.startsWith(`${r}\\`) ? path.slice(r.length + 1) : path;
}

/** Where a run ran, for people: `App`, `Terminal`, or `—` when only its output notebook is known. */
export function originLabel(run: RunInfo): string {
  if (!run.origin) return '—';
  return run.origin.host === 'cli' ? 'Terminal' : 'App';
}

/** The text a run is searched in (lower case). */
function searchText(run: RunInfo): string {
  return [
    run.inputPath, run.outputPath, run.runId, run.status, run.kernelName, JSON.stringify(run.parameters), run.error?.message ?? '',
    run.origin ? `${originLabel(run)} ${run.origin.host} ${run.origin.hostname} ${run.origin.pid}` : '',
  ].join('\n').toLowerCase();
}

/** The runs the filters let through, in the given order; `now` is the time the window ends at. */
export function filterRuns(runs: readonly RunInfo[], filters: RunsViewFilters, now: number): RunInfo[] {
  const words = filters.text.toLowerCase().split(/\s+/).filter(Boolean);
  const since = now - WINDOW_MS[filters.window];
  const statuses = new Set(filters.statuses);
  return runs.filter((run) => {
    if (filters.notebook && run.inputPath !== filters.notebook) return false;
    if (statuses.size > 0 && !statuses.has(run.status)) return false;
    if (run.startTime && Date.parse(run.startTime) < since) return false;
    if (words.length > 0) {
      const text = searchText(run);
      if (!words.every((w) => text.includes(w))) return false;
    }
    return true;
  });
}

export const filtersActive = (filters: RunsViewFilters): boolean =>
  !!filters.notebook || filters.statuses.length > 0 || filters.window !== 'all' || filters.text.trim() !== '';
