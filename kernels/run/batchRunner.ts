/**
 * Batches: many parameter sets of one notebook, each its own kernel and output, at most
 * `concurrency` at once (default: the number of cores). Also the grid expansion and the summary
 * table `quire run --batch` prints.
 */
import { availableParallelism } from 'node:os';
import { formatValue } from '../../src/parameterize/parameterizePath';
import type { ParameterValue, Parameters } from '../../src/parameterize/translators';

export function defaultConcurrency(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Runs `task` for every item with at most `limit` in flight; results keep the items' order.
 * A task that throws does not stop the others: its slot holds the error.
 */
export async function runWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<Array<{ ok: true; value: R } | { ok: false; error: unknown }>> {
  const results: Array<{ ok: true; value: R } | { ok: false; error: unknown }> = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { ok: true, value: await task(items[index], index) };
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}

/** Every combination of the axes' values, in order (the last axis varies fastest). */
export function expandGrid(axes: Record<string, readonly ParameterValue[]>): Parameters[] {
  let sets: Parameters[] = [{}];
  for (const [name, values] of Object.entries(axes)) {
    sets = sets.flatMap((set) => values.map((value) => ({ ...set, [name]: value })));
  }
  return sets;
}

export interface BatchSummaryRow {
  status: string;
  durationSec?: number;
  outputPath: string;
  parameters: Parameters;
  error?: string;
}

/** A plain-text table: one line per run, aligned columns. */
export function formatBatchSummary(rows: readonly BatchSummaryRow[]): string {
  const table = [['#', 'status', 'duration', 'output', 'parameters'], ...rows.map((row, i) => [
    String(i + 1),
    row.status,
    row.durationSec === undefined ? '-' : `${row.durationSec.toFixed(1)} s`,
    row.outputPath,
    Object.entries(row.parameters).map(([k, v]) => `${k}=${formatValue(v)}`).join(' ') + (row.error ? `  (${row.error})` : ''),
  ])];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const lines = table.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd());
  const failed = rows.filter((r) => r.status !== 'completed').length;
  lines.push('', `${rows.length - failed} of ${rows.length} runs completed${failed ? `, ${failed} did not` : ''}`);
  return lines.join('\n');
}
