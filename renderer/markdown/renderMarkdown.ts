/**
 * Markdown to sanitized HTML, shared by markdown cells and `text/markdown` outputs: GitHub-flavoured
 * markdown (tables, strikethrough, task lists, autolinks), TeX math with KaTeX, raw HTML allowed but
 * sanitized, `attachment:` images resolved from the cell's attachments, local images marked for
 * `showMarkdownImages` (read through the host after the markdown is on screen).
 */
import markdownit, { type MarkdownIt } from 'markdown-it';
import { fillMathPlaceholders, mathPlugin, type MathPlaceholderEnv } from './mathPlugin';
import { sanitizeHtml, type Attachments } from './sanitize';
import { taskListPlugin } from './taskListPlugin';

export interface RenderMarkdownOptions {
  /** The cell's attachments, for `![x](attachment:name.png)` and `<img src="attachment:…">`. */
  attachments?: Attachments;
  /** The notebook's folder, for relative image paths (`![plot](figures/plot.png)`); see sanitizeHtml. */
  imageFolder?: string;
}

let md: MarkdownIt | undefined;

function parser(): MarkdownIt {
  if (md) return md;
  md = markdownit({ html: true, linkify: true, typographer: false, breaks: false });
  md.use(mathPlugin).use(taskListPlugin);
  // `![fig](file:///data/fig.png)` is an image by path (sanitize.ts reads it through the host);
  // markdown-it refuses file: by default. A file: link loses its href in the sanitizer as before.
  const validateLink = md.validateLink.bind(md);
  md.validateLink = (url) => /^file:/i.test(url.trim()) || validateLink(url);
  // Fenced code keeps its language as a class so a highlighter can find it later.
  md.options.langPrefix = 'language-';
  // Headings get ids so `[link](#section)` works as in Jupyter.
  const slugs = new Map<string, number>();
  md.core.ruler.push('heading_ids', (state) => {
    slugs.clear();
    for (let i = 0; i < state.tokens.length; i++) {
      const t = state.tokens[i];
      if (t.type !== 'heading_open') continue;
      const text = state.tokens[i + 1]?.content ?? '';
      const base = text.trim().replace(/\s+/g, '-').replace(/[^\p{L}\p{N}_-]/gu, '') || 'section';
      const n = slugs.get(base) ?? 0;
      slugs.set(base, n + 1);
      t.attrSet('id', n === 0 ? base : `${base}-${n}`);
    }
  });
  return md;
}

/** Renders markdown to sanitized HTML (safe to assign to innerHTML). */
export function renderMarkdown(text: string, options: RenderMarkdownOptions = {}): string {
  // Formulas go in after sanitizing (see MathPlaceholderEnv); the key makes placeholders unguessable.
  const env: MathPlaceholderEnv = { mathKey: Math.random().toString(36).slice(2), math: [] };
  const html = sanitizeHtml(parser().render(text, env), { attachments: options.attachments, imageFolder: options.imageFolder });
  return env.math.length > 0 ? fillMathPlaceholders(html, env) : html;
}
