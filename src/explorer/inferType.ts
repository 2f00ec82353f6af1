/**
 * Column type inference and cell normalization. The schema's declared type is a hint, not a
 * promise: a column is only treated as numbers/dates when most of its values really are, and
 * the column carries a note when the schema and the values disagree.
 */
import type { CellValue, ColumnType } from './types';

/** Share of non-missing values that must fit a type for the column to get that type. */
export const TYPE_MAJORITY = 0.9;
/** Values inspected per column when inferring (evenly spaced over the column). */
export const INFERENCE_SAMPLE = 20_000;

type ValueClass = 'number' | 'boolean' | 'date' | 'object' | 'string';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/;
const NUMERIC_WORDS: Record<string, number> = {
  nan: NaN, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity, inf: Infinity, '+inf': Infinity, '-inf': -Infinity,
};

/** Parses a number from a JSON number or a numeric string (`"1.5"`, `"NaN"`, `"-Infinity"`). */
export function parseNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const word = NUMERIC_WORDS[text.toLowerCase()];
  if (word !== undefined) return word;
  const n = Number(text);
  return Number.isNaN(n) ? undefined : n;
}

/**
 * Parses an ISO-8601-like date string to epoch milliseconds. Strings without a zone are read as
 * UTC (pandas writes naive datetimes that way), never as the machine's local time.
 */
export function parseTemporal(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!ISO_DATE.test(text)) return undefined;
  let iso = text.replace(' ', 'T');
  if (iso.length === 10) iso += 'T00:00:00Z';
  else if (!HAS_ZONE.test(iso)) iso += 'Z';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

function classify(value: unknown): ValueClass {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'object') return 'object';
  const text = String(value);
  if (text.trim().toLowerCase() in NUMERIC_WORDS) return 'number';
  if (ISO_DATE.test(text.trim())) return 'date';
  return 'string';
}

/** True for null/undefined: the values a column counts as missing before normalization. */
export function isMissingRaw(value: unknown): boolean {
  return value === null || value === undefined;
}

export interface InferredType {
  type: ColumnType;
  note?: string;
}

/** Maps a Table Schema type to the explorer type it promises. */
export function declaredColumnType(declared: string | undefined): ColumnType | undefined {
  switch (declared) {
    case 'integer': case 'number': return 'quantitative';
    case 'datetime': case 'date': return 'temporal';
    case 'boolean': return 'boolean';
    case 'object': case 'array': return 'nested';
    case 'string': case 'duration': case 'time': case 'year': case 'yearmonth': return 'nominal';
    default: return undefined;
  }
}

const CLASS_TO_TYPE: Record<ValueClass, ColumnType> = {
  number: 'quantitative', boolean: 'boolean', date: 'temporal', object: 'nested', string: 'nominal',
};

function describeMix(counts: Record<ValueClass, number>, total: number): string {
  const names: Record<ValueClass, string> = { number: 'numbers', boolean: 'booleans', date: 'dates', object: 'objects', string: 'text' };
  return (Object.keys(counts) as ValueClass[])
    .filter((k) => counts[k] > 0)
    .sort((a, b) => counts[b] - counts[a])
    .map((k) => `${Math.round((100 * counts[k]) / total)}% ${names[k]}`)
    .join(', ');
}

/**
 * Decides a column's type from its raw values and the declared schema type. Declared `string`
 * columns stay text even when they look numeric (zip codes), unless every value is a real JSON
 * number; declared numbers/dates/booleans must be backed by a majority of fitting values.
 */
export function inferColumnType(values: readonly unknown[], declared?: string): InferredType {
  const counts: Record<ValueClass, number> = { number: 0, boolean: 0, date: 0, object: 0, string: 0 };
  let jsonNumbers = 0;
  let seen = 0;
  const step = Math.max(1, Math.floor(values.length / INFERENCE_SAMPLE));
  for (let i = 0; i < values.length; i += step) {
    const v = values[i];
    if (isMissingRaw(v)) continue;
    seen++;
    counts[classify(v)]++;
    if (typeof v === 'number') jsonNumbers++;
  }
  const promised = declaredColumnType(declared);
  if (seen === 0) return { type: promised ?? 'nominal' };
  const share = (c: ValueClass): number => counts[c] / seen;
  const fits = (t: ColumnType): boolean => {
    switch (t) {
      case 'quantitative': return share('number') >= TYPE_MAJORITY;
      case 'temporal': return share('date') + (jsonNumbers / seen) >= TYPE_MAJORITY;
      case 'boolean': return share('boolean') >= TYPE_MAJORITY;
      case 'nested': return share('object') >= TYPE_MAJORITY;
      case 'nominal': return true;
    }
  };
  if (promised === 'nominal') {
    if (jsonNumbers === seen && declared === 'string') {
      return { type: 'quantitative', note: 'The schema says text, but every value is a number.' };
    }
    if (share('object') >= 0.5) return { type: 'nested' };
    return { type: 'nominal' };
  }
  if (promised && fits(promised)) return { type: promised };
  // No usable declaration, or the declaration lies: go by the values.
  const dominant = (Object.keys(counts) as ValueClass[]).reduce((a, b) => (counts[b] > counts[a] ? b : a));
  const byValues: ColumnType = share(dominant) >= TYPE_MAJORITY ? CLASS_TO_TYPE[dominant] : 'nominal';
  if (promised) {
    return { type: byValues, note: `The schema says ${declared}, but the values are ${describeMix(counts, seen)}.` };
  }
  if (byValues === 'nominal' && dominant !== 'string') {
    return { type: 'nominal', note: `Mixed types: ${describeMix(counts, seen)}.` };
  }
  return { type: byValues };
}

/** Converts one raw JSON value to the normalized cell for a column of `type`. */
export function normalizeCell(raw: unknown, type: ColumnType): CellValue {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case 'quantitative': {
      if (typeof raw === 'boolean') return raw ? 1 : 0;
      const n = parseNumber(raw);
      if (n === undefined) return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
      return Number.isNaN(n) ? null : n;
    }
    case 'temporal': {
      const ms = parseTemporal(raw);
      if (ms !== undefined) return ms;
      return typeof raw === 'object' ? JSON.stringify(raw) : typeof raw === 'number' ? null : String(raw);
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'True') return true;
      if (raw === 'false' || raw === 'False') return false;
      return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
    case 'nested':
      return typeof raw === 'object' ? JSON.stringify(raw) : (raw as CellValue);
    case 'nominal':
      if (typeof raw === 'object') return JSON.stringify(raw);
      if (typeof raw === 'number' && Number.isNaN(raw)) return null;
      return raw as CellValue;
  }
}
