/**
 * The in-window query engine over a `LocalTable`: filter, sort, page, and chart aggregation.
 * Its semantics are the protocol's; the Python helper (pythonHelper.ts) implements the same
 * operations with pandas for live frames.
 */
import type { ChartData, ChartDataRequest, GroupKey } from './charts';
import { formatCell } from './format';
import { binEnd, binIndex, binStart, makeBinning, quantileSorted, strideSample, type Binning } from './stats';
import type { CellValue, ColumnFilter, ExplorerColumn, LocalTable, SortKey, TableView } from './types';

const TYPE_RANK = { number: 0, boolean: 1, string: 2 } as const;

/** Orders cells: numbers, then booleans, then text (code-point order); missing handled by the caller. */
export function compareCells(a: Exclude<CellValue, null>, b: Exclude<CellValue, null>): number {
  const ta = typeof a as 'number' | 'boolean' | 'string';
  const tb = typeof b as 'number' | 'boolean' | 'string';
  if (ta !== tb) return TYPE_RANK[ta] - TYPE_RANK[tb];
  if (ta === 'number') {
    const x = a as number;
    const y = b as number;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compiles a filter into a row predicate. Throws with a readable message on a bad regex. */
export function compileFilter(filter: ColumnFilter, column: ExplorerColumn, values: readonly CellValue[]): (row: number) => boolean {
  switch (filter.op) {
    case 'missing':
      return (r) => (values[r] === null) === filter.missing;
    case 'range': {
      const min = filter.min ?? -Infinity;
      const max = filter.max ?? Infinity;
      return (r) => {
        const v = values[r];
        return typeof v === 'number' && !Number.isNaN(v) && v >= min && v <= max;
      };
    }
    case 'contains':
    case 'equals': {
      const cs = filter.caseSensitive === true;
      const needle = cs ? filter.value : filter.value.toLowerCase();
      const text = (r: number): string | undefined => {
        const v = values[r];
        if (v === null) return undefined;
        const t = typeof v === 'string' ? v : formatCell(v, column);
        return cs ? t : t.toLowerCase();
      };
      if (filter.op === 'contains') return (r) => text(r)?.includes(needle) ?? false;
      const asNumber = column.type === 'quantitative' && needle.trim() !== '' ? Number(needle) : NaN;
      if (!Number.isNaN(asNumber)) return (r) => values[r] === asNumber;
      return (r) => text(r) === needle;
    }
    case 'regex': {
      let re: RegExp;
      try {
        re = new RegExp(filter.value, filter.caseSensitive ? '' : 'i');
      } catch (error) {
        throw new Error(`Invalid regular expression /${filter.value}/: ${(error as Error).message}`, { cause: error });
      }
      return (r) => {
        const v = values[r];
        return v !== null && re.test(typeof v === 'string' ? v : formatCell(v, column));
      };
    }
  }
}

/** Row positions of the view (filtered, then stably sorted; missing values last in either direction). */
export function applyView(table: LocalTable, view: TableView): Uint32Array {
  let rows: number[] = [];
  const predicates = view.filters
    .filter((f) => table.columns[f.column])
    .map((f) => compileFilter(f, table.columns[f.column], table.data[f.column]));
  for (let r = 0; r < table.rowCount; r++) {
    let keep = true;
    for (const p of predicates) if (!p(r)) { keep = false; break; }
    if (keep) rows.push(r);
  }
  const keys = view.sort.filter((k) => table.columns[k.column]);
  if (keys.length > 0) rows = sortRows(table, rows, keys);
  return Uint32Array.from(rows);
}

function sortRows(table: LocalTable, rows: number[], keys: SortKey[]): number[] {
  const cols = keys.map((k) => ({ values: table.data[k.column], sign: k.descending ? -1 : 1 }));
  return rows.sort((a, b) => {
    for (const { values, sign } of cols) {
      const va = values[a];
      const vb = values[b];
      if (va === null || vb === null) {
        if (va === vb) continue;
        return va === null ? 1 : -1;
      }
      const c = compareCells(va, vb);
      if (c !== 0) return sign * c;
    }
    return a - b;
  });
}

/** Rows `[offset, offset + limit)` of a view as arrays of cells in column order. */
export function pageRows(table: LocalTable, indices: Uint32Array, offset: number, limit: number): CellValue[][] {
  const end = Math.min(indices.length, offset + limit);
  const out: CellValue[][] = [];
  for (let i = Math.max(0, offset); i < end; i++) {
    const r = indices[i];
    out.push(table.data.map((col) => col[r]));
  }
  return out;
}

const finiteNumber = (v: CellValue): v is number => typeof v === 'number' && Number.isFinite(v);

/** Resolves group keys into functions from row to key value (+ bin end), with top-N cuts. */
function resolveKeys(table: LocalTable, indices: Uint32Array, groups: readonly GroupKey[]) {
  const truncated: Record<string, number> = {};
  const binnedKeys: number[] = [];
  const keyFns = groups.map((g, gi) => {
    const values = table.data[g.column];
    let bins = g.bins;
    if (bins !== undefined && g.binAbove !== undefined) {
      const distinct = new Set<CellValue>();
      for (const r of indices) {
        const v = values[r];
        if (finiteNumber(v)) distinct.add(v);
        if (distinct.size > g.binAbove) break;
      }
      if (distinct.size <= g.binAbove) bins = undefined;
    }
    if (bins !== undefined) {
      let min = Infinity;
      let max = -Infinity;
      for (const r of indices) {
        const v = values[r];
        if (finiteNumber(v)) { if (v < min) min = v; if (v > max) max = v; }
      }
      binnedKeys.push(gi);
      if (min > max) return (): [CellValue, number] | undefined => undefined;
      const b: Binning = makeBinning(min, max, bins);
      return (r: number): [CellValue, number] | undefined => {
        const v = values[r];
        if (!finiteNumber(v)) return undefined;
        const i = binIndex(b, v);
        return [binStart(b, i), binEnd(b, i)];
      };
    }
    let allowed: Set<CellValue> | undefined;
    if (g.limit !== undefined) {
      const counts = new Map<CellValue, number>();
      for (const r of indices) {
        const v = values[r];
        if (v !== null && !(typeof v === 'number' && !Number.isFinite(v))) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      if (counts.size > g.limit) {
        truncated[String(gi)] = counts.size;
        allowed = new Set([...counts.entries()]
          .sort((a, b) => b[1] - a[1] || (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0))
          .slice(0, g.limit)
          .map((e) => e[0]));
      }
    }
    return (r: number): [CellValue, number] | undefined => {
      const v = values[r];
      // Infinities cannot sit on an axis: like missing values, they are left out of charts.
      if (v === null || (typeof v === 'number' && !Number.isFinite(v)) || (allowed && !allowed.has(v))) return undefined;
      return [v, NaN];
    };
  });
  return { keyFns, truncated, binnedKeys };
}

function aggregateValues(op: string, values: number[], count: number): number | null {
  if (op === 'count') return count;
  if (op === 'sum') return values.reduce((s, v) => s + v, 0);
  if (values.length === 0) return null;
  switch (op) {
    case 'mean': return values.reduce((s, v) => s + v, 0) / values.length;
    case 'min': return values.reduce((m, v) => (v < m ? v : m), Infinity);
    case 'max': return values.reduce((m, v) => (v > m ? v : m), -Infinity);
    case 'median': return quantileSorted(Float64Array.from(values).sort(), 0.5);
    default: return null;
  }
}

/** Answers a chart data request over the rows of a view. */
export function chartData(table: LocalTable, indices: Uint32Array, request: ChartDataRequest): ChartData {
  const totalRows = indices.length;
  if (request.kind === 'points') {
    const positions = strideSample(totalRows, request.limit);
    const rows = positions.map((p) => {
      const r = indices[p];
      const row: Record<string, CellValue> = {};
      request.columns.forEach((c, i) => { row[`c${i}`] = table.data[c][r]; });
      return row;
    });
    return { rows, totalRows, ...(positions.length < totalRows ? { sampled: { shown: positions.length, total: totalRows } } : {}) };
  }
  if (request.kind === 'box') {
    const groupKey = request.group ? resolveKeys(table, indices, [request.group]) : undefined;
    const byGroup = new Map<CellValue, number[]>();
    const values = table.data[request.column];
    for (const r of indices) {
      const v = values[r];
      if (!finiteNumber(v)) continue;
      let key: CellValue = null;
      if (groupKey) {
        const k = groupKey.keyFns[0](r);
        if (!k) continue;
        key = k[0];
      }
      let list = byGroup.get(key);
      if (!list) byGroup.set(key, (list = []));
      list.push(v);
    }
    const rows = [...byGroup.entries()].map(([group, list]) => ({ group, ...boxStats(list) }));
    return { rows: sortByKeys(rows, ['group']), totalRows, ...(groupKey && Object.keys(groupKey.truncated).length ? { truncated: groupKey.truncated } : {}) };
  }
  const { keyFns, truncated, binnedKeys } = resolveKeys(table, indices, request.groups);
  const measureValues = request.column !== undefined && request.column !== null ? table.data[request.column] : undefined;
  const groups = new Map<string, { keys: [CellValue, number][]; values: number[]; count: number }>();
  outer: for (const r of indices) {
    const keys: [CellValue, number][] = [];
    for (const fn of keyFns) {
      const k = fn(r);
      if (!k) continue outer;
      keys.push(k);
    }
    const id = keys.map((k) => `${typeof k[0]}:${String(k[0])}`).join('\u0000');
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { keys, values: [], count: 0 }));
    g.count++;
    if (measureValues) {
      const v = measureValues[r];
      if (finiteNumber(v)) g.values.push(v);
    }
  }
  const rows = [...groups.values()].map((g) => {
    const row: Record<string, CellValue> = {};
    g.keys.forEach(([v, end], i) => {
      row[`g${i}`] = v;
      if (binnedKeys.includes(i)) row[`g${i}_end`] = end;
    });
    row.value = aggregateValues(request.op, g.values, g.count);
    return row;
  });
  return {
    rows: sortByKeys(rows, request.groups.map((_, i) => `g${i}`)),
    totalRows,
    ...(binnedKeys.length ? { binnedKeys } : {}),
    ...(Object.keys(truncated).length ? { truncated } : {}),
  };
}

/** Five-number summary with 1.5×IQR whiskers. */
export function boxStats(list: number[]): Record<string, number> {
  const sorted = Float64Array.from(list).sort();
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  let lower = q1;
  let upper = q3;
  for (const v of sorted) if (v >= q1 - 1.5 * iqr) { lower = v; break; }
  for (let i = sorted.length - 1; i >= 0; i--) if (sorted[i] <= q3 + 1.5 * iqr) { upper = sorted[i]; break; }
  return { count: sorted.length, min: sorted[0], q1, median: quantileSorted(sorted, 0.5), q3, max: sorted[sorted.length - 1], lower, upper };
}

/** Sorts chart rows by their key fields so results are deterministic (and comparable to the kernel's). */
export function sortByKeys<T extends Record<string, CellValue>>(rows: T[], keys: string[]): T[] {
  return rows.sort((a, b) => {
    for (const k of keys) {
      const va = a[k];
      const vb = b[k];
      if (va === vb) continue;
      if (va === null || va === undefined) return 1;
      if (vb === null || vb === undefined) return -1;
      const c = compareCells(va, vb);
      if (c !== 0) return c;
    }
    return 0;
  });
}
