import { useEffect, useState } from 'react';
import { ExplorerQueryError, type ExplorerKernel } from '../../src/explorer/protocol';
import { KernelDataSource, type ExplorerDataSource } from './dataSource';

export type SourceStatus =
  | { kind: 'local'; reason: 'no-frame' }
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'fallback'; message: string };

/** Forwards to a live source; the first "frame is gone" error switches the explorer to local rows. */
function withFallback(source: ExplorerDataSource, onGone: (message: string) => void): ExplorerDataSource {
  const guard = <T,>(p: Promise<T>): Promise<T> => p.catch((e: unknown) => {
    if (e instanceof ExplorerQueryError && e.isFallback) onGone(e.message);
    throw e;
  });
  return {
    kind: source.kind,
    columns: source.columns,
    totalRows: source.totalRows,
    count: (v) => guard(source.count(v)),
    rows: (v, o, l) => guard(source.rows(v, o, l)),
    summary: (v) => guard(source.summary(v)),
    chart: (v, r) => guard(source.chart(v, r)),
    csv: (v) => guard(source.csv(v)),
  };
}

/**
 * Picks the data source: the live kernel frame when the output names one and the kernel still
 * has it, else the output's own rows (with the reason, for the status line).
 */
export function useExplorerSource(local: ExplorerDataSource | undefined, kernel: ExplorerKernel | null, frameId: string | undefined): { source: ExplorerDataSource | undefined; status: SourceStatus } {
  const [live, setLive] = useState<ExplorerDataSource | undefined>();
  const [status, setStatus] = useState<SourceStatus>({ kind: 'local', reason: 'no-frame' });

  useEffect(() => {
    setLive(undefined);
    if (!kernel || !frameId) {
      setStatus(frameId ? { kind: 'fallback', message: 'No kernel is running' } : { kind: 'local', reason: 'no-frame' });
      return;
    }
    let current = true;
    setStatus({ kind: 'connecting' });
    const gone = (message: string) => {
      if (!current) return;
      setLive(undefined);
      setStatus({ kind: 'fallback', message });
    };
    KernelDataSource.connect(kernel, frameId).then(
      (source) => {
        if (!current) return;
        setLive(withFallback(source, gone));
        setStatus({ kind: 'live' });
      },
      (e: unknown) => gone(e instanceof Error ? e.message : String(e)),
    );
    return () => { current = false; };
  }, [kernel, frameId]);

  return { source: live ?? local, status };
}
