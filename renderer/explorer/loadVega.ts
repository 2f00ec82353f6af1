/**
 * vega-embed with vega and vega-lite (about 850 kB of script) and the expression evaluator the
 * charts use, loaded once. The explorer loads and warms them up while the browser is idle after
 * it opens, so the first chart neither waits for the download nor compiles vega's code.
 */
import { chartDataRequest, type ChartDataRequest, type ChartState } from '../../src/explorer/charts';
import { buildChartSpec } from '../../src/explorer/specs';
import type { ExplorerColumn } from '../../src/explorer/types';

export interface VegaRuntime {
  embed: typeof import('vega-embed').default;
  compileVegaLite: typeof import('vega-lite').compile;
  vega: typeof import('vega');
  expressions: typeof import('./vegaExpressions').vegaExpressions;
}

let loading: Promise<VegaRuntime> | undefined;
let warming: Promise<void> | undefined;

export function loadVega(): Promise<VegaRuntime> {
  loading ??= Promise.all([import('vega-embed'), import('vega-lite'), import('vega'), import('./vegaExpressions')]).then(
    ([embed, vegaLite, vega, expressions]) => ({ embed: embed.default, compileVegaLite: vegaLite.compile, vega, expressions: expressions.vegaExpressions }),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** A small chart with what explorer charts have: bars, nominal and quantitative axes, a legend, tooltips. */
function warmUpSpec(): Record<string, unknown> {
  const columns = [
    { index: 0, name: 'group', label: 'group', type: 'nominal' },
    { index: 1, name: 'amount', label: 'amount', type: 'quantitative' },
  ] as ExplorerColumn[];
  const state: ChartState = { mark: 'bar', x: 0, y: 1, color: 0, aggregate: 'mean' };
  const request = chartDataRequest(state, columns) as ChartDataRequest;
  const rows = ['a', 'b', 'c'].map((g, i) => ({ g0: g, g1: g, value: i + 0.5 }));
  return { ...buildChartSpec(state, columns, request, { rows, totalRows: 3 }), width: 300, autosize: { type: 'pad' } };
}

/**
 * Loads vega and runs a small chart through vega-lite, vega's parser, a view and the canvas
 * renderer, one step per idle callback. A first chart otherwise compiles vega's functions as it
 * first calls them: a 100+ ms task. Does nothing where the browser has no idle callbacks.
 */
export function warmUpVega(): Promise<void> {
  if (typeof requestIdleCallback !== 'function') return Promise.resolve();
  const idle = () => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 5000 }));
  warming ??= (async () => {
    const { compileVegaLite, vega, expressions } = await loadVega();
    await idle();
    const compiled = compileVegaLite(warmUpSpec() as never).spec;
    await idle();
    const runtime = vega.parse(compiled, undefined, { ast: true });
    await idle();
    const view = new vega.View(runtime, { renderer: 'none', expr: expressions as never });
    await view.runAsync();
    await idle();
    await view.toCanvas();
    view.finalize();
  })().catch(() => undefined);
  return warming;
}
