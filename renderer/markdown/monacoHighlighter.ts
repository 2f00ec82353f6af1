/** Code-fence highlighting with monaco's colorizer (the app already loads monaco for code cells). */
import { monaco, monacoLanguage } from '../monaco/monaco';
import type { CodeHighlighter } from './Markdown';

const ALIASES: Record<string, string> = { py: 'python', python3: 'python', ipython: 'python', ipython3: 'python', sh: 'shell', bash: 'shell', zsh: 'shell', js: 'javascript', md: 'markdown' };

/** Colorizes with monaco; rejects for languages monaco does not know here (the block stays plain). */
export const highlightWithMonaco: CodeHighlighter = async (code, language) => {
  const id = ALIASES[language.toLowerCase()] ?? monacoLanguage(language);
  if (id === 'plaintext') throw new Error(`no highlighter for ${language}`);
  // colorize escapes the text; its output is spans with monaco's token classes and <br/> line breaks.
  return monaco.editor.colorize(code.replace(/\n$/, ''), id, { tabSize: 4 });
};
