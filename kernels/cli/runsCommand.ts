import { parseArgs } from 'node:util';
import { formatValue } from '../../src/parameterize/parameterizePath';
import { RunIndex, RunIndexError } from '../runIndex/runIndex';
import { RUN_INDEX_STATUSES, type RunIndexEntry, type RunIndexStatus } from '../runIndex/runIndexJournal';
import { type CliCommand, err, out } from './command';
import { formatTable } from './kernelsCommand';

const HELP = [
  'Usage: quire runs [--json] [--notebook PATH] [--status S] [--limit N]',
  '',
  'Lists the run index, newest first: every run of `quire run` (terminals, schedulers) and of the',
  'app on this account, also while they run. A run recorded as running whose process is gone',
  '(on this machine) is listed as interrupted. The index is <data dir>/run-index/runs.jsonl',
  '($QUIRE_DATA_DIR, else ~/.local/share/quire on Linux); its format is in docs/runIndex.md.',
  '',
  'Options:',
  '  --json            print the runs as a JSON array (fields as in docs/runIndex.md)',
  '  --notebook PATH   only runs of this input notebook',
  `  --status S        only runs with this status: ${RUN_INDEX_STATUSES.join(', ')}`,
  '  --limit N         at most N runs (the newest)',
  '',
  'Exit status: 0 (also with no index yet: an empty list); 1 the index is of another Quire',
  'version (it is left as it is); 2 bad options.',
].join('\n');

const formatDuration = (ms: number | undefined) => {
  if (ms === undefined) return '-';
  const sec = ms / 1000;
  if (sec < 60) return `${sec.toFixed(1)} s`;
  const min = Math.floor(sec / 60);
  return min < 60 ? `${min} min ${Math.round(sec % 60)} s` : `${Math.floor(min / 60)} h ${min % 60} min`;
};

/** The `quire runs` table. */
export function formatRuns(entries: readonly RunIndexEntry[]): string {
  if (entries.length === 0) return 'No runs recorded.';
  const rows = entries.map((e) => [
    e.runId,
    e.status + (e.status === 'failed' && e.failedCell !== undefined ? ` (cell ${e.failedCell})` : ''),
    e.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    formatDuration(e.durationMs),
    e.notebook,
    e.output,
    `${e.host}@${e.hostname}:${e.pid}`,
    Object.entries(e.parameters).map(([k, v]) => `${k}=${formatValue(v)}`).join(' '),
  ]);
  return formatTable(['RUN ID', 'STATUS', 'START', 'DURATION', 'NOTEBOOK', 'OUTPUT', 'WHERE', 'PARAMETERS'], rows);
}

export const runsCommand: CliCommand = {
  name: 'runs',
  summary: 'list the run index: runs of `quire run` and the app (status, output, parameters)',
  usage: 'runs [--json] [--notebook PATH] [--status S] [--limit N]',
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          json: { type: 'boolean', default: false },
          notebook: { type: 'string' },
          status: { type: 'string' },
          limit: { type: 'string' },
          help: { type: 'boolean', short: 'h', default: false },
        },
      }));
    } catch (error) {
      err(`quire runs: ${(error as Error).message}`);
      return 2;
    }
    if (values.help) {
      out(HELP);
      return 0;
    }
    if (values.status !== undefined && !RUN_INDEX_STATUSES.includes(values.status as RunIndexStatus)) {
      err(`quire runs: --status must be one of ${RUN_INDEX_STATUSES.join(', ')}`);
      return 2;
    }
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      err('quire runs: --limit must be a whole number (0 or more)');
      return 2;
    }
    const index = new RunIndex({ warn: (m) => err(`quire runs: warning: ${m}`) });
    let entries: RunIndexEntry[];
    try {
      entries = index.list({ notebook: values.notebook, status: values.status as RunIndexStatus | undefined, limit });
    } catch (error) {
      if (!(error instanceof RunIndexError)) throw error;
      err(`quire runs: ${error.message}`);
      return 1;
    }
    out(values.json ? JSON.stringify(entries, null, 2) : formatRuns(entries));
    return 0;
  },
};
