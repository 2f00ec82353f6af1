import { useCallback, useEffect, useRef, useState } from 'react';
import type { CellValue, TableView } from '../../src/explorer/types';
import type { ExplorerDataSource } from './dataSource';

export const BLOCK_ROWS = 100;
/** Pause in scrolling before rows are fetched. */
export const SCROLL_SETTLE_MS = 60;

/**
 * Rows of a view fetched lazily in blocks of 100 as the grid scrolls; a new source or view starts
 * a fresh cache, and late answers for an old view are dropped.
 */
export function useRowBlocks(source: ExplorerDataSource, view: TableView): {
  getRow(index: number): CellValue[] | undefined;
  ensure(first: number, last: number): void;
  error: string | null;
} {
  const cache = useRef(new Map<number, CellValue[][] | 'loading'>());
  const generation = useRef(0);
  const [, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    generation.current++;
    cache.current = new Map();
    setError(null);
    setVersion((v) => v + 1);
  }, [source, view]);

  const fetchBlocks = useCallback((first: number, last: number) => {
    const gen = generation.current;
    for (let b = Math.floor(first / BLOCK_ROWS); b <= Math.floor(last / BLOCK_ROWS); b++) {
      if (cache.current.has(b)) continue;
      cache.current.set(b, 'loading');
      const blocks = cache.current;
      source.rows(view, b * BLOCK_ROWS, BLOCK_ROWS).then(
        (rows) => {
          if (gen !== generation.current) return;
          blocks.set(b, rows);
          setVersion((v) => v + 1);
        },
        (e: unknown) => {
          if (gen !== generation.current) return;
          blocks.delete(b);
          setError(e instanceof Error ? e.message : String(e));
        },
      );
    }
  }, [source, view]);

  // While the user flings through a million rows, only the range where scrolling pauses is
  // fetched: a kernel answers one query at a time, so stale pages would delay the visible one.
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const ensure = useCallback((first: number, last: number) => {
    clearTimeout(timer.current);
    const missing = (): boolean => {
      for (let b = Math.floor(first / BLOCK_ROWS); b <= Math.floor(last / BLOCK_ROWS); b++) if (!cache.current.has(b)) return true;
      return false;
    };
    if (!missing()) return;
    // The first screen of a view loads at once; later ranges after a short pause.
    if (cache.current.size === 0) fetchBlocks(first, last);
    else timer.current = setTimeout(() => fetchBlocks(first, last), SCROLL_SETTLE_MS);
  }, [fetchBlocks]);

  const getRow = useCallback((index: number): CellValue[] | undefined => {
    const block = cache.current.get(Math.floor(index / BLOCK_ROWS));
    return block === undefined || block === 'loading' ? undefined : block[index % BLOCK_ROWS];
  }, []);

  return { getRow, ensure, error };
}
