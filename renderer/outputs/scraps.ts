/**
 * Reading recorded values (scrapbook `sb.glue` scraps and legacy papermill `pm.record` records) out
 * of a notebook's outputs, in scrapbook's way: walk cells and outputs in order, a later scrap of the
 * same name replaces the earlier value but keeps its position.
 */
import type { JsonObject, JsonValue } from '../../src/jupyter/messages';
import type { Notebook } from '../../src/jupyter/nbformat';
import { mimeJson, scrapEncoder } from './mimeBundle';

/** One recorded value. */
export interface Scrap {
  name: string;
  /** scrapbook encoder (`json`, `text`, `pandas`, `display`, ...); `json` for papermill records. */
  encoder: string;
  /** The stored payload (for `pandas`, scrapbook's base64 parquet string). */
  data: JsonValue;
  /** Where it came from. */
  source: 'scrapbook' | 'papermill';
  cellIndex: number;
  cellId?: string;
  outputIndex: number;
}

const PAPERMILL_RECORD = 'application/papermill.record';

/** All scraps of a notebook, ordered by first appearance; later values win. */
export function collectScraps(notebook: Pick<Notebook, 'cells'>): Scrap[] {
  const byName = new Map<string, Scrap>();
  notebook.cells.forEach((cell, cellIndex) => {
    if (cell.cell_type !== 'code') return;
    (cell.outputs ?? []).forEach((output, outputIndex) => {
      if (output.output_type !== 'display_data' && output.output_type !== 'execute_result') return;
      for (const [mime, raw] of Object.entries(output.data)) {
        const where = { cellIndex, outputIndex, ...(cell.id ? { cellId: cell.id } : {}) };
        const encoder = scrapEncoder(mime);
        if (encoder !== undefined) {
          const payload = mimeJson(raw);
          if (!payload || typeof payload !== 'object' || Array.isArray(payload)) continue;
          const p = payload as JsonObject;
          const name = typeof p.name === 'string' ? p.name : '';
          if (!name) continue;
          byName.set(name, { name, encoder: typeof p.encoder === 'string' ? p.encoder : encoder, data: p.data ?? null, source: 'scrapbook', ...where });
        } else if (mime.startsWith(PAPERMILL_RECORD)) {
          // pm.record(name, value) displayed {name: value} under application/papermill.record+json.
          const payload = mimeJson(raw);
          if (!payload || typeof payload !== 'object' || Array.isArray(payload)) continue;
          for (const [name, data] of Object.entries(payload as JsonObject)) {
            byName.set(name, { name, encoder: 'json', data, source: 'papermill', ...where });
          }
        }
      }
    });
  });
  return [...byName.values()];
}

/** A one-line preview of a scrap's value, at most `maxChars` characters. */
export function scrapPreview(scrap: Scrap, maxChars = 120): string {
  let text: string;
  if (scrap.encoder === 'pandas' && typeof scrap.data === 'string') {
    text = `DataFrame (parquet, ${Math.round((scrap.data.length * 3) / 4).toLocaleString('en-US')} bytes)`;
  } else if (scrap.encoder === 'display' && scrap.data && typeof scrap.data === 'object' && !Array.isArray(scrap.data)) {
    const bundle = ((scrap.data as JsonObject).data ?? scrap.data) as JsonObject;
    const plain = bundle['text/plain'];
    text = plain !== undefined ? (Array.isArray(plain) ? plain.join('') : String(plain)) : `display: ${Object.keys(bundle).join(', ')}`;
  } else if (typeof scrap.data === 'string') {
    text = scrap.data;
  } else {
    text = JSON.stringify(scrap.data);
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}
