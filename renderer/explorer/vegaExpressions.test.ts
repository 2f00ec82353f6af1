/**
 * vegaExpressions (the explorer's compiled, eval-free vega expressions) against vega-interpreter,
 * the reference: the same value for each expression, the same guards, and the same SVG for every
 * kind of explorer chart drawn by a real vega View.
 */
import { parseExpression, parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile as compileVegaLite } from 'vega-lite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chartDataRequest, type ChartData, type ChartDataRequest, type ChartState } from '../../src/explorer/charts';
import { buildChartSpec } from '../../src/explorer/specs';
import type { ExplorerColumn } from '../../src/explorer/types';
import { vegaExpressions } from './vegaExpressions';

type Evaluator = typeof vegaExpressions | typeof expressionInterpreter;
type Params = Record<string, unknown>;

/** A stand-in for vega's function table: `this` is the table, as in a real View. */
const ctx = {
  functions: {
    context: { name: 'the context' },
    isValid: (v: unknown) => v !== null && v !== undefined && !Number.isNaN(v),
    scale(this: { context: { name: string } }, name: string, v: number) {
      return `${this.context.name}:${name}(${v})`;
    },
    indexof: undefined,
  } as Record<string, unknown>,
};

const evaluate = (evaluator: Evaluator, source: string, datum: Params, params: Params): unknown =>
  (evaluator.parameter(ctx as never, { ast: parseExpression(source) as never }) as (d: Params, p: Params) => unknown)(datum, params);

describe('vegaExpressions gives what vega-interpreter gives', () => {
  afterEach(() => vi.restoreAllMocks());
  const datum = { a: 3, b: -4.5, s: 'Mixed Case', list: [3, 1, 2], nested: { deep: { x: 7 } }, key: 'a', ctor: 'constructor', zero: 0, missing: null };
  const params = { $width: 400, $height: 300, $flag: true };

  it.each([
    'datum.a + datum.b * 2 - 1 / 4 % 3',
    'datum.a > 2 && datum.b < 0', 'datum.zero || "fallback"', 'datum.missing && datum.a', '!datum.zero', '-datum.a', '+"12"', '~5',
    'datum.a == "3"', 'datum.a === 3', 'datum.a != 3', 'datum.a !== "3"', '5 & 3 | 8 ^ 2', '1 << 4 >> 1 >>> 1', 'datum.a <= 3 && datum.a >= 3',
    'datum.a > 2 ? "big" : "small"', 'if(datum.zero, 1, 2)', 'if(datum.a, datum.s, datum.missing)',
    'datum.nested.deep.x', 'datum[datum.key]', 'datum["s"]', 'datum.list[1]', 'datum.nonexistent',
    '{x: datum.a, "y": width, 2: height}', '[datum.a, datum.b, [1, 2]]',
    'width / 2 + height', 'flag ? PI : E', 'SQRT2 * LN10', 'unknownSignal',
    'abs(datum.b) + ceil(0.2) + floor(1.7) + round(2.5) + sqrt(16) + pow(2, 10)', 'max(1, datum.a, 2) + min(4, datum.b)', 'clamp(datum.a, 0, 2)',
    'isNaN(datum.s) + isFinite(datum.a)', 'length(datum.list) + length(datum.s)', 'join(datum.list, "-")', 'upper(datum.s) + lower(datum.s) + trim("  x ")',
    'parseFloat("2.5e3") + parseInt("42px")', 'utc(2024, 1, 29)', 'hypot(3, 4) + atan2(1, 1)',
    'isValid(datum.missing) + "," + isValid(datum.a)', 'scale("x", datum.a)', '_scale("y", 2)',
    'test(/m.x/i, datum.s)', 'replace(datum.s, /[aeiou]/g, "_")', 'indexof(datum.list, 2)', 'slice(datum.list, 1)',
  ])('%s', (source) => {
    expect(evaluate(vegaExpressions, source, datum, params)).toEqual(evaluate(expressionInterpreter, source, datum, params));
  });

  it('keeps Function, eval and prototype properties out of reach', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    for (const source of ['datum.list.constructor.constructor', 'datum.s[datum.ctor][datum.ctor]']) {
      expect(evaluate(vegaExpressions, source, datum, params)).toBeUndefined();
      expect(evaluate(expressionInterpreter, source, datum, params)).toBeUndefined();
    }
    const object = evaluate(vegaExpressions, '{__proto__: datum.nested, toString: 1, ok: 2}', datum, params) as Params;
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.keys(object)).toEqual(['ok']);
    expect(error).toHaveBeenCalled();
  });

  it('encodes an item channel by channel and places x2/y2 like vega (rects swap reversed ends)', () => {
    const channels = Object.fromEntries(Object.entries({ x: 'datum.a * 10', x2: 'datum.a', y: 'item.base', y2: 'item.base + 5', fill: 'datum.s' })
      .map(([name, source]) => [name, { ast: parseExpression(source) as never }]));
    const run = (evaluator: Evaluator) => {
      const item: Params = { datum, base: 20 };
      const modified = (evaluator.encode(ctx as never, { marktype: 'rect', channels }) as (item: Params, p: Params) => number)(item, params);
      return { modified, item };
    };
    const ours = run(vegaExpressions);
    expect(ours).toEqual(run(expressionInterpreter));
    expect(ours.item).toMatchObject({ x: 3, x2: 30, width: 27, y: 20, y2: 25, height: 5, fill: 'Mixed Case' });
  });
});

describe('explorer charts drawn with vegaExpressions match vega-interpreter', () => {
  const columns = [
    { index: 0, name: 'value', label: 'value', type: 'quantitative' },
    { index: 1, name: 'score', label: 'score', type: 'quantitative' },
    { index: 2, name: 'city', label: 'city', type: 'nominal' },
    { index: 3, name: 'when', label: 'when', type: 'temporal' },
  ] as ExplorerColumn[];
  const cities = ['Oslo', 'Lima', 'Kyoto'];
  /** Plausible answers to each request, as the kernel would send them. */
  function dataFor(request: ChartDataRequest): ChartData {
    if (request.kind === 'points') {
      return { rows: Array.from({ length: 300 }, (_, i) => ({ c0: Math.sin(i) * 10, c1: (i * 37) % 100, c2: cities[i % 3], c3: i % 7, c4: cities[i % 2] })), totalRows: 10_000, sampled: { shown: 300, total: 10_000 } };
    }
    if (request.kind === 'box') {
      return { rows: cities.map((group, i) => ({ group, min: i, q1: i + 2, median: i + 3, q3: i + 5, max: i + 9, lower: i + 1, upper: i + 8, count: 100 })), totalRows: 300 };
    }
    const binned = request.groups.flatMap((g, i) => (g.bins ? [i] : []));
    const keyValues = (i: number): unknown[] => {
      const g = request.groups[i];
      if (g.bins) return Array.from({ length: Math.min(g.bins, 12) }, (_, k) => k);
      return columns[g.column].type === 'temporal' ? [Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1)] : cities;
    };
    let rows: Record<string, unknown>[] = [{}];
    request.groups.forEach((g, i) => {
      rows = rows.flatMap((row) => keyValues(i).map((v) => (binned.includes(i) ? { ...row, [`g${i}`]: v as number, [`g${i}_end`]: (v as number) + 1 } : { ...row, [`g${i}`]: v })));
    });
    return { rows: rows.map((row, k) => ({ ...row, value: (k * 7) % 23 })) as ChartData['rows'], totalRows: 10_000, binnedKeys: binned };
  }

  async function svg(state: ChartState, evaluator: Evaluator): Promise<string> {
    const request = chartDataRequest(state, columns) as ChartDataRequest;
    const spec = buildChartSpec(state, columns, request, dataFor(request));
    const sized = spec.width === 'container' ? { ...spec, width: 500, autosize: { type: 'pad' } } : spec;
    const runtime = parse(compileVegaLite(sized as never).spec, undefined, { ast: true });
    const view = new View(runtime, { renderer: 'none', expr: evaluator } as never);
    try {
      // Gradient ids come from a global counter.
      return (await view.toSVG()).replace(/gradient_\d+/g, 'gradient');
    } finally {
      view.finalize();
    }
  }

  const charts: ChartState[] = [
    { mark: 'bar', x: 2, y: 0, aggregate: 'mean' },
    { mark: 'bar', x: 2, y: 0, color: 2, aggregate: 'median' },
    { mark: 'line', x: 3, y: 1, color: 2, aggregate: 'sum' },
    { mark: 'area', x: 0, y: 1, aggregate: 'count' },
    { mark: 'histogram', x: 0, facet: 2, aggregate: 'count' },
    { mark: 'heatmap', x: 0, y: 1, aggregate: 'count' },
    { mark: 'scatter', x: 0, y: 1, color: 2, size: 1, aggregate: 'count' },
    { mark: 'scatter', x: 0, y: 1, facet: 2, aggregate: 'count' },
    { mark: 'boxplot', x: 2, y: 0, aggregate: 'count' },
  ];
  it.each(charts.map((c) => [JSON.stringify(c), c] as const))('%s', async (_name, state) => {
    const ours = await svg(state, vegaExpressions);
    expect(ours).toContain('<svg');
    expect(ours).toEqual(await svg(state, expressionInterpreter));
  });
});
