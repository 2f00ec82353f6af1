/**
 * The first cells of notebook text, found without parsing the rest: a scan that only tracks strings
 * and nesting walks the top-level object to its `cells` list and cuts out whole cell objects, each
 * parsed on its own. It works on a prefix of the file too (a cell cut off by the prefix's end is
 * left out). For a first screen only: the cells are not validated or repaired, so the whole read
 * (readNotebookText) stays the document's authority.
 */
import { parseJson } from './json/parseJson';

export interface NotebookHeadScan {
  /** Whole cell objects from the start of `cells`, at most the number asked for. */
  cells: unknown[];
  /** `cells` holds every cell of the list (the list's end was seen). */
  complete: boolean;
  /** Top-level members that come before `cells` in the text (e.g. metadata in unsorted files). */
  before: Record<string, unknown>;
}

/** JSON.parse when it can (fast, native); Python's NaN/Infinity need our parser. */
function parsePiece(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return parseJson(text).value;
  }
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The index just past the JSON string starting at `i` (a `"`), or -1 when the text ends first. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++; // backslash: the next character is escaped
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/** The index just past the JSON value starting at `i`, or -1 when the text ends first. */
function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === 0x22) return skipString(text, i);
  if (first !== 0x7b && first !== 0x5b) {
    // A number or literal: up to the next delimiter.
    let j = i;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c)) return j;
      j++;
    }
    return -1;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) {
      j = skipString(text, j) - 1;
      if (j < 0) return -1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Up to `maxCells` cells from the start of the notebook text `text` (the whole file or a prefix of
 * it), plus the top-level members before `cells`; null when the text does not start like a notebook
 * object with a `cells` list, or a piece does not parse (the whole read then says what is wrong).
 */
export function scanNotebookHead(text: string, maxCells: number): NotebookHeadScan | null {
  let i = skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (text.charCodeAt(i) !== 0x7b) return null;
  i++;
  const before: Record<string, unknown> = {};
  try {
    for (;;) {
      i = skipSpace(text, i);
      if (text.charCodeAt(i) !== 0x22) return null; // `}` before any cells, or not JSON
      const keyEnd = skipString(text, i);
      if (keyEnd < 0) return null;
      const key = parsePiece(text.slice(i, keyEnd)) as string;
      i = skipSpace(text, keyEnd);
      if (text.charCodeAt(i) !== 0x3a) return null;
      i = skipSpace(text, i + 1);
      if (key === 'cells') break;
      const end = skipValue(text, i);
      if (end < 0) return null;
      before[key] = parsePiece(text.slice(i, end));
      i = skipSpace(text, end);
      if (text.charCodeAt(i) !== 0x2c) return null;
      i++;
    }
    if (text.charCodeAt(i) !== 0x5b) return null;
    i = skipSpace(text, i + 1);
    const cells: unknown[] = [];
    if (text.charCodeAt(i) === 0x5d) return { cells, complete: true, before };
    while (cells.length < maxCells) {
      if (text.charCodeAt(i) !== 0x7b) return cells.length ? { cells, complete: false, before } : null;
      const end = skipValue(text, i);
      if (end < 0) break; // the prefix ends inside this cell
      cells.push(parsePiece(text.slice(i, end)));
      i = skipSpace(text, end);
      const c = text.charCodeAt(i);
      if (c === 0x5d) return { cells, complete: true, before };
      if (c !== 0x2c) break;
      i = skipSpace(text, i + 1);
    }
    return { cells, complete: false, before };
  } catch {
    return null; // a piece that does not parse: the whole read reports it with its line and column
  }
}
