/**
 * `quire format`'s transformation: notebook text in, exactly the text
 *
 *     nb = nbformat.read(path, as_version=nbformat.NO_CONVERT); nbformat.write(nb, path)
 *
 * writes (Debian's nbformat 5.x), or a refusal. nbformat's steps, in order: Python's `json.loads`;
 * `rejoin_lines` + `strip_transient` (nbformatCanonical.ts); `validate`, which for nbformat_minor
 * >= 5 gives cells without an id a new one (8 hex digits, MissingIDFieldWarning) and renames
 * duplicate ids (DuplicateCellId), then logs schema errors without stopping; `split_lines` +
 * `strip_transient`; `json.dumps(sort_keys=True, indent=1, ensure_ascii=False)`; one `\n` at the end,
 * LF line endings whatever the file had.
 *
 * Decisions where nbformat itself does not write a file:
 * - A byte-order mark (nbformat's reader fails on it) is dropped and the rest formatted.
 * - What nbformat fails on (no notebook metadata or cell metadata, a code cell without outputs, an
 *   output without output_type, a stream without text, non-text in a source or text list, an
 *   attachment or data bundle that is not an object, an unhashable cell id, text that UTF-8 cannot
 *   encode) and a nbformat_minor that is not a whole number are refused (NOTEBOOK_INVALID): the file
 *   is left untouched, nothing is guessed.
 * - Schema problems do not stop the format (nbformat logs them and writes); they come back as warnings.
 */
import { ErrorCode, QuireError } from '../errors';
import type { JsonValue } from './messages';
import type { Notebook } from './nbformat';
import { newCellId, parseNotebook } from './notebookFormat';
import { canonicalizeNotebook } from './nbformatCanonical';
import { parseJson, recordedNumberText } from './json/parseJson';
import { stringifyPython } from './json/pythonJson';
import { validateNotebook } from './validateNotebook';

type JsonObject = Record<string, JsonValue>;

export interface FormattedNotebook {
  text: string;
  /** What nbformat would warn or log about (ids created or renamed, schema problems, a dropped BOM). */
  warnings: string[];
}

export interface FormatNotebookOptions {
  /** A new cell id; default nbformat's form, 8 random hex digits (`uuid4().hex[:8]`). */
  newId?(): string;
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const isLines = (value: unknown) => Array.isArray(value) && value.every((line) => typeof line === 'string');
// A lone UTF-16 surrogate: Python keeps it in a str but cannot write it as UTF-8.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function refuse(message: string, pointer: string): never {
  throw new QuireError(ErrorCode.NotebookInvalid, `nbformat cannot write this notebook: ${message}; fix it first (quire validate lists the problems).`, {
    location: { pointer },
  });
}

function checkText(value: unknown, pointer: string): void {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) refuse('a string holds a lone UTF-16 surrogate, which UTF-8 cannot encode', pointer);
  } else if (Array.isArray(value)) value.forEach((v, i) => checkText(v, `${pointer}/${i}`));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) {
    if (LONE_SURROGATE.test(k)) refuse('a key holds a lone UTF-16 surrogate, which UTF-8 cannot encode', pointer);
    checkText(v, `${pointer}/${k}`);
  }
}

/** Refuses what nbformat's read or write would fail on (see the header). */
function checkWritable(nb: JsonObject): void {
  if (!isObject(nb.metadata)) refuse('the notebook metadata is missing or not an object', '/metadata');
  const minor = nb.nbformat_minor;
  if (minor !== undefined && !(typeof minor === 'number' && Number.isInteger(minor) && minor >= 0)) refuse('nbformat_minor is not a whole number', '/nbformat_minor');
  (nb.cells as JsonObject[]).forEach((cell, i) => {
    const at = `/cells/${i}`;
    if (!isObject(cell.metadata)) refuse(`cell ${i + 1} has no metadata object`, `${at}/metadata`);
    if (Array.isArray(cell.source) && !isLines(cell.source)) refuse(`cell ${i + 1}'s source list holds something that is not text`, `${at}/source`);
    if (cell.id !== undefined && (Array.isArray(cell.id) || isObject(cell.id))) refuse(`cell ${i + 1}'s id is not a string`, `${at}/id`);
    if (cell.attachments !== undefined) {
      if (!isObject(cell.attachments)) refuse(`cell ${i + 1}'s attachments are not an object`, `${at}/attachments`);
      for (const [name, bundle] of Object.entries(cell.attachments)) if (!isObject(bundle)) refuse(`attachment "${name}" of cell ${i + 1} is not an object`, `${at}/attachments`);
    }
    if (cell.cell_type !== 'code') return;
    if (!Array.isArray(cell.outputs)) refuse(`code cell ${i + 1} has no outputs list`, `${at}/outputs`);
    cell.outputs.forEach((output, j) => {
      const o = `${at}/outputs/${j}`;
      if (!isObject(output) || !('output_type' in output)) refuse(`output ${j + 1} of cell ${i + 1} has no output_type`, o);
      const type = output.output_type;
      if (Array.isArray(type) || isObject(type)) refuse(`output ${j + 1} of cell ${i + 1} has an output_type that is not a string`, `${o}/output_type`);
      if ((type === 'execute_result' || type === 'display_data') && output.data !== undefined && !isObject(output.data)) refuse(`output ${j + 1} of cell ${i + 1} has data that is not an object`, `${o}/data`);
      if (type === 'stream' && !('text' in output)) refuse(`stream output ${j + 1} of cell ${i + 1} has no text`, `${o}/text`);
      if (Array.isArray(output.text) && type !== 'execute_result' && type !== 'display_data' && !isLines(output.text)) refuse(`output ${j + 1} of cell ${i + 1} has a text list that holds something that is not text`, `${o}/text`);
    });
  });
  checkText(nb, '');
}

/** nbformat's `_normalize(repair_duplicate_cell_ids=True)` for nbformat_minor >= 5. Mutates. */
function normalizeCellIds(cells: JsonObject[], newId: () => string, warnings: string[]): void {
  cells.forEach((cell, i) => {
    if (cell.id !== undefined) return;
    cell.id = newId();
    warnings.push(`cell ${i + 1} had no id (required since nbformat 4.5); gave it "${cell.id}" as nbformat does`);
  });
  const seen = new Set<JsonValue>();
  cells.forEach((cell, i) => {
    if (seen.has(cell.id)) {
      const old = cell.id;
      cell.id = newId();
      warnings.push(`cell ${i + 1} repeats the id ${JSON.stringify(old)}; renamed it "${cell.id}" as nbformat does`);
    }
    seen.add(cell.id);
  });
}

const nbformatId = () => newCellId().replace(/-/g, '').slice(0, 8);

/** Notebook text formatted as nbformat writes it (see the header); throws QuireError when it will not. */
export function formatNotebookText(text: string, options: FormatNotebookOptions = {}): FormattedNotebook {
  const warnings: string[] = [];
  let body = text;
  if (body.charCodeAt(0) === 0xfeff) {
    body = body.slice(1);
    warnings.push('removed the byte-order mark at the start (nbformat cannot read a file with one)');
  }
  // The checks a notebook must pass to be read at all (JSON, nbformat 4, cells that are objects)...
  parseNotebook(body);
  // ...then the file as it is, without the repairs the app makes for itself.
  const raw = parseJson(body).value as JsonObject;
  checkWritable(raw);
  const minor = typeof raw.nbformat_minor === 'number' ? raw.nbformat_minor : 0;
  const nb = canonicalizeNotebook(raw as unknown as Notebook) as unknown as JsonObject;
  // The copies share nothing mutable with `raw` at the cell level, so ids can be set in place.
  if (minor >= 5) normalizeCellIds(nb.cells as JsonObject[], options.newId ?? nbformatId, warnings);
  const problems = validateNotebook(nb).filter((p) => p.severity !== 'warning');
  if (problems.length > 0) {
    const first = problems[0];
    warnings.push(`not valid nbformat 4.${minor}: ${first.location.pointer ? `${first.location.pointer}: ` : ''}${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}; formatted anyway, as nbformat does`);
  }
  const out = stringifyPython(nb as JsonValue, { numberText: (container, key, value) => recordedNumberText(container, key, value) });
  return { text: `${out}\n`, warnings };
}
