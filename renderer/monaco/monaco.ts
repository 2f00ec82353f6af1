/**
 * Monaco, trimmed to what notebook cells need: the core editor API, the editor contributions
 * listed below, suggest, and a few languages. No TS/CSS/JSON/HTML language services (their
 * workers are large and unused). The one editor worker is a same-origin module file bundled by
 * vite, so the CSP needs only `worker-src 'self'`.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
// The editor contributions a notebook cell uses (not register.all: fewer modules to load at start).
import 'monaco-editor/features/codeEditor/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/caretOperations/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/dnd/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/lineSelection/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/parameterHints/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/tokenization/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/wordPartOperations/register';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/editor/browser/coreCommands';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/r/register';
import 'monaco-editor/languages/definitions/julia/register';
import 'monaco-editor/languages/definitions/markdown/register';
import 'monaco-editor/languages/definitions/shell/register';
import 'monaco-editor/languages/definitions/sql/register';
import 'monaco-editor/languages/definitions/javascript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

let configured = false;

/** Sets the worker factory and the Quire theme once. */
export function setupMonaco(): typeof monaco {
  if (configured) return monaco;
  configured = true;
  (globalThis as { MonacoEnvironment?: monaco.Environment }).MonacoEnvironment = {
    getWorker: () => new EditorWorker(),
  };
  monaco.editor.defineTheme('quire-light', {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': '#f7f8fa',
      'editor.lineHighlightBackground': '#00000000',
      'editor.lineHighlightBorder': '#00000000',
      'editorLineNumber.foreground': '#b0b6c0',
      'editorGutter.background': '#f7f8fa',
    },
  });
  monaco.editor.defineTheme('quire-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': '#1b1f27',
      'editor.lineHighlightBackground': '#00000000',
      'editor.lineHighlightBorder': '#00000000',
      'editorLineNumber.foreground': '#5c6370',
      'editorGutter.background': '#1b1f27',
    },
  });
  // The theme in force (features/settings/theme.ts); it sets monaco's theme again on every change.
  monaco.editor.setTheme(document.documentElement.dataset.theme === 'dark' ? 'quire-dark' : 'quire-light');
  return monaco;
}

/** Monaco's language id for a kernel language name (`python`, `R`, `julia`, ...). */
export function monacoLanguage(kernelLanguage: string | undefined): string {
  const name = (kernelLanguage ?? 'python').toLowerCase();
  const known = new Set(monaco.languages.getLanguages().map((l) => l.id));
  if (known.has(name)) return name;
  if (name === 'bash' || name === 'sh') return 'shell';
  return 'plaintext';
}

export { monaco };
