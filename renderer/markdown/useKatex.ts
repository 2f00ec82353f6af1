import { useEffect, useMemo, useState } from 'react';
import { hasPendingMath, katexLoaded, loadKatex } from './mathPlugin';

/**
 * For components that show formulas: `render` builds the HTML, with formulas as their source while
 * KaTeX has not loaded (mathPlugin.renderTex). When the HTML has such formulas, KaTeX is loaded and
 * the HTML built again. `deps` are render's inputs, as for useMemo.
 */
export function useKatexHtml(render: () => string, deps: readonly unknown[]): string {
  const [mathReady, setMathReady] = useState(katexLoaded);
  const html = useMemo(render, [...deps, mathReady]); // mathReady: build again once KaTeX is here
  const pending = !mathReady && hasPendingMath(html);
  useEffect(() => {
    if (!pending) return;
    let live = true;
    loadKatex().then(
      () => { if (live) setMathReady(true); },
      (error: unknown) => console.error('Quire: KaTeX did not load', error),
    );
    return () => { live = false; };
  }, [pending]);
  return html;
}
