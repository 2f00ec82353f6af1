/**
 * Which grid rows and columns to render for a scroll position. Rows have one fixed height and
 * columns known widths, so this is arithmetic: no per-row measurements (a general virtualizer
 * keeps an entry per row, and rebuilding a million of them whenever the row count changes blocks
 * the window for 100+ ms), and nothing here reads the DOM (a scroll handler that reads layout after
 * the grid re-rendered forces a second layout per frame).
 *
 * Browsers cap an element's height (Chromium near 33.5 million px); past `maxScrollPx` the scroll
 * range is compressed: scrollTop maps linearly onto the real offset, so every row stays reachable,
 * and rows keep their spacing.
 */
export interface RowWindowInput {
  count: number;
  scrollTop: number;
  /** Height of the scroller's viewport. */
  viewport: number;
  rowHeight: number;
  /** Space above the first row (the column headers). */
  headerHeight: number;
  /** Rows rendered beyond each edge of the viewport. */
  overscan: number;
  maxScrollPx: number;
}

export interface RowWindow {
  /** First and last row to render (last < first when there are none). */
  first: number;
  last: number;
  /** Height of the scrolled content. */
  height: number;
  /** Subtracted from a row's real top to place it under the (compressed) scroll position. */
  shift: number;
}

/** Real top of row `index`, before the shift. */
export const rowTop = (index: number, { rowHeight, headerHeight }: Pick<RowWindowInput, 'rowHeight' | 'headerHeight'>): number => headerHeight + index * rowHeight;

export function rowWindow({ count, scrollTop, viewport, rowHeight, headerHeight, overscan, maxScrollPx }: RowWindowInput): RowWindow {
  const realHeight = headerHeight + count * rowHeight;
  const height = Math.min(realHeight, maxScrollPx);
  const scale = realHeight > maxScrollPx ? (realHeight - viewport) / (maxScrollPx - viewport) : 1;
  const offset = Math.max(0, scrollTop) * scale;
  if (count === 0) return { first: 0, last: -1, height, shift: 0 };
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
  const first = clamp(Math.floor((offset - headerHeight) / rowHeight) - overscan);
  const last = clamp(Math.floor((offset + viewport - headerHeight) / rowHeight) + overscan);
  return { first, last, height, shift: offset - Math.max(0, scrollTop) };
}

export interface ColumnWindowInput {
  widths: readonly number[];
  scrollLeft: number;
  /** Width of the scroller's viewport. */
  viewport: number;
  /** Space left of the first column (the row numbers). */
  leading: number;
  /** Columns rendered beyond each edge of the viewport. */
  overscan: number;
}

export interface GridColumn {
  index: number;
  start: number;
  size: number;
}

/** The columns to render, with their positions, and the width of all columns. */
export function columnWindow({ widths, scrollLeft, viewport, leading, overscan }: ColumnWindowInput): { columns: GridColumn[]; totalWidth: number } {
  const starts: number[] = [];
  let x = leading;
  for (const w of widths) {
    starts.push(x);
    x += w;
  }
  let first = 0;
  while (first < widths.length - 1 && starts[first] + widths[first] <= scrollLeft) first++;
  let last = first;
  while (last < widths.length - 1 && starts[last + 1] < scrollLeft + viewport) last++;
  const columns: GridColumn[] = [];
  for (let i = Math.max(0, first - overscan); i <= Math.min(widths.length - 1, last + overscan); i++) columns.push({ index: i, start: starts[i], size: widths[i] });
  return { columns, totalWidth: x };
}
