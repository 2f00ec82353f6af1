/**
 * What Jupyter's nbformat (5.x) does to a notebook between `nbformat.read(…, NO_CONVERT)` and
 * `nbformat.write`, step by step as in nbformat/v4/rwbase.py, so `quire format` and run outputs give
 * its bytes exactly:
 *
 * - read: `rejoin_lines` (every list of strings in source, stream/other `text`, and mime bundles of
 *   outputs and attachments becomes one string, except JSON mime types: images stored as line lists
 *   become one string too) and `strip_transient`;
 * - write: `split_lines` (source, stream text, and `text/*`, JavaScript and SVG data become
 *   `str.splitlines(True)` lists; images stay strings) and `strip_transient` again.
 *
 * `strip_transient` drops `orig_nbformat`, `orig_nbformat_minor` and `signature` from the notebook
 * metadata and `trusted` from cell metadata. Copies keep the parse's number texts (`1.0` stays `1.0`).
 */
import type { JsonValue } from './messages';
import type { Notebook } from './nbformat';
import { keepNumberTexts as keep } from './json/parseJson';
import { pythonSplitLines } from './multilineText';

type JsonObject = Record<string, JsonValue>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isLines(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((line) => typeof line === 'string');
}

/** rwbase `_is_json_mime`: JSON data is left as it is. */
function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

/** rwbase `split_lines`' choice of mime types. */
function isSplitMime(mime: string): boolean {
  return mime.startsWith('text/') || mime === 'application/javascript' || mime === 'image/svg+xml';
}

/** Python truthiness of a JSON value (rejoin_lines tests `elif output_type:`). */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** `_rejoin_mimebundle` then `_split_mimebundle`. */
function canonicalBundle(bundle: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [mime, value] of Object.entries(bundle)) {
    let v: JsonValue = !isJsonMime(mime) && isLines(value) ? value.join('') : value;
    if (typeof v === 'string' && isSplitMime(mime)) v = pythonSplitLines(v);
    out[mime] = v;
  }
  return keep(out, bundle);
}

function canonicalOutput(output: JsonObject): JsonObject {
  const type = output.output_type;
  const out = keep({ ...output }, output);
  if (type === 'execute_result' || type === 'display_data') {
    if (isObject(output.data)) out.data = canonicalBundle(output.data);
  } else if (truthy(type) && isLines(output.text)) {
    out.text = output.text.join('');
  }
  if (type === 'stream' && typeof out.text === 'string') out.text = pythonSplitLines(out.text);
  return out;
}

function canonicalCell(cell: JsonObject): JsonObject {
  const out = keep({ ...cell }, cell);
  const source = isLines(cell.source) ? cell.source.join('') : cell.source;
  if (typeof source === 'string') out.source = pythonSplitLines(source);
  if (isObject(cell.attachments)) {
    out.attachments = keep(Object.fromEntries(Object.entries(cell.attachments).map(([name, b]) => [name, isObject(b) ? canonicalBundle(b) : b])), cell.attachments);
  }
  if (isObject(cell.metadata) && 'trusted' in cell.metadata) {
    const { trusted: _t, ...rest } = cell.metadata;
    out.metadata = keep(rest, cell.metadata);
  }
  if (cell.cell_type === 'code' && Array.isArray(cell.outputs)) {
    out.outputs = cell.outputs.map((o) => (isObject(o) ? canonicalOutput(o) : o));
  }
  return out;
}

/**
 * The notebook as nbformat's read + write leaves it (see above), without mutating the input. Cell ids
 * are not touched here (see formatNotebookText for the 4.5 id normalization).
 */
export function canonicalizeNotebook<T extends Notebook>(nb: T): T {
  const raw = nb as unknown as JsonObject;
  const out = keep({ ...raw }, raw);
  if (isObject(raw.metadata)) {
    const { orig_nbformat: _a, orig_nbformat_minor: _b, signature: _c, ...metadata } = raw.metadata;
    out.metadata = keep(metadata, raw.metadata);
  }
  if (Array.isArray(raw.cells)) out.cells = raw.cells.map((c) => (isObject(c) ? canonicalCell(c) : c));
  return out as unknown as T;
}
