/**
 * vega-embed (about 850 kB of script) and the expression evaluator the charts use, loaded once.
 * The explorer starts this when the browser is idle after it opens, so the first chart does not
 * wait for the download and compile.
 */
let loading: Promise<VegaRuntime> | undefined;

export interface VegaRuntime {
  embed: typeof import('vega-embed').default;
  expressions: typeof import('./vegaExpressions').vegaExpressions;
}

export function loadVega(): Promise<VegaRuntime> {
  loading ??= Promise.all([import('vega-embed'), import('./vegaExpressions')]).then(
    ([embed, expressions]) => ({ embed: embed.default, expressions: expressions.vegaExpressions }),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
