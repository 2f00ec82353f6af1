/**
 * The explorer's kernel protocol against a real ipykernel + pandas: paging, sorting, filtering,
 * summaries and chart aggregates, each checked against pandas' own answer computed in the same
 * kernel; plus the fallback when the frame is gone, and local-engine/kernel agreement.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartDataRequest, type ChartDataRequest, type ChartState } from '../src/explorer/charts';
import { buildColumns, DATA_RESOURCE_MIME, parseDataResource } from '../src/explorer/dataresource';
import { normalizeCell } from '../src/explorer/inferType';
import { applyView, chartData } from '../src/explorer/localEngine';
import { ExplorerQueryError, queryKernel, runExplorerStartup } from '../src/explorer/protocol';
import type { ColumnType, ExplorerColumn, LocalTable, TableView } from '../src/explorer/types';
import { frameIdOf } from '../src/explorer/viewState';
import type { JsonObject } from '../src/jupyter/messages';
import type { KernelClient } from '../src/jupyter/kernelClient';
import { KernelManager } from './kernelManager';
import { requirePython3Spec, run } from './testing/realKernel';

/** Runs code whose stdout is one JSON document; fails on an error reply. */
async function pyJson<T>(client: KernelClient, code: string): Promise<T> {
  const messages = await run(client, code);
  const error = messages.find((m) => m.header.msg_type === 'error');
  if (error) throw new Error(`Python failed: ${JSON.stringify(error.content)}`);
  const out = messages
    .filter((m) => m.header.msg_type === 'stream' && (m.content as { name: string }).name === 'stdout')
    .map((m) => (m.content as { text: string }).text).join('');
  return JSON.parse(out) as T;
}

/** Displays `expr` and returns the data resource + output metadata. */
async function display(client: KernelClient, code: string): Promise<{ resource: unknown; metadata: JsonObject }> {
  const messages = await run(client, code);
  const out = messages.find((m) => m.header.msg_type === 'execute_result' || m.header.msg_type === 'display_data');
  if (!out) throw new Error(`No display output: ${JSON.stringify(messages.map((m) => m.content))}`);
  const content = out.content as { data: Record<string, unknown>; metadata: JsonObject };
  return { resource: content.data[DATA_RESOURCE_MIME], metadata: content.metadata };
}

/** Rounds every number to 10 significant digits: summation order differs between numpy and JS. */
const approx = (value: unknown): unknown => JSON.parse(JSON.stringify(value), (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v));

const N = 200_000;
const MAKE_FRAME = `
import numpy as np, pandas as pd
rng = np.random.default_rng(7)
n = ${N}
big = pd.DataFrame({
    'num': rng.normal(100, 15, n).round(3),
    'int': rng.integers(0, 1000, n),
    'cat': rng.choice(['alpha', 'beta', 'gamma', 'delta', 'Beta2'], n),
    'when': pd.Timestamp('2021-01-01', tz='UTC') + pd.to_timedelta(rng.integers(0, 365 * 24 * 3600, n), unit='s'),
    'flag': rng.random(n) > 0.5,
})
big.loc[big.index % 97 == 0, 'num'] = np.nan
big.loc[big.index % 89 == 0, 'cat'] = None
`;

describe('explorer protocol with a real pandas kernel', () => {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'quire-explorer-'));
  let manager: KernelManager;
  let client: KernelClient;
  let frame: string;
  let columns: ExplorerColumn[];
  let types: ColumnType[];
  const col = (name: string): number => columns.findIndex((c) => c.name === name);

  beforeAll(async () => {
    const spec = await requirePython3Spec();
    manager = new KernelManager({ runtimeDir, handleSignals: false });
    const session = await manager.startKernel({ specName: 'python3', spec });
    client = session.client;
    expect(await runExplorerStartup(client, { tableSchema: true })).toBe(true);
    await pyJson(client, `${MAKE_FRAME}\nprint('{}')`);
    const shown = await display(client, 'big');
    const table = parseDataResource(shown.resource);
    expect(table.rowCount).toBe(60);
    frame = frameIdOf(shown.metadata)!;
    const info = await queryKernel(client, { op: 'info', frame, sample: 2000 });
    expect(info.rowCount).toBe(N);
    columns = buildColumns(info.fields, info.sample, info.primaryKey);
    types = columns.map((c) => c.type);
  }, 90_000);
  afterAll(() => {
    manager?.dispose();
    rmSync(runtimeDir, { recursive: true, force: true });
  });

  it('the start-up hook turned on pandas table schema and tagged the output with a frame id', () => {
    expect(frame).toMatch(/^[0-9a-f]{8}-\d+$/);
    expect(columns.map((c) => `${c.name}:${c.type}`)).toEqual(['index:quantitative', 'num:quantitative', 'int:quantitative', 'cat:nominal', 'when:temporal', 'flag:boolean']);
    expect(columns[0].isIndex).toBe(true);
    expect(columns[col('when')].tz).toBe('UTC');
  });

  it('keeps the explorer row limit setting\'s rows in table outputs (0: pandas\' display.max_rows)', async () => {
    try {
      await runExplorerStartup(client, { tableSchema: true, rowLimit: 7 });
      expect(parseDataResource((await display(client, 'big')).resource).rowCount).toBe(7);
    } finally {
      await runExplorerStartup(client, { tableSchema: true });
    }
    expect(parseDataResource((await display(client, 'big')).resource).rowCount).toBe(60);
  }, 60_000);

  it('pages a sorted view exactly as DataFrame.sort_values (stable, NaN last)', async () => {
    const view: TableView = { filters: [], sort: [{ column: col('num'), descending: true }] };
    const page = await queryKernel(client, { op: 'rows', frame, types, view, offset: 1000, limit: 50 });
    const expected = await pyJson<number[]>(client, "import json; print(json.dumps(big.sort_values('num', ascending=False, kind='mergesort', na_position='last').index[1000:1050].tolist()))");
    expect(page.rowCount).toBe(N);
    expect(page.rows.map((r) => r[0])).toEqual(expected);
    const last = await queryKernel(client, { op: 'rows', frame, types, view, offset: N - 3, limit: 10 });
    expect(last.rows).toHaveLength(3);
    expect(last.rows.every((r) => r[col('num')] === null)).toBe(true);
  });

  it('sorts by two columns (category ascending, then int descending)', async () => {
    const view: TableView = { filters: [], sort: [{ column: col('cat'), descending: false }, { column: col('int'), descending: true }] };
    const page = await queryKernel(client, { op: 'rows', frame, types, view, offset: 0, limit: 100 });
    const expected = await pyJson<number[]>(client, "print(json.dumps(big.sort_values(['cat', 'int'], ascending=[True, False], kind='mergesort', na_position='last').index[:100].tolist()))");
    expect(page.rows.map((r) => r[0])).toEqual(expected);
  });

  it('filters: contains (case-insensitive), regex, numeric range, date range, missing', async () => {
    const count = async (view: TableView) => (await queryKernel(client, { op: 'rows', frame, types, view, offset: 0, limit: 5 })).rowCount;
    const expected = await pyJson<number[]>(client, `print(json.dumps([
      int(big['cat'].str.contains('beta', case=False, regex=False).fillna(False).sum()),
      int(big['cat'].str.contains('^(al|ga)', case=False, regex=True).fillna(False).sum()),
      int(((big['num'] >= 90) & (big['num'] <= 110)).sum()),
      int(((big['when'] >= pd.Timestamp('2021-03-01', tz='UTC')) & (big['when'] <= pd.Timestamp('2021-03-31', tz='UTC'))).sum()),
      int(big['num'].isna().sum()),
      int(((big['num'] >= 90) & big['cat'].str.contains('beta', case=False, regex=False).fillna(False)).sum()),
    ]))`);
    const cat = col('cat');
    expect(await count({ filters: [{ column: cat, op: 'contains', value: 'BETA' }], sort: [] })).toBe(expected[0]);
    expect(await count({ filters: [{ column: cat, op: 'regex', value: '^(al|ga)' }], sort: [] })).toBe(expected[1]);
    expect(await count({ filters: [{ column: col('num'), op: 'range', min: 90, max: 110 }], sort: [] })).toBe(expected[2]);
    expect(await count({ filters: [{ column: col('when'), op: 'range', min: Date.UTC(2021, 2, 1), max: Date.UTC(2021, 2, 31) }], sort: [] })).toBe(expected[3]);
    expect(await count({ filters: [{ column: col('num'), op: 'missing', missing: true }], sort: [] })).toBe(expected[4]);
    expect(await count({ filters: [{ column: col('num'), op: 'range', min: 90 }, { column: cat, op: 'contains', value: 'beta' }], sort: [] })).toBe(expected[5]);
    await expect(queryKernel(client, { op: 'rows', frame, types, view: { filters: [{ column: cat, op: 'regex', value: '(' }], sort: [] }, offset: 0, limit: 1 }))
      .rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('summaries match describe(), nunique() and value_counts()', async () => {
    const { columns: summary } = await queryKernel(client, { op: 'summary', frame, types, view: { filters: [], sort: [] } });
    const pandas = await pyJson<{ num: Record<string, number>; distinct: number; top: [string, number] }>(client,
      "d = big['num'].describe(); vc = big['cat'].value_counts()\nprint(json.dumps({'num': {k: float(v) for k, v in d.items()}, 'distinct': int(big['int'].nunique()), 'top': [vc.index[0], int(vc.iloc[0])]}))");
    const num = summary[col('num')];
    expect(num.count).toBe(pandas.num.count);
    expect(num.missing).toBe(N - pandas.num.count);
    expect(num.mean).toBeCloseTo(pandas.num.mean, 9);
    expect(num.std).toBeCloseTo(pandas.num.std, 9);
    expect(num.quantiles).toEqual([pandas.num['25%'], pandas.num['50%'], pandas.num['75%']]);
    expect(num.histogram!.reduce((s, b) => s + b.count, 0)).toBe(pandas.num.count);
    expect(summary[col('int')].distinct).toBe(pandas.distinct);
    expect(summary[col('cat')].top![0]).toEqual({ value: pandas.top[0], count: pandas.top[1] });
  });

  it('chart aggregates match groupby results; histogram bins match numpy', async () => {
    const state: ChartState = { mark: 'bar', x: col('cat'), y: col('num'), aggregate: 'mean' };
    const request = chartDataRequest(state, columns) as ChartDataRequest;
    const bar = await queryKernel(client, { op: 'chart', frame, types, view: { filters: [], sort: [] }, chart: request });
    const means = await pyJson<Record<string, number>>(client, "print(json.dumps(big.groupby('cat')['num'].mean().to_dict()))");
    expect(Object.fromEntries(bar.rows.map((r) => [r.g0, r.value]))).toEqual(Object.fromEntries(Object.entries(means).map(([k, v]) => [k, expect.closeTo(v, 9)])));

    const hist = await queryKernel(client, { op: 'chart', frame, types, view: { filters: [], sort: [] }, chart: chartDataRequest({ mark: 'histogram', x: col('num'), aggregate: 'count' }, columns) as ChartDataRequest });
    const np = await pyJson<{ counts: number[]; edges: number[]; onEdge: number[] }>(client,
      "v = big['num'].dropna().values; c, e = np.histogram(v, bins=30, range=(v.min(), v.max()))\n" +
      "print(json.dumps({'counts': c.tolist(), 'edges': e.tolist(), 'onEdge': [int(np.isclose(v, x, rtol=0, atol=1e-9).sum()) for x in e]}))");
    expect(hist.binnedKeys).toEqual([0]);
    expect(hist.rows.map((r) => r.g0)).toEqual(np.edges.slice(0, -1).map((e) => expect.closeTo(e, 6)));
    // numpy's edge arithmetic differs from ours in the last bit, so a value sitting exactly on an
    // edge may land in the neighbouring bin: totals agree, and each bin differs by at most its edge values.
    expect(hist.rows.reduce((s, r) => s + (r.value as number), 0)).toBe(np.counts.reduce((a, b) => a + b, 0));
    hist.rows.forEach((r, i) => expect(Math.abs((r.value as number) - np.counts[i])).toBeLessThanOrEqual(np.onEdge[i] + np.onEdge[i + 1]));

    const med = await queryKernel(client, { op: 'chart', frame, types, view: { filters: [{ column: col('flag'), op: 'equals', value: 'true' }], sort: [] }, chart: { kind: 'aggregate', groups: [{ column: col('cat') }], op: 'median', column: col('int') } });
    const medians = await pyJson<Record<string, number>>(client, "print(json.dumps(big[big['flag']].groupby('cat')['int'].median().to_dict()))");
    expect(Object.fromEntries(med.rows.map((r) => [r.g0, r.value]))).toEqual(medians);
  });

  it('aggregates ignore the view order; text keys (object and category dtype) group as pandas does', async () => {
    const shown = await display(client, [
      "import json\ncats = big[['cat', 'int']].copy()",
      "cats['cc'] = cats['cat'].astype(pd.CategoricalDtype(['alpha', 'beta', 'gamma', 'delta', 'Beta2', 'unused']))",
      'cats',
    ].join('\n'));
    const id = frameIdOf(shown.metadata)!;
    const local = parseDataResource(shown.resource);
    const t = local.columns.map((c) => c.type);
    const [cat, int, cc] = [1, 2, 3];
    const filters: TableView['filters'] = [{ column: int, op: 'range', min: 0, max: 499 }, { column: cat, op: 'regex', value: '^(al|ga)' }];
    const meanBy = (key: number): ChartDataRequest => ({ kind: 'aggregate', groups: [{ column: key, limit: 50 }], op: 'mean', column: int });
    const chart = async (view: TableView, request: ChartDataRequest) => queryKernel(client, { op: 'chart', frame: id, types: t, view, chart: request });
    const expected = await pyJson<Record<string, number>>(client,
      "f = cats[(cats['int'] <= 499) & cats['cat'].str.contains('^(al|ga)', case=False, regex=True).fillna(False)]\nprint(json.dumps(f.groupby('cat')['int'].mean().to_dict()))");
    for (const key of [cat, cc]) {
      const unsorted = await chart({ filters, sort: [] }, meanBy(key));
      const sorted = await chart({ filters, sort: [{ column: int, descending: true }, { column: cat, descending: false }] }, meanBy(key));
      expect(sorted).toEqual(unsorted);
      // Only the values present in the view: not the other text values, not the unused category.
      expect(Object.fromEntries(unsorted.rows.map((r) => [r.g0, r.value]))).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, expect.closeTo(v, 9)])));
    }
    // Top-N of a text key counts the distinct values in the view.
    const top = await chart({ filters: [filters[0]], sort: [{ column: int, descending: false }] }, { kind: 'aggregate', groups: [{ column: cc, limit: 2 }], op: 'count' });
    const counts = await pyJson<[string, number][]>(client,
      "vc = cats[cats['int'] <= 499]['cat'].value_counts()\nprint(json.dumps([[k, int(v)] for k, v in vc.items()]))");
    expect(top.truncated).toEqual({ 0: counts.length });
    expect(top.rows.map((r) => [r.g0, r.value])).toEqual(counts.slice(0, 2).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  });

  it('samples scatter points evenly and says so', async () => {
    const pts = await queryKernel(client, { op: 'chart', frame, types, view: { filters: [], sort: [] }, chart: { kind: 'points', columns: [col('int'), col('num')], limit: 5000 } });
    expect(pts.sampled).toEqual({ shown: 5000, total: N });
    const expected = await pyJson<number[]>(client, `print(json.dumps(big['int'].values[(np.arange(5000) * ${N}) // 5000].tolist()))`);
    expect(pts.rows.map((r) => r.c0)).toEqual(expected);
  });

  it('the local engine and the kernel give the same answers on the same rows', async () => {
    const shown = await display(client, "small = big.head(60).copy()\nsmall.loc[3, 'cat'] = 'x' * 5000\nsmall");
    const local: LocalTable = parseDataResource(shown.resource);
    const id = frameIdOf(shown.metadata)!;
    const t = local.columns.map((c) => c.type);
    const view: TableView = { filters: [{ column: 2, op: 'range', min: 100 }], sort: [{ column: 4, descending: true }] };
    const indices = applyView(local, view);
    const page = await queryKernel(client, { op: 'rows', frame: id, types: t, view, offset: 0, limit: 100 });
    expect(page.rows.map((r) => r.map((v, c) => normalizeCell(v, local.columns[c].type)))).toEqual([...indices].map((r) => local.data.map((d) => d[r])));
    for (const state of [
      { mark: 'bar', x: 3, y: 1, aggregate: 'sum' }, { mark: 'line', x: 4, y: 2, aggregate: 'mean' }, { mark: 'heatmap', x: 1, y: 2, aggregate: 'count' },
      { mark: 'histogram', x: 4, color: 5, aggregate: 'count' }, { mark: 'boxplot', x: 3, y: 1, aggregate: 'count' }, { mark: 'scatter', x: 1, y: 2, color: 3, aggregate: 'count' },
    ] as ChartState[]) {
      const request = chartDataRequest(state, local.columns) as ChartDataRequest;
      const fromKernel = await queryKernel(client, { op: 'chart', frame: id, types: t, view, chart: request });
      const fromWindow = chartData(local, indices, request);
      expect(approx(fromKernel), state.mark).toEqual(approx(fromWindow));
    }
  });

  it('a deleted frame answers FRAME_GONE (the window then falls back to the output rows)', async () => {
    const shown = await display(client, "from IPython.display import display as _d\ntmp = big.head(1000)\n_d(tmp)");
    const id = frameIdOf(shown.metadata)!;
    expect((await queryKernel(client, { op: 'info', frame: id })).rowCount).toBe(1000);
    await run(client, 'del tmp\nimport gc; gc.collect()');
    const error = await queryKernel(client, { op: 'info', frame: id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExplorerQueryError);
    expect((error as ExplorerQueryError).code).toBe('FRAME_GONE');
    expect((error as ExplorerQueryError).isFallback).toBe(true);
  });

  it('a kernel without the helper answers NO_HELPER', async () => {
    await run(client, "import sys; __quire_saved = sys.modules.pop('__quire_explorer__')");
    const error = await queryKernel(client, { op: 'info', frame }).catch((e: unknown) => e);
    await run(client, "sys.modules['__quire_explorer__'] = __quire_saved; del __quire_saved");
    expect((error as ExplorerQueryError).code).toBe('NO_HELPER');
  });
});

describe('awkward frames through the real formatter and protocol', () => {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'quire-explorer-bad-'));
  let manager: KernelManager;
  let client: KernelClient;

  beforeAll(async () => {
    manager = new KernelManager({ runtimeDir, handleSignals: false });
    client = (await manager.startKernel({ specName: 'python3', spec: await requirePython3Spec() })).client;
    await runExplorerStartup(client, { tableSchema: true });
    await run(client, 'import numpy as np, pandas as pd\nfrom IPython.display import display');
  }, 60_000);
  afterAll(() => {
    manager?.dispose();
    rmSync(runtimeDir, { recursive: true, force: true });
  });

  const cases: Record<string, { code: string; columns: string[] }> = {
    'duplicate names': { code: "pd.DataFrame([[1, 2], [3, 4]], columns=['a', 'a'])", columns: ['index', 'a', 'a (2)'] },
    'MultiIndex rows and columns': {
      code: "pd.DataFrame(np.arange(8).reshape(2, 4), index=pd.MultiIndex.from_tuples([('x', 1), ('y', 2)], names=['k', 'n']), columns=pd.MultiIndex.from_product([['p', 'q'], ['u', 'v']]))",
      columns: ['k', 'n', 'p / u', 'p / v', 'q / u', 'q / v'],
    },
    'time zones': { code: "pd.DataFrame({'t': pd.date_range('2024-03-10', periods=3, freq='h', tz='America/New_York'), 'naive': pd.date_range('2024-01-01', periods=3)})", columns: ['index', 't', 'naive'] },
    'nested, huge and mixed': { code: "pd.DataFrame({'nested': [{'a': [1, 2]}, [1, 'x'], None], 'huge': ['x' * 200_000, 'y', None], 'mixed': [1, 'two', 3.5]})", columns: ['index', 'nested', 'huge', 'mixed'] },
    'NaN and infinities': { code: "pd.DataFrame({'v': [1.0, np.nan, np.inf, -np.inf]})", columns: ['index', 'v'] },
    'zero rows': { code: "pd.DataFrame({'a': pd.Series([], dtype=float), 'b': pd.Series([], dtype=object)})", columns: ['index', 'a', 'b'] },
    'a column named index, integer names': { code: "pd.DataFrame({'index': [5, 6], 0: ['p', 'q']})", columns: ['index', 'index (2)', '0'] },
  };

  for (const [name, { code, columns: expected }] of Object.entries(cases)) {
    it(`${name}: a valid resource with a frame id; rows, summary and a chart answer without errors`, async () => {
      // A variable keeps the frame alive: a displayed temporary is collected and falls back (tested above).
      const shown = await display(client, `frame_under_test = ${code}\ndisplay(frame_under_test)`);
      const local = parseDataResource(shown.resource);
      expect(local.columns.map((c) => c.label)).toEqual(expected);
      const frame = frameIdOf(shown.metadata)!;
      expect(frame).toBeTruthy();
      const types = local.columns.map((c) => c.type);
      const view: TableView = { filters: [], sort: [{ column: local.columns.length - 1, descending: true }] };
      const page = await queryKernel(client, { op: 'rows', frame, types, view, offset: 0, limit: 100 });
      expect(page.rows.map((r) => r.map((v, c) => normalizeCell(v, types[c])))).toEqual([...applyView(local, view)].map((r) => local.data.map((d) => d[r])));
      const summary = await queryKernel(client, { op: 'summary', frame, types, view });
      expect(summary.columns).toHaveLength(types.length);
      const chart = chartDataRequest({ mark: 'bar', x: local.columns.length - 1, aggregate: 'count' }, local.columns);
      if (!('error' in chart)) {
        const data = await queryKernel(client, { op: 'chart', frame, types, view, chart });
        expect(approx(data)).toEqual(approx(chartData(local, applyView(local, view), chart)));
      }
    });
  }
});
