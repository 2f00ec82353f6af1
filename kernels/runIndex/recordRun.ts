/**
 * The one hook runs go through to reach the run index: `started` before the engine runs, `ended`
 * after it, whatever the outcome (completed, a cell failed, cancelled, the output could not be
 * written, or the engine threw). The index is a convenience: a failed append is told once and the
 * run goes on (its output notebook is the record).
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { JsonValue } from '../../src/jupyter/messages';
import { RunExecutionError, type RunFailure } from '../run/errors';
import type { RunIndex } from './runIndex';
import type { RunEndStatus, RunIndexHost } from './runIndexJournal';

export interface RecordedRun {
  runId: string;
  /** Input and output notebooks; made absolute here ('-', stdin/stdout, is kept). */
  notebook: string;
  output: string;
  parameters: Record<string, JsonValue>;
  host: RunIndexHost;
  kernelName?: string;
}

/** What recordRun needs of a run's result (the engine's RunResult). */
interface Outcome {
  status: RunEndStatus;
  error?: RunFailure;
}

const MAX_ERROR_CHARS = 2000;
const absolute = (path: string) => (path === '-' ? path : resolve(path));

function describeFailure(error: RunFailure | Error): { failedCell?: number; error: string } {
  const cellIndex = 'cellIndex' in error && typeof error.cellIndex === 'number' ? error.cellIndex : undefined;
  const text = error instanceof RunExecutionError ? `${error.ename}: ${error.evalue}` : error.message.split('\n').filter(Boolean).join(' ');
  return { ...(cellIndex === undefined ? {} : { failedCell: cellIndex }), error: text.slice(0, MAX_ERROR_CHARS) };
}

export async function recordRun<R extends Outcome>(index: RunIndex | undefined, run: RecordedRun, execute: () => Promise<R>): Promise<R> {
  if (!index) return execute();
  const started = Date.now();
  index.tryAppend({
    v: 1, t: 'started', runId: run.runId, notebook: absolute(run.notebook), output: absolute(run.output), parameters: run.parameters,
    startedAt: new Date(started).toISOString(), pid: process.pid, host: run.host, hostname: hostname(), ...(run.kernelName ? { kernelName: run.kernelName } : {}),
  });
  const end = (status: RunEndStatus, failure?: RunFailure | Error) => {
    const ended = Date.now();
    index.tryAppend({
      v: 1, t: 'ended', runId: run.runId, status, endedAt: new Date(ended).toISOString(), durationMs: ended - started,
      ...(failure && status !== 'completed' ? describeFailure(failure) : {}),
    });
  };
  let result: R;
  try {
    result = await execute();
  } catch (error) {
    end('failed', error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  end(result.status, result.error);
  return result;
}
