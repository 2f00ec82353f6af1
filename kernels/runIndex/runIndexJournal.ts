/**
 * The run index's journal format (docs/runIndex.md): a header line `{"quireRunIndex":1}`, then one
 * JSON event per line, appended and never rewritten. This module is pure: it parses and folds the
 * text; kernels/runIndex/runIndex.ts does the file work.
 */
import type { JsonValue } from '../../src/jupyter/messages';

/** The schema version this Quire reads and writes. */
export const RUN_INDEX_VERSION = 1;

export type RunIndexHost = 'cli' | 'app';
export type RunEndStatus = 'completed' | 'failed' | 'cancelled';
/** `interrupted`: recorded as running, but its process (on this machine) is gone without an end. */
export type RunIndexStatus = 'running' | RunEndStatus | 'interrupted';
export const RUN_INDEX_STATUSES: readonly RunIndexStatus[] = ['running', 'completed', 'failed', 'cancelled', 'interrupted'];

export interface RunStartedEvent {
  v: 1;
  t: 'started';
  runId: string;
  /** The input notebook, an absolute path ('-': stdin). */
  notebook: string;
  /** The output notebook, an absolute path ('-': stdout). */
  output: string;
  parameters: Record<string, JsonValue>;
  /** ISO 8601, UTC. */
  startedAt: string;
  pid: number;
  host: RunIndexHost;
  hostname: string;
  kernelName?: string;
}

export interface RunEndedEvent {
  v: 1;
  t: 'ended';
  runId: string;
  status: RunEndStatus;
  endedAt: string;
  durationMs: number;
  /** Index of the cell that failed (0-based, as in the notebook's cell list). */
  failedCell?: number;
  /** One line: `ename: evalue` for a cell's exception, else the reason. */
  error?: string;
}

export type RunIndexEvent = RunStartedEvent | RunEndedEvent;

/** One run, folded from its events. */
export interface RunIndexEntry {
  runId: string;
  notebook: string;
  output: string;
  parameters: Record<string, JsonValue>;
  status: RunIndexStatus;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  pid: number;
  host: RunIndexHost;
  hostname: string;
  kernelName?: string;
  failedCell?: number;
  error?: string;
}

export type JournalHeader = { kind: 'ok' } | { kind: 'foreign'; version: unknown } | { kind: 'corrupt' };

/** Checks the first line: ours, another schema version (read-only for us), or not a run index at all. */
export function checkHeader(firstLine: string): JournalHeader {
  let header: unknown;
  try {
    header = JSON.parse(firstLine);
  } catch {
    return { kind: 'corrupt' };
  }
  if (!header || typeof header !== 'object' || Array.isArray(header) || !('quireRunIndex' in header)) return { kind: 'corrupt' };
  const version = (header as { quireRunIndex: unknown }).quireRunIndex;
  return version === RUN_INDEX_VERSION ? { kind: 'ok' } : { kind: 'foreign', version };
}

export const headerLine = (): string => `${JSON.stringify({ quireRunIndex: RUN_INDEX_VERSION })}\n`;
export const eventLine = (event: RunIndexEvent): string => `${JSON.stringify(event)}\n`;

export interface FoldedJournal {
  entries: Map<string, RunIndexEntry>;
  /** Lines (not counting a torn last line) that were not events: counted, not fatal. */
  skippedLines: number;
}

/**
 * A line that does not parse may be a torn write followed by a whole event on the same line (a
 * writer died mid-write, the next append went after it): the last `{"v":` starts the whole one.
 */
function parseLine(line: string): RunIndexEvent | undefined {
  const event = parseEvent(line);
  if (event) return event;
  const start = line.lastIndexOf('{"v":');
  return start > 0 ? parseEvent(line.slice(start)) : undefined;
}

function parseEvent(text: string): RunIndexEvent | undefined {
  try {
    const event = JSON.parse(text) as RunIndexEvent;
    if (event && typeof event === 'object' && typeof event.runId === 'string' && typeof event.t === 'string') return event;
  } catch {
    // not an event
  }
  return undefined;
}

/**
 * Folds the events after the header by runId (into `entries`, when a reader continues where it
 * stopped). A last line without its newline is a write in
 * progress or torn by a crash: ignored without a word. An `ended` without its `started` (events of
 * one run are appended in order, so it should not happen) is counted as skipped.
 */
export function foldJournal(text: string, startOfEvents: number, entries = new Map<string, RunIndexEntry>()): FoldedJournal {
  let skippedLines = 0;
  const end = text.lastIndexOf('\n') + 1; // past it: the torn or in-progress last line
  let at = startOfEvents;
  while (at < end) {
    const next = text.indexOf('\n', at);
    const line = text.slice(at, next);
    at = next + 1;
    if (line.trim() === '') continue;
    const event = parseLine(line);
    if (!event) {
      skippedLines++;
      continue;
    }
    // Plain assignments, one object shape: this loop is most of listing 10,000 runs (< 100 ms).
    if (event.t === 'started') {
      const entry: RunIndexEntry = {
        runId: event.runId, notebook: event.notebook, output: event.output, parameters: event.parameters, status: 'running',
        startedAt: event.startedAt, pid: event.pid, host: event.host, hostname: event.hostname,
      };
      if (event.kernelName !== undefined) entry.kernelName = event.kernelName;
      entries.set(event.runId, entry);
    } else if (event.t === 'ended') {
      const entry = entries.get(event.runId);
      if (!entry) {
        skippedLines++;
        continue;
      }
      entry.status = event.status;
      entry.endedAt = event.endedAt;
      entry.durationMs = event.durationMs;
      if (event.failedCell !== undefined) entry.failedCell = event.failedCell;
      if (event.error !== undefined) entry.error = event.error;
    } // other event types (a later version's, e.g. progress) are ignored
  }
  return { entries, skippedLines };
}
