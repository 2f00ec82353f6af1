/**
 * Parsing `application/vnd.dataresource+json` (Frictionless Table Schema + rows, as pandas emits
 * with `display.html.table_schema`) into a normalized, column-major `LocalTable`. Tolerant by
 * design: missing or partial schemas, array rows, duplicate names, junk rows and lying types
 * all produce a usable table plus warnings rather than an exception.
 */
import { inferColumnType, normalizeCell } from './inferType';
import type { CellValue, ExplorerColumn, LocalTable } from './types';

/** The MIME type the explorer attaches to. */
export const DATA_RESOURCE_MIME = 'application/vnd.dataresource+json';

/** Thrown when the value is not a table at all (not an object, no rows). */
export class DataResourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataResourceError';
  }
}

/** A field as read from the schema (loosely: producers vary). */
export interface SchemaField {
  name: string;
  type?: string;
  tz?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the schema's fields, tolerating names that are numbers, nulls or absent. */
export function readSchemaFields(resource: Record<string, unknown>): { fields: SchemaField[]; primaryKey: string[] } | undefined {
  const schema = resource.schema;
  if (!isRecord(schema) || !Array.isArray(schema.fields)) return undefined;
  const fields = schema.fields.map((f, i): SchemaField => {
    if (!isRecord(f)) return { name: String(f ?? `column ${i + 1}`) };
    return {
      name: f.name === undefined || f.name === null ? '' : String(f.name),
      type: typeof f.type === 'string' ? f.type : undefined,
      tz: typeof f.tz === 'string' ? f.tz : undefined,
    };
  });
  const pk = schema.primaryKey;
  const primaryKey = Array.isArray(pk) ? pk.map(String) : typeof pk === 'string' ? [pk] : [];
  return { fields, primaryKey };
}

/** Makes unique, non-empty labels: `a`, `a (2)`, `(column 3)`. */
export function uniqueLabels(names: readonly string[]): string[] {
  const used = new Map<string, number>();
  return names.map((name, i) => {
    const base = name === '' ? `(column ${i + 1})` : name;
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/**
 * Builds `ExplorerColumn`s (with inferred types) from schema fields and the raw values of each
 * column. Shared by the local parser and the kernel source, which gets the same schema.
 */
export function buildColumns(fields: readonly SchemaField[], rawColumns: readonly (readonly unknown[])[], primaryKey: readonly string[] = []): ExplorerColumn[] {
  const labels = uniqueLabels(fields.map((f) => f.name));
  return fields.map((field, index) => {
    const inferred = inferColumnType(rawColumns[index] ?? [], field.type);
    const column: ExplorerColumn = { index, name: field.name, label: labels[index], type: inferred.type };
    if (field.type) column.declaredType = field.type;
    if (field.tz) column.tz = field.tz;
    if (primaryKey.includes(field.name)) column.isIndex = true;
    if (inferred.note) column.note = inferred.note;
    return column;
  });
}

/** Parses a data resource into a normalized local table. Throws `DataResourceError` only when there is no table. */
export function parseDataResource(resource: unknown): LocalTable {
  let value = resource;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new DataResourceError('The data resource is text that is not JSON.');
    }
  }
  if (!isRecord(value)) throw new DataResourceError('The data resource is not a JSON object.');
  const rows = value.data;
  if (!Array.isArray(rows)) throw new DataResourceError('The data resource has no "data" array of rows.');
  const warnings: string[] = [];
  const schema = readSchemaFields(value);
  let fields: SchemaField[];
  if (schema) {
    fields = schema.fields;
  } else {
    fields = fieldsFromRows(rows);
    warnings.push('The data resource has no schema; columns and types were inferred from the rows.');
  }
  const names = fields.map((f) => f.name);
  const duplicates = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (duplicates.length > 0 && rows.some(isRecord)) {
    warnings.push(`Duplicate column name${duplicates.length > 1 ? 's' : ''} ${duplicates.map((d) => `"${d}"`).join(', ')}: ` +
      'rows keyed by name keep one value per name, so the duplicates show the same values here.');
  }
  const raw: unknown[][] = fields.map(() => new Array<unknown>());
  let skipped = 0;
  for (const row of rows) {
    if (Array.isArray(row)) {
      for (let c = 0; c < fields.length; c++) raw[c].push(row[c] ?? null);
    } else if (isRecord(row)) {
      for (let c = 0; c < fields.length; c++) raw[c].push(row[fields[c].name] ?? null);
    } else {
      skipped++;
    }
  }
  if (skipped > 0) warnings.push(`${skipped} row${skipped > 1 ? 's were' : ' was'} not an object or array and ${skipped > 1 ? 'were' : 'was'} skipped.`);
  const columns = buildColumns(fields, raw, schema?.primaryKey);
  const data: CellValue[][] = columns.map((col) => raw[col.index].map((v) => normalizeCell(v, col.type)));
  return { columns, data, rowCount: rows.length - skipped, warnings };
}

function fieldsFromRows(rows: readonly unknown[]): SchemaField[] {
  const names: string[] = [];
  const seen = new Set<string>();
  let width = 0;
  for (const row of rows.slice(0, 1000)) {
    if (Array.isArray(row)) width = Math.max(width, row.length);
    else if (isRecord(row)) {
      for (const key of Object.keys(row)) {
        if (!seen.has(key)) {
          seen.add(key);
          names.push(key);
        }
      }
    }
  }
  if (names.length > 0) return names.map((name) => ({ name }));
  return Array.from({ length: width }, (_, i) => ({ name: `column ${i + 1}` }));
}
