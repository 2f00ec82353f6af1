// Data explorer speed: a 1,000,000 x 10 pandas frame explored live through a real ipykernel
// (pages, sorts, filters, aggregates, summary), the window-side cost of each answer (what would
// block the UI thread), and the time to open the explorer on a 60-row output.
// Writes bench-results/explorer.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, toArray } from 'rxjs';
import { KernelManager } from '../kernels/kernelManager';
import { browserBench, type BrowserRow } from './explorerBrowser';
import { requirePython3Spec } from '../kernels/testing/realKernel';
import { chartDataRequest, type ChartDataRequest, type ChartState } from '../src/explorer/charts';
import { buildColumns, DATA_RESOURCE_MIME, parseDataResource } from '../src/explorer/dataresource';
import { normalizeCell } from '../src/explorer/inferType';
import { applyView, chartData, pageRows } from '../src/explorer/localEngine';
import { queryKernel, runExplorerStartup, type ExplorerRequest, type ExplorerResultMap } from '../src/explorer/protocol';
import { buildChartSpec } from '../src/explorer/specs';
import { suggestChart } from '../src/explorer/suggest';
import { summarizeTable } from '../src/explorer/summary';
import type { ColumnType, TableView } from '../src/explorer/types';
import { frameIdOf } from '../src/explorer/viewState';
import type { KernelClient } from '../src/jupyter/kernelClient';
import type { JsonObject } from '../src/jupyter/messages';

interface Row { name: string; ms: number; windowMs?: number; targetMs?: number; note?: string }
const results: Row[] = [];
const now = () => performance.now();

const MAKE = `
import numpy as np, pandas as pd
rng = np.random.default_rng(1)
n = 1_000_000
df = pd.DataFrame({
    'id': np.arange(n),
    'value': rng.normal(0, 1, n),
    'amount': rng.exponential(100, n).round(2),
    'count': rng.integers(0, 500, n),
    'category': rng.choice([f'cat_{i}' for i in range(20)], n),
    'city': rng.choice(['Oslo', 'Lima', 'Kyoto', 'Accra', 'Quito', 'Perth', 'Sofia', 'Hanoi'], n),
    'when': pd.Timestamp('2020-01-01') + pd.to_timedelta(rng.integers(0, 4 * 365 * 86400, n), unit='s'),
    'flag': rng.random(n) < 0.3,
    'score': rng.random(n) * 100,
    'label': pd.Series(rng.integers(0, 100000, n)).map(lambda i: f'item-{i:05d}'),
})
df.loc[::50, 'value'] = np.nan
`;

async function main(): Promise<void> {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'quire-bench-explorer-'));
  const manager = new KernelManager({ runtimeDir, handleSignals: false });
  try {
    const session = await manager.startKernel({ specName: 'python3', spec: await requirePython3Spec() });
    const client: KernelClient = session.client;
    await runExplorerStartup(client, { tableSchema: true });
    const made = await firstValueFrom(client.execute(MAKE).pipe(toArray()));
    if (made.some((m) => m.header.msg_type === 'error')) throw new Error('could not build the frame');
    const shown = await firstValueFrom(client.execute('df').pipe(toArray()));
    const result = shown.find((m) => m.header.msg_type === 'execute_result')!.content as { data: Record<string, unknown>; metadata: JsonObject };
    const frame = frameIdOf(result.metadata)!;
    const local = parseDataResource(result.data[DATA_RESOURCE_MIME]);

    // Yardstick for this machine (2 shared cores): numpy sorting 1M floats in the same kernel; ~60 ms on an idle core.
    const yard = await firstValueFrom(client.execute("import time as _t\n_s = _t.perf_counter(); np.sort(np.random.random(1_000_000)); print((_t.perf_counter() - _s) * 1000)").pipe(toArray()));
    const yardMs = Number((yard.find((m) => m.header.msg_type === 'stream')?.content as { text?: string } | undefined)?.text ?? NaN);
    results.push({ name: 'yardstick: numpy sort of 1M floats (machine speed)', ms: yardMs, note: `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}` });

    // Open live: info (shape + sample) then the first page.
    const t = now();
    const info = await queryKernel(client, { op: 'info', frame, sample: 2000 });
    const columns = buildColumns(info.fields, info.sample, info.primaryKey);
    const types: ColumnType[] = columns.map((c) => c.type);
    results.push({ name: 'open live explorer (info + types)', ms: now() - t, targetMs: 1000 });
    const col = (name: string) => columns.findIndex((c) => c.name === name);

    /** Times one query; windowMs = the window-side work on the answer (JSON already parsed + normalize/spec). */
    async function q<K extends ExplorerRequest['op']>(name: string, request: Extract<ExplorerRequest, { op: K }>, target: number, post?: (r: ExplorerResultMap[K]) => void): Promise<ExplorerResultMap[K]> {
      const start = now();
      const r = await queryKernel<K>(client, request);
      const total = now() - start;
      const w = now();
      post?.(r);
      results.push({ name, ms: total, windowMs: now() - w, targetMs: target });
      return r;
    }
    const normalize = (r: ExplorerResultMap['rows']) => r.rows.map((row) => row.map((v, c) => normalizeCell(v, types[c])));
    const none: TableView = { filters: [], sort: [] };
    const page = (name: string, view: TableView, offset: number) =>
      q(name, { op: 'rows', frame, types, view, offset, limit: 100 }, 1000, normalize);

    await page('first page (100 rows)', none, 0);
    for (const offset of [250_000, 612_345, 999_900]) await page(`scroll: page at row ${offset.toLocaleString('en-US')}`, none, offset);
    await page('sort by value (float) + first page', { filters: [], sort: [{ column: col('value'), descending: false }] }, 0);
    await page('  next page of the same sort (cached order)', { filters: [], sort: [{ column: col('value'), descending: false }] }, 500_000);
    await page('sort by label (text, 100k distinct) + first page', { filters: [], sort: [{ column: col('label'), descending: true }] }, 0);
    await page('sort by city, then amount desc + first page', { filters: [], sort: [{ column: col('city'), descending: false }, { column: col('amount'), descending: true }] }, 0);
    await page('filter label contains "12" + first page', { filters: [{ column: col('label'), op: 'contains', value: '12' }], sort: [] }, 0);
    await page('filter label regex ^item-0[0-4] + first page', { filters: [{ column: col('label'), op: 'regex', value: '^item-0[0-4]' }], sort: [] }, 0);
    await page('filter amount range 50..150 + sort score', { filters: [{ column: col('amount'), op: 'range', min: 50, max: 150 }], sort: [{ column: col('score'), descending: true }] }, 0);
    await page('filter when range (2021) + city equals', { filters: [{ column: col('when'), op: 'range', min: Date.UTC(2021, 0, 1), max: Date.UTC(2021, 11, 31) }, { column: col('city'), op: 'equals', value: 'oslo' }], sort: [] }, 0);

    const charts: [string, ChartState][] = [
      ['chart: bar mean(amount) by category', { mark: 'bar', x: col('category'), y: col('amount'), aggregate: 'mean' }],
      ['chart: histogram of value (30 bins)', { mark: 'histogram', x: col('value'), aggregate: 'count' }],
      ['chart: line median(score) over time (binned)', { mark: 'line', x: col('when'), y: col('score'), color: col('city'), aggregate: 'median' }],
      ['chart: heatmap value x score (40x40 bins)', { mark: 'heatmap', x: col('value'), y: col('score'), aggregate: 'count' }],
      ['chart: box plot amount by city', { mark: 'boxplot', x: col('city'), y: col('amount'), aggregate: 'count' }],
      ['chart: scatter sampled (3,000 of 1M)', { mark: 'scatter', x: col('value'), y: col('amount'), color: col('city'), aggregate: 'count' }],
    ];
    for (const [name, state] of charts) {
      const request = chartDataRequest(state, columns) as ChartDataRequest;
      await q(name, { op: 'chart', frame, types, view: none, chart: request }, 1000, (data) => buildChartSpec(state, columns, request, data));
    }
    await q('summary of all 11 columns', { op: 'summary', frame, types, view: none }, undefined as unknown as number);

    // Opening the explorer on the 60-row output, all in the window.
    const resource = result.data[DATA_RESOURCE_MIME];
    const open = () => {
      const table = parseDataResource(resource);
      const indices = applyView(table, none);
      pageRows(table, indices, 0, 100);
      const state = suggestChart(table.columns, table.rowCount);
      const request = chartDataRequest(state, table.columns) as ChartDataRequest;
      buildChartSpec(state, table.columns, request, chartData(table, indices, request));
      summarizeTable(table, indices);
    };
    open();
    const samples = Array.from({ length: 20 }, () => { const s = now(); open(); return now() - s; }).sort((a, b) => a - b);
    results.push({ name: `open explorer on the ${local.rowCount}-row output (parse, grid page, summary, chart spec)`, ms: samples[10], windowMs: samples[10], targetMs: 100 });

    // Local engine on a big local table (a non-Python producer that ships every row).
    const big = { ...local, rowCount: 100_000, data: local.data.map((c) => Array.from({ length: 100_000 }, (_, i) => c[i % c.length])) };
    for (const [name, view] of [['local 100k rows: sort by value', { filters: [], sort: [{ column: col('value'), descending: false }] }], ['local 100k rows: filter label contains', { filters: [{ column: col('label'), op: 'contains', value: '12' }], sort: [] }]] as [string, TableView][]) {
      const s = now();
      applyView(big, view);
      const ms = now() - s;
      results.push({ name, ms, windowMs: ms, targetMs: 100, note: 'synchronous in the window' });
    }
  } finally {
    manager.dispose();
    rmSync(runtimeDir, { recursive: true, force: true });
  }
  const ui: BrowserRow[] = process.env.QUIRE_BENCH_NO_BROWSER ? [] : await browserBench(MAKE);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/explorer.json', JSON.stringify({ frame: '1,000,000 rows x 10 columns (+ index)', results, ui }, null, 2));
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`${pad('explorer (1,000,000 x 10, real ipykernel)', 66)} ${'total ms'.padStart(9)} ${'window ms'.padStart(9)}  target`);
  for (const r of results) {
    const ok = r.targetMs === undefined ? '' : r.ms <= r.targetMs ? `<= ${r.targetMs} ok` : `> ${r.targetMs} SLOW`;
    console.log(`${pad(r.name, 66)} ${r.ms.toFixed(1).padStart(9)} ${(r.windowMs ?? 0).toFixed(2).padStart(9)}  ${ok}`);
  }
  if (ui.length) console.log(`\n${pad('in the app (quire serve + Chromium)', 66)} ${'ms'.padStart(9)} ${'longest task'.padStart(12)}`);
  for (const r of ui) {
    const ok = r.targetMs === undefined ? '' : r.ms <= r.targetMs ? `<= ${r.targetMs} ok` : `> ${r.targetMs} SLOW`;
    console.log(`${pad(r.name, 66)} ${r.ms.toFixed(1).padStart(9)} ${r.longestTaskMs.toFixed(0).padStart(12)}  ${ok}${r.note ? `  (${r.note})` : ''}`);
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
