/**
 * Cancelling another process's `quire run` from the app, as its terminal would: SIGTERM, which
 * `quire run` records in its output notebook and the run index as cancelled. Only a run of this
 * machine whose pid still is a `quire run` (its command line, read from /proc) is signalled, so a
 * pid the system gave to another program since is never touched.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';

export interface CliRunProcess {
  host: 'cli' | 'app';
  pid: number;
  hostname: string;
}

/** Whether `pid` runs `quire run` (Linux; elsewhere nothing can be told, so no). */
export function isQuireRunProcess(pid: number): boolean {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  // node …/bin/quire.js run …, or a `quire` launcher script followed by `run`.
  const script = args.findIndex((a, i) => i <= 1 && /^quire(\.js)?$/.test(basename(a)));
  return script >= 0 && args[script + 1] === 'run';
}

/** Sends SIGTERM to the run's process when it is a `quire run` of this machine; false when it is not one. */
export function signalCliRun(run: CliRunProcess): boolean {
  if (run.host !== 'cli' || run.hostname !== hostname() || !isQuireRunProcess(run.pid)) return false;
  try {
    process.kill(run.pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}
