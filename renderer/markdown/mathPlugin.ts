/**
 * A small markdown-it plugin for TeX math rendered with KaTeX, following Jupyter's conventions:
 * `$…$` and `\(…\)` inline, `$$…$$` and `\[…\]` display (inline or as blocks), and bare
 * `\begin{env}…\end{env}` blocks. Written here (about 150 lines) rather than taken from npm because the
 * maintained plugins either pin old KaTeX or miss the bracket delimiters Jupyter users write.
 */
import type { MarkdownIt, StateBlock, StateInline } from 'markdown-it';

type Katex = typeof import('katex').default;

// KaTeX is a quarter of the app's code and most notebooks open without a formula on screen: it is
// a chunk of its own, loaded by the first formula (see Markdown.tsx and LatexOutput.tsx).
let katex: Katex | undefined;
let katexLoading: Promise<void> | undefined;

/** Loads KaTeX once; a failed load is tried again on the next call. */
export function loadKatex(): Promise<void> {
  katexLoading ??= import('katex').then(
    (module) => { katex = module.default; },
    (error: unknown) => {
      katexLoading = undefined;
      throw error;
    },
  );
  return katexLoading;
}

export function katexLoaded(): boolean {
  return katex !== undefined;
}

const PENDING_CLASS = 'quire-math-pending';

/** True when `html` holds formulas rendered before KaTeX was loaded (shown as their source). */
export function hasPendingMath(html: string): boolean {
  return html.includes(PENDING_CLASS);
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Re-rendering a notebook re-renders the same formulas; KaTeX costs about a millisecond each.
const texCache = new Map<string, string>();
const TEX_CACHE_SIZE = 2000;

/**
 * Renders TeX to KaTeX HTML; errors are shown in place (red source), never thrown. Before KaTeX
 * has loaded, the formula's source stands in (see hasPendingMath); render again once it has.
 */
export function renderTex(tex: string, displayMode: boolean): string {
  if (!katex) return `<span class="${PENDING_CLASS}${displayMode ? ' is-display' : ''}">${escapeHtml(tex)}</span>`;
  const key = `${displayMode ? 'D' : 'I'}${tex}`;
  const cached = texCache.get(key);
  if (cached !== undefined) return cached;
  const html = katex.renderToString(tex, { displayMode, throwOnError: false, strict: 'ignore', output: 'htmlAndMathml' });
  if (texCache.size >= TEX_CACHE_SIZE) texCache.delete(texCache.keys().next().value as string);
  texCache.set(key, html);
  return html;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Finds `close` after `from`, skipping backslash-escaped characters; -1 if absent. */
function findClose(src: string, from: number, close: string, end: number): number {
  for (let i = from; i <= end - close.length; i++) {
    if (src[i] === '\\' && close[0] !== '\\') {
      i++;
      continue;
    }
    if (src.startsWith(close, i)) return i;
  }
  return -1;
}

function mathInline(state: StateInline, silent: boolean): boolean {
  const { src, pos, posMax } = state;
  const ch = src[pos];
  let open: string;
  let close: string;
  let display: boolean;
  if (ch === '$') {
    if (src[pos + 1] === '$') [open, close, display] = ['$$', '$$', true];
    else [open, close, display] = ['$', '$', false];
  } else if (ch === '\\' && (src[pos + 1] === '(' || src[pos + 1] === '[')) {
    display = src[pos + 1] === '[';
    [open, close] = display ? ['\\[', '\\]'] : ['\\(', '\\)'];
  } else {
    return false;
  }
  const start = pos + open.length;
  if (open === '$') {
    // Pandoc's rule: no space after the opening or before the closing `$`, no digit after the closing one ("$5 and $6").
    if (start >= posMax || isSpace(src[start])) return false;
    let end = start;
    for (;;) {
      end = findClose(src, end, '$', posMax);
      if (end === -1) return false;
      if (!isSpace(src[end - 1]) && !/[0-9]/.test(src[end + 1] ?? '')) break;
      end++;
    }
    if (!silent) pushMath(state, src.slice(start, end), false);
    state.pos = end + 1;
    return true;
  }
  const end = findClose(src, start, close, posMax);
  if (end === -1 || end === start) return false;
  if (!silent) pushMath(state, src.slice(start, end), display);
  state.pos = end + close.length;
  return true;
}

function pushMath(state: StateInline, content: string, display: boolean): void {
  const token = state.push(display ? 'math_inline_display' : 'math_inline', 'math', 0);
  token.content = content;
  token.markup = display ? '$$' : '$';
}

const BLOCK_DELIMS: Array<{ open: RegExp; close: (m: RegExpExecArray) => string; keep: boolean }> = [
  { open: /^\$\$/, close: () => '$$', keep: false },
  { open: /^\\\[/, close: () => '\\]', keep: false },
  // Bare environments are passed to KaTeX whole (it understands equation, align, gather, ...).
  { open: /^\\begin\{([a-zA-Z*]+)\}/, close: (m) => `\\end{${m[1]}}`, keep: true },
];

function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const lineStart = state.bMarks[startLine] + state.tShift[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const firstLine = state.src.slice(lineStart, state.eMarks[startLine]);
  for (const delim of BLOCK_DELIMS) {
    const m = delim.open.exec(firstLine);
    if (!m) continue;
    const close = delim.close(m);
    const openLen = delim.keep ? 0 : m[0].length;
    // One-line block: `$$ x $$` alone on its line.
    const rest = firstLine.slice(m[0].length).trimEnd();
    let content: string;
    let nextLine = startLine + 1;
    const closeAt = rest.lastIndexOf(close);
    if (closeAt !== -1 && firstLine.trimEnd().endsWith(close) && rest.length >= close.length) {
      content = delim.keep ? firstLine.trimEnd() : firstLine.slice(openLen, firstLine.trimEnd().length - close.length);
    } else {
      if (rest.includes(close)) return false; // text after the closing delimiter: leave it to the inline rule
      const lines = [delim.keep ? firstLine : firstLine.slice(openLen)];
      let found = false;
      for (; nextLine < endLine; nextLine++) {
        const line = state.src.slice(state.bMarks[nextLine] + state.tShift[nextLine], state.eMarks[nextLine]);
        if (state.sCount[nextLine] < state.blkIndent && line !== '') break;
        const trimmed = line.trimEnd();
        if (trimmed.endsWith(close)) {
          lines.push(delim.keep ? trimmed : trimmed.slice(0, trimmed.length - close.length));
          nextLine++;
          found = true;
          break;
        }
        lines.push(line);
      }
      if (!found) return false;
      content = lines.join('\n');
    }
    if (silent) return true;
    const token = state.push('math_block', 'math', 0);
    token.block = true;
    token.content = content.trim();
    token.map = [startLine, nextLine];
    state.line = nextLine;
    return true;
  }
  return false;
}

/**
 * Render environment that asks for placeholders instead of KaTeX markup: the caller sanitizes the
 * (small) markdown HTML first and then puts the formulas in. KaTeX's output is safe by construction
 * (text escaped; `\\href`, `\\html*` need `trust`, which stays off), and it is most of the bytes,
 * so sanitizing it would be the slowest part of rendering a math-heavy cell.
 */
export type MathPlaceholderEnv = {
  mathKey: string;
  math: string[];
};

function isPlaceholderEnv(env: unknown): env is MathPlaceholderEnv {
  return !!env && typeof env === 'object' && Array.isArray((env as MathPlaceholderEnv).math) && typeof (env as MathPlaceholderEnv).mathKey === 'string';
}

function emit(env: unknown, html: string): string {
  if (!isPlaceholderEnv(env)) return html;
  const index = env.math.push(html) - 1;
  return `<span data-quire-math="${env.mathKey}-${index}"></span>`;
}

/** Puts the formulas collected in `env` back in place of their placeholders. */
export function fillMathPlaceholders(html: string, env: MathPlaceholderEnv): string {
  const re = new RegExp(`<span data-quire-math="${env.mathKey}-(\\d+)"></span>`, 'g');
  return html.replace(re, (_, i: string) => env.math[Number(i)] ?? '');
}

/** markdown-it plugin: `md.use(mathPlugin)`. */
export function mathPlugin(md: MarkdownIt): void {
  md.inline.ruler.before('escape', 'math_inline', mathInline);
  md.block.ruler.before('fence', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.renderer.rules.math_inline = (tokens, idx, _options, env) => emit(env, renderTex(tokens[idx].content, false));
  md.renderer.rules.math_inline_display = (tokens, idx, _options, env) => emit(env, renderTex(tokens[idx].content, true));
  md.renderer.rules.math_block = (tokens, idx, _options, env) => `<div class="quire-math-block">${emit(env, renderTex(tokens[idx].content, true))}</div>\n`;
}
