/// <reference types="vite/client" />
import 'katex/dist/katex.min.css';
import { renderTex } from '../markdown/mathPlugin';
import { renderMarkdown } from '../markdown/renderMarkdown';
import { useKatexHtml } from '../markdown/useKatex';

const WHOLE_MATH: Array<[RegExp, boolean]> = [
  [/^\$\$([\s\S]+)\$\$$/, true],
  [/^\\\[([\s\S]+)\\\]$/, true],
  [/^\$([^$][\s\S]*)\$$/, false],
  [/^\\\(([\s\S]+)\\\)$/, false],
];

/**
 * `text/latex` to KaTeX HTML. A value that is one delimited formula renders as that formula (display
 * for `$$…$$`/`\[…\]`); text mixing prose and `$…$` goes through the markdown math rules; bare TeX
 * without delimiters (`\begin{align}…`) renders in display mode.
 */
export function latexToHtml(latex: string): string {
  const text = latex.trim();
  for (const [re, display] of WHOLE_MATH) {
    const m = re.exec(text);
    // `$a$ and $b$` also matches /^\$…\$$/: only treat it as one formula if there is no inner delimiter.
    if (m && !m[1].includes(display ? '$$' : '$')) return renderTex(m[1], display);
  }
  if (/(^|[^\\])\$|\\\(|\\\[/.test(text)) return renderMarkdown(text);
  return renderTex(text, true);
}

/** A `text/latex` output. */
export function LatexOutput({ latex }: { latex: string }): React.JSX.Element {
  const html = useKatexHtml(() => latexToHtml(latex), [latex]);
  return <div className="quire-output-latex" dangerouslySetInnerHTML={{ __html: html }} />;
}
