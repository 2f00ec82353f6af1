/**
 * Core data types of the data explorer, shared by the local (in-window) engine, the kernel
 * protocol and the renderer. Everything here is plain JSON-compatible data.
 */

/**
 * How the explorer treats a column. `quantitative`, `temporal` and `nominal` map to vega-lite's
 * measurement types; `boolean` charts as nominal; `nested` (objects/arrays) is shown as JSON text
 * and never charted as a number.
 */
export type ColumnType = 'quantitative' | 'temporal' | 'nominal' | 'boolean' | 'nested';

/**
 * A normalized cell: numbers for quantitative (NaN/±Infinity kept as numbers), epoch milliseconds
 * for temporal, strings for nominal and nested (JSON text), booleans, and null for missing.
 */
export type CellValue = string | number | boolean | null;

/** One column as the explorer sees it. Columns are addressed by position, never by name. */
export interface ExplorerColumn {
  /** Position in the table (0-based); stable for the life of the table. */
  index: number;
  /** The name from the schema (may repeat, may be empty). */
  name: string;
  /** A unique, non-empty label for headers and charts (`a`, `a (2)`, …). */
  label: string;
  type: ColumnType;
  /** The type the schema declared (`integer`, `number`, `string`, `datetime`, …), if any. */
  declaredType?: string;
  /** Time zone of a tz-aware datetime column (from the schema's `tz`). */
  tz?: string;
  /** True for columns that came from the frame's index. */
  isIndex?: boolean;
  /** Why the inferred type differs from the declared one, or other caveats. */
  note?: string;
}

/** A table held in the window: column-major normalized values. */
export interface LocalTable {
  columns: ExplorerColumn[];
  /** `data[columnIndex][rowIndex]`. */
  data: CellValue[][];
  rowCount: number;
  /** Things the user should know about the input (duplicate names, bad rows, …). */
  warnings: string[];
}

/** Per-column filters. Ranges take numbers (temporal: epoch ms); bounds are inclusive. */
export type ColumnFilter =
  | { column: number; op: 'contains'; value: string; caseSensitive?: boolean }
  | { column: number; op: 'equals'; value: string; caseSensitive?: boolean }
  | { column: number; op: 'regex'; value: string; caseSensitive?: boolean }
  | { column: number; op: 'range'; min?: number | null; max?: number | null }
  | { column: number; op: 'missing'; missing: boolean };

export interface SortKey {
  column: number;
  descending: boolean;
}

/** The rows the grid, summary, charts and CSV export work on: filtered, then sorted. */
export interface TableView {
  filters: ColumnFilter[];
  sort: SortKey[];
}

/** Statistics of one column over the current view. */
export interface ColumnSummary {
  column: number;
  type: ColumnType;
  count: number;
  missing: number;
  distinct: number;
  /** True when `distinct` is a lower bound (too many values to count exactly). */
  distinctApprox?: boolean;
  min?: number | string | null;
  max?: number | string | null;
  mean?: number | null;
  std?: number | null;
  /** 25th, 50th, 75th percentiles (linear interpolation, as pandas). */
  quantiles?: [number, number, number] | null;
  /** Count of ±Infinity values, excluded from mean/quantiles/histogram. */
  infinite?: number;
  /** Equal-width bins for quantitative/temporal columns. */
  histogram?: { start: number; end: number; count: number }[];
  /** Most frequent values for nominal/boolean columns. */
  top?: { value: string; count: number }[];
}

/** Human-readable column type. */
export function columnTypeLabel(type: ColumnType): string {
  switch (type) {
    case 'quantitative': return 'number';
    case 'temporal': return 'date/time';
    case 'nominal': return 'text';
    case 'boolean': return 'boolean';
    case 'nested': return 'object';
  }
}
