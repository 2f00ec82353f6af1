/** Display text for normalized cells, shared by the grid, filters and CSV export. */
import type { CellValue, ExplorerColumn } from './types';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Formats epoch ms as `YYYY-MM-DD HH:MM:SS[.mmm]` in UTC, or in `tz` when given. Midnight drops the time. */
export function formatTemporal(ms: number, tz?: string): string {
  if (!Number.isFinite(ms)) return String(ms);
  let parts: { y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number };
  const date = new Date(ms);
  if (tz && tz !== 'UTC') {
    try {
      const f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
      const get = (type: string): number => Number(f.formatToParts(date).find((p) => p.type === type)?.value ?? 0);
      parts = { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second'), ms: date.getUTCMilliseconds() };
    } catch {
      return formatTemporal(ms);
    }
  } else {
    parts = { y: date.getUTCFullYear(), mo: date.getUTCMonth() + 1, d: date.getUTCDate(), h: date.getUTCHours(), mi: date.getUTCMinutes(), s: date.getUTCSeconds(), ms: date.getUTCMilliseconds() };
  }
  const day = `${pad(parts.y, 4)}-${pad(parts.mo)}-${pad(parts.d)}`;
  if (!tz && parts.h === 0 && parts.mi === 0 && parts.s === 0 && parts.ms === 0) return day;
  const time = `${pad(parts.h)}:${pad(parts.mi)}:${pad(parts.s)}${parts.ms ? `.${pad(parts.ms, 3)}` : ''}`;
  return `${day} ${time}`;
}

/** Formats a number compactly but without losing integers: 1, 1.5, 0.3333333333, 1.2e+21, ∞. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '∞';
  if (n === -Infinity) return '-∞';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  return String(Number(n.toPrecision(10)));
}

/** The text a cell shows (untruncated). Missing cells are the empty string. */
export function formatCell(value: CellValue, column: Pick<ExplorerColumn, 'type' | 'tz'>): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    return column.type === 'temporal' ? formatTemporal(value, column.tz) : formatNumber(value);
  }
  return String(value);
}

/** Maximum characters a grid cell renders; the full text is in the title tooltip and the CSV. */
export const MAX_CELL_CHARS = 500;

export function truncateText(text: string, max = MAX_CELL_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Quotes a field for CSV (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Machine-friendly cell text for CSV: full precision numbers, ISO dates. */
export function csvCell(value: CellValue, column: Pick<ExplorerColumn, 'type'>): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (column.type === 'temporal') return Number.isFinite(value) ? new Date(value).toISOString() : '';
    return Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : value < 0 ? '-inf' : '';
  }
  return String(value);
}
