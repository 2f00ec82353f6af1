/**
 * Runs of the run index (kernels/runIndex/) as the app's RunInfo, and their merge with the runs a
 * host knows itself and the output notebooks it found on disk.
 */
import { resolve } from 'node:path';
import type { RunError, RunInfo } from '../../src/host/contract';
import type { RunIndexEntry } from '../runIndex/runIndexJournal';

const INTERRUPTED = 'Interrupted';

function indexError(entry: RunIndexEntry): RunError | undefined {
  if (entry.status === 'interrupted') {
    const message = `The process that ran it (${entry.host}, pid ${entry.pid}) ended without recording how the run ended`;
    return { ename: INTERRUPTED, evalue: message, message };
  }
  if (entry.status !== 'failed' && entry.status !== 'cancelled') return undefined;
  const text = entry.error ?? (entry.status === 'cancelled' ? 'The run was cancelled' : 'The run failed');
  const colon = text.indexOf(': ');
  const named = colon > 0 && /^[\w.]+$/.test(text.slice(0, colon));
  return {
    ...(entry.failedCell === undefined ? {} : { cellIndex: entry.failedCell }),
    ename: named ? text.slice(0, colon) : entry.status === 'cancelled' ? 'RunCancelledError' : 'Error',
    evalue: named ? text.slice(colon + 2) : text,
    message: text,
  };
}

/** An index entry as RunInfo; `interrupted` (not a RunStatus) is a failure that says so. */
export function runInfoFromIndex(entry: RunIndexEntry): RunInfo {
  const error = indexError(entry);
  return {
    runId: entry.runId,
    inputPath: entry.notebook,
    outputPath: entry.output,
    parameters: entry.parameters,
    kernelName: entry.kernelName ?? '',
    status: entry.status === 'interrupted' ? 'failed' : entry.status,
    startTime: entry.startedAt,
    ...(entry.endedAt ? { endTime: entry.endedAt } : {}),
    ...(entry.durationMs === undefined ? {} : { durationSec: entry.durationMs / 1000 }),
    totalCells: 0,
    completedCells: 0,
    ...(error ? { error } : {}),
    origin: { host: entry.host, pid: entry.pid, hostname: entry.hostname },
  };
}

/**
 * An output notebook's record and its index entry, one run: the index gives the identity (runId),
 * the status (live: running, or interrupted) and the times; the file the cells' progress, scraps
 * and the failing cell's details.
 */
export function overlayIndex(onDisk: RunInfo, entry: RunIndexEntry): RunInfo {
  const indexed = runInfoFromIndex(entry);
  const { error: diskError, ...rest } = onDisk;
  const ended = indexed.status === 'failed' || indexed.status === 'cancelled';
  const error = entry.status === 'interrupted' ? indexed.error : ended ? diskError ?? indexed.error : undefined;
  // Until its first save the file is the run's placeholder, which records no parameters yet.
  const parameters = Object.keys(rest.parameters ?? {}).length > 0 ? rest.parameters : indexed.parameters;
  return {
    ...rest, parameters, runId: entry.runId, inputPath: entry.notebook, status: indexed.status, startTime: indexed.startTime, origin: indexed.origin,
    ...(indexed.endTime ? { endTime: indexed.endTime } : {}), ...(indexed.durationSec === undefined ? {} : { durationSec: indexed.durationSec }),
    ...(error ? { error } : {}),
  };
}

/** Runs are merged by output; stdout ('-') is no file, so each such run stands alone. */
const outputKey = (output: string, runId: string) => (output === '-' ? `-:${runId}` : resolve(output));

/**
 * One list: the host's own runs first; then each output found on disk, merged with its index entry
 * when it has one (overlayIndex); then index runs neither of those has (another process's whose
 * output is elsewhere, or from before a restart). An output written by several runs (--overwrite)
 * is listed once, as its newest run.
 */
export function mergeIndexedRuns(mine: RunInfo[], onDisk: RunInfo[], indexed: RunIndexEntry[]): RunInfo[] {
  const myIds = new Set(mine.map((r) => r.runId));
  const byOutput = new Map<string, RunIndexEntry>();
  for (const entry of indexed) {
    const key = outputKey(entry.output, entry.runId);
    if (!myIds.has(entry.runId) && !byOutput.has(key)) byOutput.set(key, entry); // newest first: the newest run of an output
  }
  const merged = [...mine];
  const taken = new Set(mine.map((r) => resolve(r.outputPath)));
  for (const info of onDisk) {
    const entry = byOutput.get(resolve(info.outputPath));
    taken.add(resolve(info.outputPath));
    merged.push(entry ? overlayIndex(info, entry) : info);
  }
  for (const entry of indexed) {
    const key = outputKey(entry.output, entry.runId);
    if (myIds.has(entry.runId) || taken.has(key)) continue;
    taken.add(key);
    merged.push(runInfoFromIndex(entry));
  }
  return merged;
}
