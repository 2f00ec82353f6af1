import { describe, expect, it } from 'vitest';
import { columnWindow, rowTop, rowWindow, type RowWindowInput } from './gridWindow';

const grid: Omit<RowWindowInput, 'count' | 'scrollTop'> = { viewport: 420, rowHeight: 26, headerHeight: 58, overscan: 12, maxScrollPx: 15_000_000 };
/** The rows whose box is at least partly inside the viewport (below the header). */
function shown(input: RowWindowInput): number[] {
  const { first, last, shift } = rowWindow(input);
  const out: number[] = [];
  for (let i = first; i <= last; i++) {
    const top = rowTop(i, input) - shift;
    if (top + input.rowHeight > input.scrollTop + input.headerHeight && top < input.scrollTop + input.viewport) out.push(i);
  }
  return out;
}

describe('rowWindow', () => {
  it('renders nothing for no rows, and every row of a short table', () => {
    expect(rowWindow({ ...grid, count: 0, scrollTop: 0 })).toEqual({ first: 0, last: -1, height: 58, shift: 0 });
    expect(rowWindow({ ...grid, count: 5, scrollTop: 0 })).toMatchObject({ first: 0, last: 4, height: 58 + 5 * 26, shift: 0 });
  });

  it('covers the viewport plus the overscan at a scroll position', () => {
    const input = { ...grid, count: 10_000, scrollTop: 26_000 };
    const { first, last, shift } = rowWindow(input);
    expect(shift).toBe(0);
    expect(shown(input)).toEqual(Array.from({ length: 14 }, (_, k) => 1000 + k));
    // Rows under the sticky header count as above the viewport.
    expect(first).toBe(Math.floor((26_000 - 58) / 26) - 12);
    expect(last).toBe(Math.floor((26_000 + 420 - 58) / 26) + 12);
  });

  it('compresses the scroll range of millions of rows and still reaches the first and last rows', () => {
    const count = 1_500_000;
    const top = rowWindow({ ...grid, count, scrollTop: 0 });
    expect(top.height).toBe(15_000_000);
    expect(top.first).toBe(0);
    const end = { ...grid, count, scrollTop: 15_000_000 - 420 };
    expect(rowWindow(end).last).toBe(count - 1);
    const visible = shown(end);
    expect(visible[visible.length - 1]).toBe(count - 1);
    // Rows keep their spacing where the range is compressed.
    const middle = { ...grid, count, scrollTop: 7_000_000 };
    const rows = shown(middle);
    expect(rows.length).toBeGreaterThanOrEqual(14);
    expect(rows.every((r, k) => k === 0 || r === rows[k - 1] + 1)).toBe(true);
  });
});

describe('columnWindow', () => {
  const widths = [110, 180, 80, 320, 170, 110];
  const indices = (scrollLeft: number, viewport: number, overscan = 0) => columnWindow({ widths, scrollLeft, viewport, leading: 64, overscan }).columns.map((c) => c.index);

  it('places columns after the row numbers and sums their widths', () => {
    const { columns, totalWidth } = columnWindow({ widths, scrollLeft: 0, viewport: 10_000, leading: 64, overscan: 0 });
    expect(totalWidth).toBe(64 + 970);
    expect(columns.map((c) => [c.index, c.start, c.size])).toEqual([[0, 64, 110], [1, 174, 180], [2, 354, 80], [3, 434, 320], [4, 754, 170], [5, 924, 110]]);
  });

  it('renders the columns the viewport touches, plus the overscan', () => {
    expect(indices(0, 300)).toEqual([0, 1]);
    expect(indices(0, 355)).toEqual([0, 1, 2]);
    expect(indices(354, 100)).toEqual([2, 3]);
    expect(indices(353, 1)).toEqual([1]);
    expect(indices(900, 500)).toEqual([4, 5]);
    expect(indices(354, 100, 1)).toEqual([1, 2, 3, 4]);
    expect(columnWindow({ widths: [], scrollLeft: 0, viewport: 500, leading: 64, overscan: 3 })).toEqual({ columns: [], totalWidth: 64 });
  });
});
