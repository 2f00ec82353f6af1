/**
 * Completion (complete_request) and hover (inspect_request) for cell editors, answered by the
 * notebook's live kernel. Registered once; the kernel is looked up at request time.
 */
import type { KernelClient } from '../../src/jupyter/kernelClient';
import type { CompleteReplyMsg, InspectReplyMsg } from '../../src/jupyter/messages';
import type { IDisposable } from '../../src/base/lifecycle';
import { monaco } from './monaco';

const LANGUAGES = ['python', 'r', 'julia', 'shell', 'sql', 'javascript', 'plaintext'];
const TIMEOUT_MS = 3_000;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

const KIND: Record<string, monaco.languages.CompletionItemKind> = {
  function: monaco.languages.CompletionItemKind.Function,
  class: monaco.languages.CompletionItemKind.Class,
  module: monaco.languages.CompletionItemKind.Module,
  keyword: monaco.languages.CompletionItemKind.Keyword,
  instance: monaco.languages.CompletionItemKind.Variable,
  statement: monaco.languages.CompletionItemKind.Variable,
  param: monaco.languages.CompletionItemKind.Variable,
  path: monaco.languages.CompletionItemKind.File,
  property: monaco.languages.CompletionItemKind.Property,
};

export function registerKernelLanguageFeatures(getClient: () => KernelClient | null | undefined): IDisposable {
  const disposables = LANGUAGES.flatMap((language) => [
    monaco.languages.registerCompletionItemProvider(language, {
      triggerCharacters: ['.'],
      async provideCompletionItems(model, position) {
        const client = getClient();
        if (!client) return { suggestions: [] };
        const code = model.getValue();
        const reply = await client.request<CompleteReplyMsg>('complete_request', { code, cursor_pos: model.getOffsetAt(position) }, 'shell', { timeoutMs: TIMEOUT_MS })
          .catch(() => undefined);
        if (!reply || reply.content.status !== 'ok') return { suggestions: [] };
        const { matches, cursor_start, cursor_end, metadata } = reply.content;
        const start = model.getPositionAt(cursor_start);
        const end = model.getPositionAt(cursor_end);
        const range = new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column);
        const types = new Map(((metadata?._jupyter_types_experimental ?? []) as Array<{ text: string; type?: string; signature?: string }>).map((t) => [t.text, t]));
        return {
          suggestions: matches.map((text, i) => ({
            label: text,
            insertText: text,
            range,
            sortText: String(i).padStart(5, '0'),
            kind: KIND[types.get(text)?.type ?? ''] ?? monaco.languages.CompletionItemKind.Text,
            detail: types.get(text)?.signature || types.get(text)?.type,
          })),
        };
      },
    }),
    monaco.languages.registerHoverProvider(language, {
      async provideHover(model, position) {
        const client = getClient();
        const word = model.getWordAtPosition(position);
        if (!client || !word) return null;
        const offset = model.getOffsetAt({ lineNumber: position.lineNumber, column: word.endColumn });
        const reply = await client.request<InspectReplyMsg>('inspect_request', { code: model.getValue(), cursor_pos: offset, detail_level: 0 }, 'shell', { timeoutMs: TIMEOUT_MS })
          .catch(() => undefined);
        const text = reply?.content.found ? String(reply.content.data['text/plain'] ?? '').replace(ANSI, '') : '';
        if (!text) return null;
        const clipped = text.length > 4000 ? `${text.slice(0, 4000)}\n…` : text;
        return {
          range: new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn),
          contents: [{ value: '```\n' + clipped.replace(/```/g, '`\u200b``') + '\n```' }],
        };
      },
    }),
  ]);
  return { dispose: () => disposables.forEach((d) => d.dispose()) };
}
