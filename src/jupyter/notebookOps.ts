/**
 * Pure cell operations on an nbformat cell list: every function returns a new array and leaves
 * its input untouched (cells that did not change keep their identity, so React and Redux can
 * skip them). Cells are addressed by their nbformat 4.5 `id`. Ids for new cells come from the
 * caller, which keeps these functions deterministic.
 */
import type { Cell, CellType, CodeCell, MultilineString } from './nbformat';
import { joinSource, splitLines } from './nbformat';
import type { JsonValue } from './messages';

/** The tag papermill looks for; at most one cell of a notebook carries it. */
export const PARAMETERS_TAG = 'parameters';

/** A fresh cell of the given type with the source split into nbformat's line list. */
export function createCell(cellType: CellType, id: string, source = ''): Cell {
  const base = { id, metadata: {}, source: splitLines(source) };
  if (cellType === 'code') return { ...base, cell_type: 'code', execution_count: null, outputs: [] };
  return { ...base, cell_type: cellType };
}

export function cellIndex(cells: readonly Cell[], id: string): number {
  return cells.findIndex((c) => c.id === id);
}

/** Inserts `cell` at `index` (clamped to the list). */
export function insertCell(cells: readonly Cell[], index: number, cell: Cell): Cell[] {
  const at = Math.max(0, Math.min(index, cells.length));
  return [...cells.slice(0, at), cell, ...cells.slice(at)];
}

export function deleteCells(cells: readonly Cell[], ids: readonly string[]): Cell[] {
  const drop = new Set(ids);
  return cells.filter((c) => !drop.has(c.id ?? ''));
}

/**
 * Moves the given cells (kept in document order, as one block) by `delta` positions, as
 * Jupyter's move up/down does. The block stops at either end of the notebook.
 */
export function moveCells(cells: readonly Cell[], ids: readonly string[], delta: number): Cell[] {
  const moving = new Set(ids);
  const block = cells.filter((c) => moving.has(c.id ?? ''));
  if (block.length === 0 || delta === 0) return [...cells];
  const rest = cells.filter((c) => !moving.has(c.id ?? ''));
  const first = cells.findIndex((c) => moving.has(c.id ?? ''));
  const target = Math.max(0, Math.min(first + delta, rest.length));
  return [...rest.slice(0, target), ...block, ...rest.slice(target)];
}

/** Moves one cell so that it ends up at `toIndex` of the resulting list (drag and drop). */
export function moveCellTo(cells: readonly Cell[], id: string, toIndex: number): Cell[] {
  const from = cellIndex(cells, id);
  if (from < 0) return [...cells];
  const rest = [...cells.slice(0, from), ...cells.slice(from + 1)];
  const at = Math.max(0, Math.min(toIndex, rest.length));
  return [...rest.slice(0, at), cells[from], ...rest.slice(at)];
}

/**
 * Changes a cell's type keeping id, source, metadata (and attachments between markdown/raw).
 * Outputs and execution count are dropped when leaving code, as Jupyter does.
 */
export function changeCellType(cells: readonly Cell[], ids: readonly string[], cellType: CellType): Cell[] {
  const change = new Set(ids);
  return cells.map((c) => {
    if (!change.has(c.id ?? '') || c.cell_type === cellType) return c;
    const base = { id: c.id, metadata: c.metadata, source: c.source };
    if (cellType === 'code') return { ...base, cell_type: 'code', execution_count: null, outputs: [] } satisfies CodeCell;
    const attachments = c.cell_type !== 'code' ? c.attachments : undefined;
    return attachments ? { ...base, cell_type: cellType, attachments } : { ...base, cell_type: cellType };
  });
}

export function setCellSource(cells: readonly Cell[], id: string, text: string): Cell[] {
  return cells.map((c) => (c.id === id && joinSource(c.source) !== text ? { ...c, source: splitLines(text) } : c));
}

/**
 * Merges the given cells (at least two) into the first of them in document order; sources are
 * joined with a newline, outputs of code cells are concatenated. Tags are united.
 */
export function mergeCells(cells: readonly Cell[], ids: readonly string[]): Cell[] {
  const merging = new Set(ids);
  const parts = cells.filter((c) => merging.has(c.id ?? ''));
  if (parts.length < 2) return [...cells];
  const [first] = parts;
  const text = parts.map((c) => joinSource(c.source).replace(/\n$/, '')).join('\n');
  const tags = [...new Set(parts.flatMap(cellTags))];
  let merged: Cell = { ...first, source: splitLines(text), metadata: withTags(first.metadata, tags) };
  if (merged.cell_type === 'code') {
    const outputs = parts.flatMap((c) => (c.cell_type === 'code' ? c.outputs : []));
    merged = { ...merged, outputs } as CodeCell;
  }
  return cells.filter((c) => c === first || !merging.has(c.id ?? '')).map((c) => (c === first ? merged : c));
}

/**
 * Splits a cell at a character offset of its source. The first part keeps id, metadata and
 * outputs; the second is a new cell of the same type with id `newId` and no outputs. A trailing
 * newline at the split point is dropped from the first part (Jupyter's behaviour).
 */
export function splitCell(cells: readonly Cell[], id: string, offset: number, newId: string): Cell[] {
  const index = cellIndex(cells, id);
  if (index < 0) return [...cells];
  const cell = cells[index];
  const text = joinSource(cell.source);
  const at = Math.max(0, Math.min(offset, text.length));
  const head = text.slice(0, at).replace(/\n$/, '');
  const tail = text.slice(at).replace(/^\n/, '');
  const first: Cell = { ...cell, source: splitLines(head) };
  const second = createCell(cell.cell_type, newId, tail);
  return [...cells.slice(0, index), first, second, ...cells.slice(index + 1)];
}

/** The cell's `metadata.tags` as strings (ignores malformed entries). */
export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** nbclient's (and so papermill's) tag for a code cell that a run of the whole notebook skips. */
export const SKIP_EXECUTION_TAG = 'skip-execution';

/** True for a code cell tagged `skip-execution`: "run all" and `quire run` leave it as it is. */
export function skipsExecution(cell: Cell): boolean {
  return cell.cell_type === 'code' && cellTags(cell).includes(SKIP_EXECUTION_TAG);
}

export function hasTag(cell: Cell, tag: string): boolean {
  return cellTags(cell).includes(tag);
}

function withTags(metadata: Cell['metadata'], tags: string[]): Cell['metadata'] {
  const { tags: _old, ...rest } = metadata;
  return tags.length > 0 ? { ...rest, tags: tags as JsonValue[] } : rest;
}

/** Adds or removes `tag` on one cell; `metadata.tags` is removed when it becomes empty. */
export function toggleTag(cells: readonly Cell[], id: string, tag: string): Cell[] {
  if (tag === PARAMETERS_TAG) return toggleParameters(cells, id);
  return cells.map((c) => {
    if (c.id !== id) return c;
    const tags = cellTags(c);
    const next = tags.includes(tag) ? tags.filter((t) => t !== tag) : [...tags, tag];
    return { ...c, metadata: withTags(c.metadata, next) };
  });
}

/**
 * Toggles the `parameters` tag on a cell keeping it unique: tagging a cell removes the tag from
 * every other cell (papermill uses only the first one, so two would be a trap).
 */
export function toggleParameters(cells: readonly Cell[], id: string): Cell[] {
  const target = cells.find((c) => c.id === id);
  if (!target) return [...cells];
  const tagging = !hasTag(target, PARAMETERS_TAG);
  return cells.map((c) => {
    const has = hasTag(c, PARAMETERS_TAG);
    if (c.id === id) {
      const tags = cellTags(c).filter((t) => t !== PARAMETERS_TAG);
      return { ...c, metadata: withTags(c.metadata, tagging ? [...tags, PARAMETERS_TAG] : tags) };
    }
    if (tagging && has) return { ...c, metadata: withTags(c.metadata, cellTags(c).filter((t) => t !== PARAMETERS_TAG)) };
    return c;
  });
}

/** The id of the first cell tagged `parameters` (the one papermill uses), if any. */
export function parametersCellId(cells: readonly Cell[]): string | undefined {
  return cells.find((c) => hasTag(c, PARAMETERS_TAG))?.id;
}

/** Clears outputs and execution counts of the given code cells (all when `ids` is undefined). */
export function clearOutputs(cells: readonly Cell[], ids?: readonly string[]): Cell[] {
  const only = ids ? new Set(ids) : undefined;
  return cells.map((c) => {
    if (c.cell_type !== 'code' || (only && !only.has(c.id ?? ''))) return c;
    if (c.outputs.length === 0 && c.execution_count === null) return c;
    return { ...c, outputs: [], execution_count: null };
  });
}

/** Sets (or, with `undefined`, removes) a key of `metadata.jupyter` (e.g. source_hidden, outputs_hidden). */
export function setJupyterMetadata(cells: readonly Cell[], id: string, key: string, value: JsonValue | undefined): Cell[] {
  return cells.map((c) => {
    if (c.id !== id) return c;
    const current = (c.metadata.jupyter && typeof c.metadata.jupyter === 'object' && !Array.isArray(c.metadata.jupyter))
      ? { ...c.metadata.jupyter } : {};
    if (value === undefined) delete current[key];
    else current[key] = value;
    const { jupyter: _j, ...rest } = c.metadata;
    return { ...c, metadata: Object.keys(current).length > 0 ? { ...rest, jupyter: current } : rest };
  });
}

export interface FindMatch {
  cellId: string;
  /** Character offsets into the joined source. */
  start: number;
  end: number;
}

/** Finds every occurrence of `query` in cell sources, in document order. */
export function findInCells(cells: readonly Cell[], query: string, options: { caseSensitive?: boolean } = {}): FindMatch[] {
  if (query === '') return [];
  const matches: FindMatch[] = [];
  const needle = options.caseSensitive ? query : query.toLowerCase();
  for (const c of cells) {
    const text = joinSource(c.source);
    const hay = options.caseSensitive ? text : text.toLowerCase();
    for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) {
      matches.push({ cellId: c.id ?? '', start: i, end: i + needle.length });
    }
  }
  return matches;
}

/** Replaces every occurrence of `query` in all cell sources (or only in `match`'s cell and position). */
export function replaceInCells(
  cells: readonly Cell[], query: string, replacement: string,
  options: { caseSensitive?: boolean; only?: FindMatch } = {},
): Cell[] {
  if (query === '') return [...cells];
  const flags = options.caseSensitive ? 'g' : 'gi';
  const pattern = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
  return cells.map((c) => {
    const text = joinSource(c.source);
    if (options.only) {
      if (c.id !== options.only.cellId) return c;
      const { start, end } = options.only;
      return { ...c, source: splitLines(text.slice(0, start) + replacement + text.slice(end)) };
    }
    const next = text.replace(pattern, () => replacement);
    return next === text ? c : { ...c, source: splitLines(next) as MultilineString };
  });
}
