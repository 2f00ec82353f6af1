/**
 * Mime-bundle helpers: reading nbformat values (string or string[]), choosing the richest mime type
 * to show (JupyterLab's order, plus the extensions Quire ships), and recognising scrapbook/papermill
 * record outputs, which are data for a "recorded values" panel and never shown in the cell.
 */
import type { JsonObject, JsonValue } from '../../src/jupyter/messages';
import type { MultilineString, Output } from '../../src/jupyter/nbformat';

export type MimeBundle = Record<string, MultilineString | JsonValue>;

const VEGA_RE = /^application\/vnd\.vega(lite)?\.v(\d+)(\.\d+)*\+json$/;
const SCRAP_RE = /^application\/scrapbook\.scrap\.([^+]+)\+json$/;
const PAPERMILL_RECORD_PREFIX = 'application/papermill.record';

/** Exact mime types in the order we prefer them (richest first). Vega types are matched by pattern first. */
export const MIME_ORDER: readonly string[] = [
  'application/vnd.dataresource+json',
  'text/html',
  'application/javascript',
  'text/markdown',
  'text/latex',
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/json',
  'text/plain',
];

/** Joins an nbformat multi-line value; non-string JSON values are stringified. */
export function mimeText(value: MultilineString | JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return (value as string[]).join('');
  return JSON.stringify(value, null, 2);
}

/** Parses a JSON-typed mime value, which may have been stored as a string (older writers do). */
export function mimeJson(value: MultilineString | JsonValue | undefined): JsonValue {
  if (typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string') && value.length > 0)) {
    const text = mimeText(value);
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  return (value ?? null) as JsonValue;
}

/** True for scrapbook scrap and legacy papermill record mime types. */
export function isRecordMime(mime: string): boolean {
  return SCRAP_RE.test(mime) || mime.startsWith(PAPERMILL_RECORD_PREFIX);
}

/** The scrapbook encoder named by a scrap mime type (`application/scrapbook.scrap.json+json` → `json`). */
export function scrapEncoder(mime: string): string | undefined {
  return SCRAP_RE.exec(mime)?.[1];
}

/** Vega/Vega-Lite mime types present, highest major version first. */
function vegaMimes(bundle: MimeBundle): string[] {
  return Object.keys(bundle)
    .filter((m) => VEGA_RE.test(m))
    .sort((a, b) => Number(VEGA_RE.exec(b)![2]) - Number(VEGA_RE.exec(a)![2]));
}

/** Whether a mime type is a Vega (not Vega-Lite) spec. */
export function isVegaMime(mime: string): boolean {
  const m = VEGA_RE.exec(mime);
  return m !== null && m[1] === undefined;
}

/** Whether a mime type is any Vega or Vega-Lite spec. */
export function isVegaFamilyMime(mime: string): boolean {
  return VEGA_RE.test(mime);
}

/**
 * The mime type to render for a bundle, or undefined when nothing renderable is left (for example a
 * bundle holding only scrapbook data). Record mime types are never chosen.
 */
export function selectMimeType(bundle: MimeBundle): string | undefined {
  const vega = vegaMimes(bundle);
  if (vega.length > 0) return vega[0];
  for (const mime of MIME_ORDER) if (mime in bundle) return mime;
  return Object.keys(bundle).find((m) => !isRecordMime(m));
}

/** Whether an output is a hidden recording (every key in its bundle is a record mime, or scrapbook says data-only). */
export function isHiddenOutput(output: Output): boolean {
  if (output.output_type !== 'display_data' && output.output_type !== 'execute_result') return false;
  const keys = Object.keys(output.data);
  if (keys.length > 0 && keys.every(isRecordMime)) return true;
  const scrapMeta = (output.metadata as JsonObject | undefined)?.scrapbook as JsonObject | undefined;
  return !!scrapMeta && scrapMeta.data === true && scrapMeta.display !== true && keys.some(isRecordMime);
}

/** Per-mime metadata (nbformat keeps e.g. image sizes under `metadata[mime]`), falling back to the top level. */
export function mimeMetadata(metadata: JsonObject | undefined, mime: string): JsonObject {
  const own = metadata?.[mime];
  if (own && typeof own === 'object' && !Array.isArray(own)) return { ...metadata, ...(own as JsonObject) };
  return metadata ?? {};
}
