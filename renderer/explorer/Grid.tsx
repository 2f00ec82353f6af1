import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { formatCell, MAX_CELL_CHARS, truncateText } from '../../src/explorer/format';
import { columnTypeLabel, type CellValue, type ColumnFilter, type ExplorerColumn, type TableView } from '../../src/explorer/types';
import { useAppDispatch, useAppSelector } from '../store/hooks';
import { BLOCK_ROWS, explorerActions, type ExplorerId, type ExplorerQuery, type SourceInfo } from './explorerSlice';
import { FilterInput } from './FilterInput';
import { columnWindow, rowTop, rowWindow } from './gridWindow';

export interface GridProps {
  explorerId: ExplorerId;
  source: SourceInfo;
  /** The view shown (with its key: the row blocks in the store belong to one query). */
  query: ExplorerQuery;
  /** Rows in the view (after filters); undefined while counting. */
  rowCount: number | undefined;
  onChangeView(view: TableView): void;
}

const ROW_HEIGHT = 26;
const HEADER_HEIGHT = 58;
const ROW_NUMBER_WIDTH = 64;
const OVERSCAN_ROWS = 12;
const OVERSCAN_COLUMNS = 3;
/** Past this height the scroll range is compressed (see rowWindow.ts). */
const MAX_SCROLL_PX = 15_000_000;
/** Used until the grid is measured (and where layout is absent, as in DOM-less tests). */
const INITIAL_RECT = { width: 1000, height: 420 };

function columnWidth(c: ExplorerColumn): number {
  const byType = c.type === 'quantitative' ? 110 : c.type === 'temporal' ? 170 : c.type === 'boolean' ? 80 : 180;
  return Math.min(320, Math.max(byType, c.label.length * 8 + 40));
}

/**
 * Virtualized rows and columns: only the visible cells exist in the DOM, whatever the row count
 * (gridWindow.ts). One scroll handler reads both offsets before re-rendering, so a frame lays
 * the grid out once.
 */
export function Grid({ explorerId, source, query, rowCount, onChangeView }: GridProps): React.JSX.Element {
  const view = query.view;
  const dispatch = useAppDispatch();
  const scroller = useRef<HTMLDivElement>(null);
  const columns = source.columns;
  const widths = useMemo(() => columns.map(columnWidth), [columns]);
  const count = rowCount ?? 0;
  const [scroll, setScroll] = useState({ top: 0, left: 0 });
  const [viewport, setViewport] = useState(INITIAL_RECT);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport({ width: el.clientWidth || INITIAL_RECT.width, height: el.clientHeight || INITIAL_RECT.height });
    measure();
    if (typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // Rendered in the scroll event itself, so the new cells are in the frame that shows the new position.
  const onScroll = (e: React.UIEvent<HTMLDivElement>) => {
    const { scrollTop: top, scrollLeft: left } = e.currentTarget;
    if (top !== scroll.top || left !== scroll.left) flushSync(() => setScroll({ top, left }));
  };
  const rowGeometry = { rowHeight: ROW_HEIGHT, headerHeight: HEADER_HEIGHT };
  const { first, last, height, shift } = rowWindow({ count, scrollTop: scroll.top, viewport: viewport.height, overscan: OVERSCAN_ROWS, maxScrollPx: MAX_SCROLL_PX, ...rowGeometry });
  const visibleRows = last >= first ? Array.from({ length: last - first + 1 }, (_, k) => first + k) : [];
  const { columns: visibleCols, totalWidth } = columnWindow({ widths, scrollLeft: scroll.left, viewport: viewport.width, leading: ROW_NUMBER_WIDTH, overscan: OVERSCAN_COLUMNS });
  // Rows come in blocks fetched by the explorer epics for the window asked for here.
  const rows = useAppSelector((s) => s.explorer.byId[explorerId]?.rows);
  const blocks = rows?.key === query.key ? rows.blocks : undefined;
  const error = rows?.key === query.key ? rows.error : null;
  const getRow = (index: number): CellValue[] | undefined => blocks?.[Math.floor(index / BLOCK_ROWS)]?.[index % BLOCK_ROWS];
  useEffect(() => {
    if (last >= first && count > 0) dispatch(explorerActions.rowsWanted({ id: explorerId, first, last: Math.min(last, count - 1) }));
  }, [dispatch, explorerId, first, last, count, query.key]);
  // A new view starts at the top.
  const viewJson = JSON.stringify(view);
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
    setScroll((s) => ({ ...s, top: 0 }));
  }, [viewJson]);

  const sortOf = (c: number) => view.sort.findIndex((k) => k.column === c);
  const toggleSort = (c: number, add: boolean) => {
    const at = sortOf(c);
    const existing = view.sort[at];
    let sort = add ? [...view.sort] : existing ? [existing] : [];
    if (!existing) sort = [...sort, { column: c, descending: false }];
    else if (!existing.descending) sort = sort.map((k) => (k.column === c ? { ...k, descending: true } : k));
    else sort = sort.filter((k) => k.column !== c);
    onChangeView({ ...view, sort });
  };
  const setFilter = (c: number, filter: ColumnFilter | undefined) => {
    const filters = view.filters.filter((f) => f.column !== c);
    onChangeView({ ...view, filters: filter ? [...filters, filter] : filters });
  };

  return (
    <div className="qx-grid" ref={scroller} onScroll={onScroll} role="grid" aria-rowcount={count} aria-colcount={columns.length} data-testid="explorer-grid">
      <div style={{ height, width: totalWidth, position: 'relative' }}>
        <div className="qx-header" style={{ width: totalWidth, height: HEADER_HEIGHT }} role="row">
          <div className="qx-rownum qx-corner" style={{ width: ROW_NUMBER_WIDTH, height: HEADER_HEIGHT }}>#</div>
          {visibleCols.map((vc) => {
            const c = columns[vc.index];
            const at = sortOf(c.index);
            const key = view.sort[at];
            return (
              <div key={vc.index} className={`qx-th${c.isIndex ? ' qx-index' : ''}`} style={{ left: vc.start, width: vc.size, height: HEADER_HEIGHT }} role="columnheader"
                aria-sort={key ? (key.descending ? 'descending' : 'ascending') : 'none'}>
                <button type="button" className="qx-th-label" title={`${c.label} (${columnTypeLabel(c.type)}${c.declaredType ? `; schema: ${c.declaredType}` : ''})\nClick to sort, shift-click to add a sort key.`}
                  onClick={(e) => toggleSort(c.index, e.shiftKey)}>
                  <span className={`qx-type qx-type-${c.type}`}>{typeGlyph(c.type)}</span>
                  <span className="qx-th-name">{c.label}</span>
                  {key ? <span className="qx-sort">{key.descending ? '▼' : '▲'}{view.sort.length > 1 ? at + 1 : ''}</span> : null}
                  {c.note ? <span className="qx-warn" title={c.note}>⚠</span> : null}
                </button>
                <FilterInput column={c} filter={view.filters.find((f) => f.column === c.index)} onChange={(f) => setFilter(c.index, f)} />
              </div>
            );
          })}
        </div>
        {visibleRows.map((index) => {
          const row = getRow(index);
          return (
            <div key={index} className={`qx-row${index % 2 ? ' qx-odd' : ''}`} style={{ top: rowTop(index, rowGeometry) - shift, height: ROW_HEIGHT, width: totalWidth }} role="row" aria-rowindex={index + 1}>
              <div className="qx-rownum" style={{ width: ROW_NUMBER_WIDTH }}>{index + 1}</div>
              {row
                ? visibleCols.map((vc) => <Cell key={vc.index} value={row[vc.index]} column={columns[vc.index]} left={vc.start} width={vc.size} />)
                : <div className="qx-loading" style={{ left: ROW_NUMBER_WIDTH }}>…</div>}
            </div>
          );
        })}
      </div>
      {error ? <div className="qx-grid-error" role="alert">{error}</div> : null}
      {rowCount === 0 ? <div className="qx-empty">{source.totalRows === 0 ? 'The table has no rows.' : 'No rows match the filters.'}</div> : null}
    </div>
  );
}

function typeGlyph(type: ExplorerColumn['type']): string {
  switch (type) {
    case 'quantitative': return '#';
    case 'temporal': return '◷';
    case 'boolean': return '◐';
    case 'nested': return '{}';
    default: return 'A';
  }
}

function Cell({ value, column, left, width }: { value: CellValue; column: ExplorerColumn; left: number; width: number }): React.JSX.Element {
  if (value === null) return <div className="qx-td qx-missing" style={{ left, width }}>null</div>;
  const text = formatCell(value, column);
  const numeric = typeof value === 'number';
  return (
    <div className={`qx-td${numeric ? ' qx-num' : ''}${typeof value === 'string' && (column.type === 'quantitative' || column.type === 'temporal') ? ' qx-invalid' : ''}`}
      style={{ left, width }} title={text.length > 40 ? truncateText(text, MAX_CELL_CHARS * 4) : undefined}>
      {truncateText(text)}
    </div>
  );
}
