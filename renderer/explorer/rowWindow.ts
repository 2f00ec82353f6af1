/**
 * Which grid rows to render for a scroll position. Rows have one fixed height, so this is
 * arithmetic: no per-row measurements (a general virtualizer keeps an entry per row, and
 * rebuilding a million of them whenever the row count changes blocks the window for 100+ ms).
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
