/**
 * The cell list, virtualized: only cells near the viewport are mounted (one monaco editor per
 * visible cell), the rest are measured placeholders, so a 2,000-cell notebook opens fast.
 */
import { useCallback, useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { joinSource, type Cell } from '../../src/jupyter/nbformat';
import { notebookActions } from '../features/notebook/notebookSlice';
import { selectCellById, selectCellIds } from '../features/notebook/selectors';
import type { DocumentState } from '../store/documentState';
import { useAppDispatch, useAppSelector, useDocumentStateGetter } from '../store/hooks';
import { CellView } from './CellView';
import { Icon } from './Icon';

/**
 * Guesses by cell object: the virtualizer asks for every unmeasured cell's size each time a cell
 * is measured or the list re-renders, which for 2,000 cells must not mean 2,000 source joins.
 */
const estimates = new WeakMap<Cell, number>();

/** A guess at a cell's height before it is measured: lines of source plus outputs. */
function estimateHeight(state: DocumentState, id: string): number {
  const cell = selectCellById(state, id);
  if (!cell) return 80;
  let height = estimates.get(cell);
  if (height === undefined) {
    const lines = joinSource(cell.source).split('\n').length;
    const outputs = cell.cell_type === 'code' ? Math.min(cell.outputs.length * 40, 400) : 0;
    height = 44 + lines * 19 + 16 + outputs;
    estimates.set(cell, height);
  }
  return height;
}

export function NotebookView(): React.JSX.Element {
  const dispatch = useAppDispatch();
  const getState = useDocumentStateGetter();
  const ids = useAppSelector(selectCellIds);
  const activeId = useAppSelector((s) => s.ui.activeId);
  const scroller = useRef<HTMLDivElement>(null);
  const dragging = useRef<string | null>(null);
  // The cell a pointer press selected: it is already where the pointer is, so it must not scroll
  // (scrolling between mousedown and mouseup would move the button away and lose the click).
  const pointed = useRef<string | null>(null);

  // Stable while the ids are: a new getItemKey makes the virtualizer lay out every cell again.
  const getItemKey = useCallback((i: number) => ids[i], [ids]);
  const estimateSize = useCallback((i: number) => estimateHeight(getState(), ids[i]), [getState, ids]);
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scroller.current,
    estimateSize,
    getItemKey,
    overscan: 3,
    paddingStart: 16,
    paddingEnd: 24,
  });

  // Keep the active cell on screen when the keyboard moves the selection.
  useEffect(() => {
    if (activeId && activeId === pointed.current) return;
    pointed.current = null;
    const index = activeId ? ids.indexOf(activeId) : -1;
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [activeId, ids, virtualizer]);

  const onDragStartCell = useCallback((id: string) => { dragging.current = id; }, []);
  const onDropOnCell = useCallback((target: number, where: 'above' | 'below') => {
    const id = dragging.current;
    dragging.current = null;
    if (!id) return;
    const from = ids.indexOf(id);
    let to = where === 'above' ? target : target + 1;
    if (from < to) to -= 1;
    if (from !== to) dispatch(notebookActions.cellDropped({ id, toIndex: to }));
  }, [dispatch, ids]);

  return (
    <div className="quire-notebook-scroll" ref={scroller} data-testid="notebook"
      onMouseDownCapture={(e) => { pointed.current = (e.target as Element).closest('[data-cell-id]')?.getAttribute('data-cell-id') ?? null; }}
      onKeyDownCapture={() => { pointed.current = null; }}>
      <div className="quire-notebook" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="quire-cell-slot"
            style={{ position: 'absolute', top: item.start, left: 0, width: '100%' }}>
            <CellView id={ids[item.index]} index={item.index} onDragStartCell={onDragStartCell} onDropOnCell={onDropOnCell} />
          </div>
        ))}
      </div>
      <div className="quire-add-cell">
        <button type="button" onClick={() => { dispatch(notebookActions.cellInserted({ index: ids.length, cellType: 'code' })); }}>
          <Icon name="plus" size={14} /> Code
        </button>
        <button type="button" onClick={() => { dispatch(notebookActions.cellInserted({ index: ids.length, cellType: 'markdown' })); }}>
          <Icon name="plus" size={14} /> Markdown
        </button>
      </div>
      {ids.length === 0 ? <p className="quire-empty">This notebook has no cells. Press B or use + Code.</p> : null}
    </div>
  );
}
