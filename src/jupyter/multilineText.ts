/**
 * The string-or-list forms of nbformat's multi-line text (cell sources, stream text, text-like
 * mime data, attachments). On disk Jupyter writes lists (`split_lines`); other tools write strings.
 * Saving keeps whatever the file had; new text gets Jupyter's list form.
 */
import type { JsonValue } from './messages';
import type { Cell, MultilineString, Notebook, Output } from './nbformat';
import { keepNumberTexts as keep } from './json/parseJson';
import { matchCells } from './matchCells';

function isObject(value: unknown): value is Record<string, JsonValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Python's `str.splitlines(True)`: every line keeps its terminator (any of Python's line breaks). */
export function pythonSplitLines(text: string): string[] {
  // These control characters are line breaks for Python.
  // eslint-disable-next-line no-control-regex
  return text.match(/[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]|$)/g)!.filter((line) => line !== '');
}

/**
 * Text in the form a field should keep: a string stays a string; otherwise (a list, or a new
 * field) the list form Jupyter writes.
 */
export function toMultiline(text: string, previous?: MultilineString): MultilineString {
  return typeof previous === 'string' ? text : pythonSplitLines(text);
}

const NON_TEXT_SPLIT_MIMES = new Set(['application/javascript', 'image/svg+xml']);

/** Mime types whose text nbformat splits into lists (`text/*`, JavaScript, SVG). */
export function isSplitMime(mime: string): boolean {
  return mime.startsWith('text/') || NON_TEXT_SPLIT_MIMES.has(mime);
}

/**
 * A string in the form the file had at that place: the file's own list when the text is unchanged,
 * a string when the file had a string, otherwise Jupyter's list form. Lists stay as they are.
 */
function formLike(value: unknown, ref: unknown): unknown {
  if (typeof value !== 'string' || typeof ref === 'string') return value;
  if (Array.isArray(ref) && ref.every((line) => typeof line === 'string') && ref.join('') === value) return ref;
  return pythonSplitLines(value);
}

function bundleLike(bundle: unknown, ref: unknown): unknown {
  if (!isObject(bundle)) return bundle;
  const refBundle = isObject(ref) ? ref : {};
  let changed = false;
  const out: Record<string, JsonValue> = {};
  for (const [mime, value] of Object.entries(bundle)) {
    out[mime] = isSplitMime(mime) ? (formLike(value, Object.hasOwn(refBundle, mime) ? refBundle[mime] : undefined) as JsonValue) : value;
    if (out[mime] !== value) changed = true;
  }
  return changed ? keep(out, bundle) : bundle;
}

function outputLike(output: Output, ref: Output | undefined): Output {
  const same = ref && ref.output_type === output.output_type ? ref : undefined;
  if (output.output_type === 'stream') {
    const text = formLike(output.text, same && 'text' in same ? same.text : undefined);
    return text === output.text ? output : keep({ ...output, text: text as MultilineString }, output);
  }
  if (output.output_type === 'display_data' || output.output_type === 'execute_result') {
    const data = bundleLike(output.data, same && 'data' in same ? same.data : undefined);
    return data === output.data ? output : keep({ ...output, data } as Output, output);
  }
  return output;
}

function cellLike(cell: Cell, ref: Cell | undefined): Cell {
  const next = keep({ ...cell }, cell) as Cell & Record<string, unknown>;
  let changed = false;
  const source = formLike(cell.source, ref?.source);
  if (source !== cell.source) {
    next.source = source as MultilineString;
    changed = true;
  }
  const attachments = (cell as { attachments?: unknown }).attachments;
  if (isObject(attachments)) {
    const refAttachments = (ref as { attachments?: unknown } | undefined)?.attachments;
    const entries = Object.entries(attachments).map(([name, bundle]) => [name, bundleLike(bundle, isObject(refAttachments) ? refAttachments[name] : undefined)] as const);
    if (entries.some(([name, bundle]) => bundle !== attachments[name])) {
      next.attachments = keep(Object.fromEntries(entries), attachments);
      changed = true;
    }
  }
  if (cell.cell_type === 'code' && Array.isArray(cell.outputs)) {
    const refOutputs = ref?.cell_type === 'code' && Array.isArray(ref.outputs) ? ref.outputs : [];
    const outputs = cell.outputs.map((o, i) => outputLike(o, refOutputs[i]));
    if (outputs.some((o, i) => o !== cell.outputs[i])) {
      next.outputs = outputs;
      changed = true;
    }
  }
  return changed ? next : cell;
}

/**
 * The notebook with each multi-line string field in the form `reference` (the file as last read) had
 * there: so a UI that edits sources as plain strings still saves unchanged cells byte-identically, and
 * new or edited text is written as Jupyter writes it. Copy-on-write: the same object when nothing changes.
 */
export function matchMultilineForms(nb: Notebook, reference?: Notebook): Notebook {
  const refs = reference ? matchCells(nb.cells, reference.cells) : new Map<object, Cell | undefined>();
  const cells = nb.cells.map((cell) => cellLike(cell, refs.get(cell)));
  return cells.some((c, i) => c !== nb.cells[i]) ? keep({ ...nb, cells }, nb) : nb;
}
