/// <reference types="vite/client" />
import { useContext, useEffect, useRef } from 'react';
import 'katex/dist/katex.min.css';
import './markdown.css';
import { monacoLoaded } from '../monaco/loadMonaco';
import { MarkdownImagesContext } from './MarkdownImagesContext';
import { renderMarkdown } from './renderMarkdown';
import { useKatexHtml } from './useKatex';
import type { Attachments } from './sanitize';
import { showMarkdownImages } from './showMarkdownImages';

/** Highlights one code block; resolves to HTML that is already escaped (monaco's `editor.colorize` fits). */
export type CodeHighlighter = (code: string, language: string) => Promise<string>;

/**
 * The default: monaco's colorizer, once the app has loaded monaco for its code cells; rendering
 * markdown never pulls monaco in by itself (tests, a notebook of only markdown stay plain).
 */
const monacoWhenLoaded: CodeHighlighter = async (code, language) => {
  await monacoLoaded();
  const { highlightWithMonaco } = await import('./monacoHighlighter');
  return highlightWithMonaco(code, language);
};

export interface MarkdownProps {
  /** Markdown source (nbformat multi-line values are joined by the caller or here). */
  source: string | string[];
  /** The cell's attachments, for `attachment:` image URLs. */
  attachments?: Attachments;
  className?: string;
  /** Highlighter for fenced code (default: monaco's colorizer once monaco is loaded; `null` = plain). */
  highlightCode?: CodeHighlighter | null;
}

/**
 * Rendered markdown (GitHub-flavoured, KaTeX math once KaTeX has loaded, sanitized HTML). Used by
 * markdown cells and by `text/markdown` outputs. Images by path are taken from the notebook's folder
 * (MarkdownImagesContext) and appear once read, after the text is drawn.
 */
export function Markdown({ source, attachments, className, highlightCode = monacoWhenLoaded }: MarkdownProps): React.JSX.Element {
  const text = Array.isArray(source) ? source.join('') : source;
  const images = useContext(MarkdownImagesContext);
  const html = useKatexHtml(() => renderMarkdown(text, { attachments, imageFolder: images.folder }), [text, attachments, images.folder]);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => (ref.current ? showMarkdownImages(ref.current, images.load) : undefined), [html, images.load]);

  useEffect(() => {
    const root = ref.current;
    if (!root || !highlightCode) return;
    let cancelled = false;
    for (const code of root.querySelectorAll<HTMLElement>('pre > code[class*="language-"]')) {
      const language = /language-([\w+#.-]+)/.exec(code.className)?.[1] ?? '';
      if (!language) continue;
      highlightCode(code.textContent ?? '', language).then(
        (highlighted) => {
          if (!cancelled && code.isConnected) code.innerHTML = highlighted;
        },
        () => undefined, // unknown language: stay plain
      );
    }
    return () => {
      cancelled = true;
    };
  }, [html, highlightCode]);

  return <div ref={ref} className={className ? `quire-markdown ${className}` : 'quire-markdown'} dangerouslySetInnerHTML={{ __html: html }} />;
}
