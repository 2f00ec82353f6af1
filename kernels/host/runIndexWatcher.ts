/**
 * Tells which runs of the run index changed (started, ended) since it last looked, so that the app
 * shows runs of `quire run` live. It polls the journal's stat (fs.watchFile, every
 * `intervalMs`): unlike fs.watch it works before the journal exists and after it is replaced, and
 * each look reads only the bytes appended since (RunIndex keeps its fold).
 */
import { unwatchFile, watchFile } from 'node:fs';
import type { RunIndex } from '../runIndex/runIndex';
import type { RunIndexEntry } from '../runIndex/runIndexJournal';

const signature = (e: RunIndexEntry) => `${e.status}|${e.endedAt ?? ''}`;

export class RunIndexWatcher {
  private readonly _seen = new Map<string, string>();
  private _stopped = false;

  constructor(private readonly _index: RunIndex, private readonly _onChanged: (entries: RunIndexEntry[]) => void, intervalMs = 500) {
    this._look(false); // what is there now is not news
    watchFile(_index.path, { interval: intervalMs, persistent: false }, this._listener);
  }

  private readonly _listener = () => this._look(true);

  private _look(report: boolean): void {
    if (this._stopped) return;
    let entries: RunIndexEntry[];
    try {
      entries = this._index.list();
    } catch {
      return; // another version's index: listRuns says so
    }
    const changed = entries.filter((e) => this._seen.get(e.runId) !== signature(e));
    for (const e of changed) this._seen.set(e.runId, signature(e));
    if (report && changed.length > 0) this._onChanged(changed);
  }

  dispose(): void {
    this._stopped = true;
    unwatchFile(this._index.path, this._listener);
  }
}
