import { useEffect, useRef, useState } from 'react';
import type { JsonValue } from '../../src/jupyter/messages';
import { isVegaMime } from './mimeBundle';
import { guardVegaLinks } from './vegaLinks';
import { useResolvedTheme } from '../features/settings/theme';
import { vegaEmbedThemeOptions } from '../features/settings/vegaTheme';

export interface VegaOutputProps {
  mime: string;
  spec: JsonValue;
}

/**
 * A Vega or Vega-Lite chart. vega-embed is loaded on first use (it is large), and runs with
 * vega-interpreter (`ast: true`) so expressions are interpreted, never compiled with eval: the app's
 * CSP has no 'unsafe-eval'.
 */
export function VegaOutput({ mime, spec }: VegaOutputProps): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const theme = useResolvedTheme();

  useEffect(() => {
    let disposed = false;
    let finalize: (() => void) | undefined;
    setError(null);
    setReady(false);
    void (async () => {
      const [{ default: embed, vega }, { expressionInterpreter }] = await Promise.all([import('vega-embed'), import('vega-interpreter')]);
      const el = ref.current;
      if (disposed || !el) return;
      // Vega tags data objects with ids, and our spec comes from the (frozen) store: give it a copy.
      const result = await embed(el, structuredClone(spec) as never, {
        mode: isVegaMime(mime) ? 'vega' : 'vega-lite',
        renderer: 'svg',
        ast: true,
        expr: expressionInterpreter,
        // A mark's href opens outside the app, by the content link rules (vegaLinks.ts).
        loader: guardVegaLinks(vega.loader()),
        actions: { export: true, source: false, compiled: false, editor: false },
        ...vegaEmbedThemeOptions(theme),
      });
      if (disposed) result.finalize();
      else {
        finalize = result.finalize;
        setReady(true);
      }
    })().catch((e: unknown) => {
      if (!disposed) setError(e instanceof Error ? e.message : String(e));
    });
    return () => {
      disposed = true;
      finalize?.();
    };
  }, [mime, spec, theme]);

  return (
    <div className="quire-output-vega" data-ready={ready ? 'true' : undefined}>
      {error ? <pre className="quire-output-error-text">Could not render chart: {error}</pre> : null}
      <div ref={ref} />
    </div>
  );
}
