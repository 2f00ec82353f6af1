/** Per-column statistics over the rows of a view, computed in the window for local tables. */
import { binIndex, binStart, binEnd, makeBinning, quantileSorted } from './stats';
import type { CellValue, ColumnSummary, LocalTable } from './types';

export const SUMMARY_BINS = 20;
export const SUMMARY_TOP = 10;
/** Beyond this many distinct values, counting stops and `distinctApprox` is set. */
export const DISTINCT_CAP = 100_000;

/** Summarizes column `c` over the rows in `indices`. */
export function summarizeColumn(table: LocalTable, indices: Uint32Array, c: number): ColumnSummary {
  const column = table.columns[c];
  const values = table.data[c];
  const distinct = new Set<CellValue>();
  let missing = 0;
  let approx = false;
  const numbers: number[] = [];
  let infinite = 0;
  const counts = new Map<CellValue, number>();
  const numeric = column.type === 'quantitative' || column.type === 'temporal';
  for (const r of indices) {
    const v = values[r];
    if (v === null) { missing++; continue; }
    if (!approx) {
      distinct.add(v);
      if (distinct.size > DISTINCT_CAP) approx = true;
    }
    if (numeric) {
      if (typeof v === 'number') {
        if (Number.isFinite(v)) numbers.push(v);
        else infinite++;
      }
    } else {
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  }
  const summary: ColumnSummary = {
    column: c,
    type: column.type,
    count: indices.length - missing,
    missing,
    distinct: distinct.size,
    ...(approx ? { distinctApprox: true } : {}),
  };
  if (numeric) {
    const sorted = Float64Array.from(numbers).sort();
    const n = sorted.length;
    if (infinite) summary.infinite = infinite;
    if (n > 0) {
      let sum = 0;
      for (const v of sorted) sum += v;
      const mean = sum / n;
      let sq = 0;
      for (const v of sorted) sq += (v - mean) * (v - mean);
      summary.min = sorted[0];
      summary.max = sorted[n - 1];
      summary.mean = mean;
      summary.std = n > 1 ? Math.sqrt(sq / (n - 1)) : null;
      summary.quantiles = [quantileSorted(sorted, 0.25), quantileSorted(sorted, 0.5), quantileSorted(sorted, 0.75)];
      const b = makeBinning(sorted[0], sorted[n - 1], SUMMARY_BINS);
      const hist = new Array<number>(b.bins).fill(0);
      for (const v of sorted) hist[binIndex(b, v)]++;
      summary.histogram = hist.map((count, i) => ({ start: binStart(b, i), end: binEnd(b, i), count }));
    }
  } else {
    summary.top = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (String(a[0]) < String(b[0]) ? -1 : 1))
      .slice(0, SUMMARY_TOP)
      .map(([value, count]) => ({ value: String(value), count }));
    if (column.type === 'nominal') {
      let min: string | undefined;
      let max: string | undefined;
      for (const v of counts.keys()) {
        const s = String(v);
        if (min === undefined || s < min) min = s;
        if (max === undefined || s > max) max = s;
      }
      if (min !== undefined) { summary.min = min; summary.max = max; }
    }
  }
  return summary;
}

/** Summaries of every column. */
export function summarizeTable(table: LocalTable, indices: Uint32Array): ColumnSummary[] {
  return table.columns.map((c) => summarizeColumn(table, indices, c.index));
}
