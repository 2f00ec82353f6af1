/** Derived views of the runs slice: the panel's rows, scrap columns, the followed run. */
import { createSelector } from '@reduxjs/toolkit';
import type { RunInfo } from '../../../src/host/contract';
import type { JsonValue } from '../../../src/jupyter/messages';
import type { Cell, Notebook } from '../../../src/jupyter/nbformat';
import { parameterizeNotebook } from '../../../src/parameterize/parameterizeNotebook';
import type { DocumentState } from '../../store/documentState';

const selectRunMap = (s: DocumentState) => s.runs.runs;

/** Runs newest first (runs not started yet sort first). */
export const newestFirst = (runs: readonly RunInfo[]): RunInfo[] => [...runs].sort((a, b) => (b.startTime ?? '9').localeCompare(a.startTime ?? '9'));

/** This notebook's runs, newest first (runs not started yet sort first). */
export const selectRunList = createSelector([selectRunMap], (runs): RunInfo[] => newestFirst(Object.values(runs)));

/** Parameter names over all runs, in first-seen order: the table's parameter columns. */
export const selectParameterColumns = createSelector([selectRunList], (runs) => unionKeys(runs.map((r) => r.parameters)));

/** Names recorded with scrapbook's glue over all runs: the table's value columns. */
export const selectScrapColumns = createSelector([selectRunList], (runs) => unionKeys(runs.map((r) => r.scraps ?? {})));

function unionKeys(objects: Array<Record<string, unknown>>): string[] {
  const seen = new Set<string>();
  for (const o of [...objects].reverse()) for (const key of Object.keys(o)) seen.add(key);
  return [...seen];
}

export const selectFollowedRun = (s: DocumentState): RunInfo | undefined => (s.runs.followed ? s.runs.runs[s.runs.followed] : undefined);

/** The first non-empty source line of each cell (what the progress card shows for the running cell). */
export function firstLines(cells: readonly Cell[]): string[] {
  return cells.map((c) => {
    const text = Array.isArray(c.source) ? c.source.join('') : c.source;
    return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
  });
}

/**
 * The first line of each cell of the output notebook a run of `nb` will write (the injected cell
 * placed as the host places it), for "cell i of N: first line"; undefined if it cannot be built.
 */
export function outputCellPreviews(nb: Pick<Notebook, 'metadata' | 'cells'>, parameters: Record<string, JsonValue>, kernelName?: string, language?: string): string[] | undefined {
  try {
    const notebook: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: nb.metadata, cells: nb.cells };
    return firstLines(parameterizeNotebook(notebook, parameters, { kernelName, language }).notebook.cells);
  } catch {
    return undefined;
  }
}

/** Seconds as `4.2 s`, `1 min 05 s`, `2 h 03 min`. */
export function formatDuration(sec: number | undefined): string {
  if (sec === undefined || !Number.isFinite(sec)) return '';
  if (sec < 60) return `${sec < 10 ? sec.toFixed(1) : Math.round(sec)} s`;
  const total = Math.round(sec);
  if (total < 3600) return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
  return `${Math.floor(total / 3600)} h ${String(Math.floor((total % 3600) / 60)).padStart(2, '0')} min`;
}

/** A run's duration: recorded, or since its start for a run still going. */
export function runSeconds(run: RunInfo, now: number): number | undefined {
  if (run.durationSec !== undefined) return run.durationSec;
  if (!run.startTime) return undefined;
  const end = run.endTime ? Date.parse(run.endTime) : now;
  return Math.max(0, (end - Date.parse(run.startTime)) / 1000);
}
