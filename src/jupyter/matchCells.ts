/**
 * Pairs the cells of an edited notebook with the cells of the notebook as last read, so that saving
 * can reuse what the file had (number texts such as `1.0`, string-or-list forms): by id first, then by
 * identical type and source (moved cells), then by position.
 */
import { joinSource, type Cell } from './nbformat';

/** Edited cell -> its counterpart in `refCells` (undefined when it has none, e.g. a new cell). */
export function matchCells(cells: readonly Cell[], refCells: readonly Cell[] | undefined): Map<object, Cell | undefined> {
  const matches = new Map<object, Cell | undefined>();
  if (!Array.isArray(refCells)) return matches;
  const used = new Set<Cell>();
  const byId = new Map<string, Cell>();
  const byContent = new Map<string, Cell[]>();
  const contentKey = (c: Cell) => `${c.cell_type}\u0000${typeof c.source === 'string' || Array.isArray(c.source) ? joinSource(c.source) : ''}`;
  for (const ref of refCells) {
    if (typeof ref.id === 'string' && !byId.has(ref.id)) byId.set(ref.id, ref);
    const key = contentKey(ref);
    const same = byContent.get(key);
    if (same) same.push(ref);
    else byContent.set(key, [ref]);
  }
  const take = (cell: Cell, ref: Cell | undefined) => {
    if (ref && !used.has(ref)) {
      used.add(ref);
      matches.set(cell, ref);
    }
  };
  for (const cell of cells) if (typeof cell.id === 'string') take(cell, byId.get(cell.id));
  for (const cell of cells) if (!matches.has(cell)) take(cell, byContent.get(contentKey(cell))?.find((r) => !used.has(r)));
  cells.forEach((cell, i) => {
    if (!matches.has(cell)) take(cell, refCells[i]);
    if (!matches.has(cell)) matches.set(cell, undefined);
  });
  return matches;
}
