/**
 * Reading and writing `.ipynb` text, faithfully.
 *
 * Version policy (nbformat 4.0–4.5):
 * - A file keeps its `nbformat_minor` and its cells keep their ids (or lack of them) exactly as on
 *   disk, so an unchanged notebook saves byte-identically. The renderer keys cells itself; it never
 *   needs ids in 4.0–4.4 files.
 * - In a 4.5+ file, missing and duplicate cell ids are created/fixed on read, like nbformat's
 *   `validate(repair_duplicate_cell_ids=True)` (the fix is reported as a warning).
 * - New notebooks are 4.5 with ids. A 4.0–4.4 notebook is upgraded to 4.5 on save only when some
 *   cell was given an id (`prepareNotebookForSave`), as nbformat's `upgrade` would.
 * - nbformat 3 and older are refused (NOTEBOOK_UNSUPPORTED_VERSION) with the convert command.
 *
 * Numbers: see json/parseJson.ts. Texts such as `1.0` or `1e+16` are remembered per container, and
 * `serializeNotebook` can also borrow them from a `reference` (the notebook as last read from disk),
 * which is how a notebook that crossed the JSON RPC boundary still saves identically.
 */
import { ErrorCode, QuireError, type JsonLocation } from '../errors';
import type { JsonObject, JsonValue } from './messages';
import { type Cell, type CellType, type KernelspecMetadata, type MultilineString, type Notebook } from './nbformat';
import { JsonSyntaxError, keepNumberTexts, parseJson, recordedNumberText } from './json/parseJson';
import { formatNumber, stringifyPython } from './json/pythonJson';
import { matchCells } from './matchCells';

export { matchMultilineForms, pythonSplitLines, toMultiline } from './multilineText';
export { canonicalizeNotebook } from './nbformatCanonical';

/** The newest nbformat minor version Quire writes for new notebooks. */
export const CURRENT_NBFORMAT_MINOR = 5;

export const CONVERT_HINT = 'convert it with `jupyter nbconvert --to notebook --nbformat 4`';

/** A change made while reading (a repair), reported to the user as a warning. */
export interface NotebookRepair {
  message: string;
  pointer: string;
}

declare const crypto: { randomUUID?(): string } | undefined;

/** A new cell id (a UUID, as JupyterLab makes them; valid for nbformat's `^[a-zA-Z0-9-_]+$`). */
export function newCellId(): string {
  const c = typeof crypto === 'undefined' ? undefined : crypto;
  if (c?.randomUUID) return c.randomUUID();
  const hex = () => Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0');
  return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-${((Math.random() * 4) | 8).toString(16)}${hex().slice(1)}-${hex()}${hex()}${hex()}`;
}

/** A new empty cell (4.5 style, with an id). */
export function createCell(cellType: CellType, source: MultilineString = []): Cell {
  const base = { id: newCellId(), metadata: {}, source };
  if (cellType === 'code') return { cell_type: 'code', ...base, execution_count: null, outputs: [] };
  return { cell_type: cellType, ...base } as Cell;
}

/** A new nbformat 4.5 notebook with one empty code cell, like JupyterLab's "New Notebook". */
export function createEmptyNotebook(kernelspec?: KernelspecMetadata): Notebook {
  const metadata: JsonObject = {};
  if (kernelspec) {
    metadata.kernelspec = { ...kernelspec } as unknown as JsonObject;
    if (kernelspec.language) metadata.language_info = { name: kernelspec.language };
  }
  return { nbformat: 4, nbformat_minor: CURRENT_NBFORMAT_MINOR, metadata, cells: [createCell('code')] };
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(message: string, location: JsonLocation): never {
  throw new QuireError(ErrorCode.NotebookInvalid, message, { location });
}

/**
 * Parses notebook text. Throws QuireError NOTEBOOK_PARSE_ERROR (broken JSON, `details.location`
 * with line/column), NOTEBOOK_UNSUPPORTED_VERSION (nbformat 3 and older, or 5+), or
 * NOTEBOOK_INVALID (not usable as a notebook: not an object, no cells array, a cell that is not an
 * object with a string cell_type). Schema problems do not throw: see validateNotebook.ts.
 */
export function parseNotebook(text: string): Notebook {
  return parseNotebookWithRepairs(text).notebook;
}

/** Like parseNotebook, also listing what was repaired in memory (missing fields, cell ids). */
export function parseNotebookWithRepairs(text: string): { notebook: Notebook; repairs: NotebookRepair[] } {
  let value: JsonValue;
  try {
    value = parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).value;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new QuireError(ErrorCode.NotebookParseError, `The notebook is not valid JSON: ${error.message}`, {
      location: { pointer: '', line: error.line, column: error.column },
    });
  }
  if (!isObject(value)) invalid('This is not a notebook: the file holds JSON but not an object.', { pointer: '' });
  const version = value.nbformat;
  if (typeof version !== 'number') {
    if (Array.isArray(value.worksheets)) throwUnsupported('3 or older');
    invalid('This is not a notebook: it has no "nbformat" version number.', { pointer: '/nbformat' });
  }
  if (version < 4) throwUnsupported(String(version));
  if (version > 4) {
    throw new QuireError(ErrorCode.NotebookUnsupportedVersion, `nbformat ${version} is not supported; Quire reads nbformat 4 (4.0–4.5).`, {
      location: { pointer: '/nbformat' },
    });
  }
  if (!Array.isArray(value.cells)) invalid('This is not a usable notebook: it has no "cells" list.', { pointer: '/cells' });
  value.cells.forEach((cell, index) => {
    if (!isObject(cell) || typeof cell.cell_type !== 'string') {
      invalid(`This is not a usable notebook: cell ${index + 1} is not an object with a "cell_type".`, { pointer: `/cells/${index}` });
    }
  });
  const notebook = value as unknown as Notebook;
  return { notebook, repairs: repairNotebook(notebook) };
}

function throwUnsupported(version: string): never {
  throw new QuireError(ErrorCode.NotebookUnsupportedVersion, `nbformat ${version} is not supported; ${CONVERT_HINT}`, {
    location: { pointer: '/nbformat' },
  });
}

/** Fills what the UI cannot do without, and fixes 4.5 cell ids as nbformat does. Mutates. */
function repairNotebook(nb: Notebook): NotebookRepair[] {
  const repairs: NotebookRepair[] = [];
  const raw = nb as unknown as Record<string, JsonValue>;
  if (!isObject(raw.metadata)) {
    raw.metadata = {};
    repairs.push({ pointer: '/metadata', message: 'notebook metadata was missing or not an object; using {}' });
  }
  if (typeof raw.nbformat_minor !== 'number' || !Number.isInteger(raw.nbformat_minor) || raw.nbformat_minor < 0) {
    raw.nbformat_minor = nb.cells.some((c) => 'id' in c) ? 5 : 4;
    repairs.push({ pointer: '/nbformat_minor', message: `nbformat_minor was missing or invalid; using ${raw.nbformat_minor}` });
  }
  nb.cells.forEach((cell, index) => {
    const c = cell as unknown as Record<string, JsonValue>;
    const at = `/cells/${index}`;
    if (!isObject(c.metadata)) {
      c.metadata = {};
      repairs.push({ pointer: `${at}/metadata`, message: 'cell metadata was missing or not an object; using {}' });
    }
    if (typeof c.source !== 'string' && !(Array.isArray(c.source) && c.source.every((s) => typeof s === 'string'))) {
      c.source = '';
      repairs.push({ pointer: `${at}/source`, message: 'cell source was missing or not text; using ""' });
    }
    if (c.cell_type === 'code') {
      if (!Array.isArray(c.outputs) || !c.outputs.every((o) => isObject(o) && typeof o.output_type === 'string')) {
        c.outputs = [];
        repairs.push({ pointer: `${at}/outputs`, message: 'code cell outputs were missing or malformed; they were dropped' });
      }
      if (!('execution_count' in c)) c.execution_count = null;
    }
  });
  if (nb.nbformat_minor >= 5) repairs.push(...repairCellIds(nb));
  return repairs;
}

/** nbformat's `_normalize(repair_duplicate_cell_ids=True)`: creates missing ids, renames duplicates. */
export function repairCellIds(nb: Notebook): NotebookRepair[] {
  const repairs: NotebookRepair[] = [];
  const seen = new Set<string>();
  nb.cells.forEach((cell, index) => {
    if (typeof cell.id !== 'string') {
      cell.id = newCellId();
      repairs.push({ pointer: `/cells/${index}`, message: `cell had no id (required by nbformat 4.5); created "${cell.id}"` });
    } else if (seen.has(cell.id)) {
      const old = cell.id;
      cell.id = newCellId();
      repairs.push({ pointer: `/cells/${index}/id`, message: `non-unique cell id "${old}"; corrected to "${cell.id}"` });
    }
    seen.add(cell.id);
  });
  return repairs;
}

/**
 * The notebook as it should be saved, without mutating the input: a 4.5+ notebook gets missing or
 * duplicate ids fixed; a 4.0–4.4 notebook in which some cell was given an id is upgraded to 4.5 (all
 * cells get ids); anything else is returned as is (same object), so unchanged files stay identical.
 */
export function prepareNotebookForSave(nb: Notebook): Notebook {
  const needsIds = nb.nbformat_minor >= 5 || nb.cells.some((c) => c.id !== undefined);
  if (!needsIds) return nb;
  const ids = nb.cells.map((c) => c.id);
  if (nb.nbformat_minor >= 5 && ids.every((id) => typeof id === 'string') && new Set(ids).size === ids.length) return nb;
  const copy: Notebook = keepNumberTexts({ ...nb, nbformat_minor: Math.max(nb.nbformat_minor, 5), cells: nb.cells.map((c) => keepNumberTexts({ ...c }, c)) }, nb);
  repairCellIds(copy);
  return copy;
}

/** Options for serializeNotebook. */
export interface SerializeNotebookOptions {
  /**
   * The notebook as last read (e.g. the file on disk, parsed again): number texts such as `1.0`
   * recorded there are reused for equal values at the matching place. Cells are matched by id,
   * then by identical type and source, then by position.
   */
  reference?: Notebook;
  /**
   * Line ending: `\n` (default) or `\r\n`, which Jupyter on Windows writes (text-mode files). Raw line
   * breaks in JSON are only ever whitespace (strings escape theirs), so this changes nothing else.
   */
  newline?: '\n' | '\r\n';
}

/**
 * Jupyter's canonical bytes for a notebook: `json.dumps(nb, sort_keys=True, indent=1,
 * ensure_ascii=False) + "\n"`. Pure. Multi-line strings are written in the form they have (string or
 * list); the in-memory-only `transient` field of outputs is left out.
 */
export function serializeNotebook(nb: Notebook, options: SerializeNotebookOptions = {}): string {
  const outputs = new Set<object>();
  for (const cell of nb.cells) if (cell.cell_type === 'code' && Array.isArray(cell.outputs)) for (const o of cell.outputs) outputs.add(o);
  const cellRefs = options.reference ? matchCells(nb.cells, options.reference.cells) : undefined;
  const text = stringifyPython(nb as unknown as JsonValue, {
    omit: (container, key) => key === 'transient' && outputs.has(container),
    numberText: (container, key, value, refContainer) =>
      recordedNumberText(container, key, value) ??
      (refContainer !== null && typeof refContainer === 'object' ? recordedNumberText(refContainer, key, value) : undefined),
    // JSON has no NaN/Infinity: a null where the file had one is that number, sent over the RPC.
    nullText: (_container, key, refContainer) => {
      const was = refContainer !== null && typeof refContainer === 'object' && Object.hasOwn(refContainer, key) ? (refContainer as Record<string | number, unknown>)[key] : undefined;
      return typeof was === 'number' && !Number.isFinite(was) ? formatNumber(was) : undefined;
    },
    ref: options.reference,
    refFor: cellRefs ? (child, positional) => (cellRefs.has(child) ? cellRefs.get(child) : positional) : undefined,
  });
  return options.newline === '\r\n' ? `${text.replace(/\n/g, '\r\n')}\r\n` : `${text}\n`;
}
