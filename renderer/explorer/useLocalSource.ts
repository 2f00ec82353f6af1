import { useEffect, useMemo, useState } from 'react';
import { parseDataResource } from '../../src/explorer/dataresource';
import { LocalDataSource, type ExplorerDataSource } from './dataSource';
import { WORKER_ROW_THRESHOLD, WorkerDataSource } from './workerDataSource';

export interface LocalSourceState {
  source?: ExplorerDataSource;
  warnings: readonly string[];
  /** Why the output cannot be explored at all. */
  error?: string;
}

function rowsIn(resource: unknown): number {
  const data = (resource as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? data.length : 0;
}

function parseHere(resource: unknown): LocalSourceState {
  try {
    const table = parseDataResource(resource);
    return { source: new LocalDataSource(table), warnings: table.warnings };
  } catch (e) {
    return { warnings: [], error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The output's own rows as a data source: parsed in the window for ordinary outputs, in a worker
 * for big ones (more than WORKER_ROW_THRESHOLD rows) so nothing blocks the window.
 */
export function useLocalSource(resource: unknown): LocalSourceState {
  const big = rowsIn(resource) > WORKER_ROW_THRESHOLD && WorkerDataSource.supported;
  const here = useMemo(() => (big ? undefined : parseHere(resource)), [resource, big]);
  const [remote, setRemote] = useState<LocalSourceState>({ warnings: [] });
  useEffect(() => {
    if (!big) return;
    let current = true;
    let created: WorkerDataSource | undefined;
    setRemote({ warnings: [] });
    WorkerDataSource.create(resource).then(
      (source) => {
        created = source;
        if (current) setRemote({ source, warnings: source.warnings });
        else source.dispose();
      },
      // A worker that cannot start still leaves the window's own parser.
      () => current && setRemote(parseHere(resource)),
    );
    return () => {
      current = false;
      created?.dispose();
    };
  }, [resource, big]);
  return here ?? remote;
}
