/**
 * One monaco editor for one visible cell. It sizes itself to its content (the notebook scrolls,
 * not the editor), reports edits upward, and follows source changes made elsewhere (undo of a
 * cell op, replace all) without losing its own undo stack.
 */
import { memo, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { monaco } from '../monaco/monaco';
import { loadedMonaco, loadMonaco } from '../monaco/loadMonaco';
import { scheduleUpgrade } from '../monaco/upgradeQueue';
import { editorLineHeight } from '../features/settings/applySettings';
import { useSetting } from '../features/settings/settingsBridge';
import { currentTheme, monacoThemeFor } from '../features/settings/theme';
import { DocumentContext } from '../store/hooks';

export interface CodeEditorProps {
  cellId: string;
  value: string;
  language: string | undefined;
  /** Changes when this editor should take focus. */
  focusToken?: number;
  /** Default: the `editor.lineNumbers` setting. */
  lineNumbers?: boolean;
  /** The find bar's query, highlighted in this cell while the bar is open. */
  highlight?: { query: string; caseSensitive: boolean };
  onChange(text: string): void;
  onFocus?(): void;
  /** Stay plain text (no editor, no upgrade on click) while set: a notebook whose rest is still being read. */
  readOnly?: boolean;
}

/**
 * Live editors by document and cell id, for commands that need the cursor (split at cursor). Two
 * open notebooks can hold the same cell ids (a duplicated file), hence the document in the key.
 */
export const liveEditors = new Map<string, monaco.editor.IStandaloneCodeEditor>();

export function editorKey(cellId: string, documentId: string | undefined): string {
  return documentId === undefined ? cellId : `${documentId}\u0000${cellId}`;
}

export const CodeEditor = memo(function CodeEditor({ cellId, value, language, focusToken, lineNumbers: lineNumbersProp, highlight, onChange, onFocus, readOnly = false }: CodeEditorProps): React.JSX.Element {
  const documentId = useContext(DocumentContext);
  // The editor.* settings (settings.json), applied to live editors as they change.
  const fontFamily = useSetting('editor.fontFamily');
  const fontSize = useSetting('editor.fontSize');
  const wordWrap = useSetting('editor.wordWrap');
  const lineNumbersSetting = useSetting('editor.lineNumbers');
  const lineNumbers = lineNumbersProp ?? lineNumbersSetting;
  const lineHeight = editorLineHeight(fontSize);
  const lineHeightRef = useRef(lineHeight);
  lineHeightRef.current = lineHeight;
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const callbacks = useRef({ onChange, onFocus });
  callbacks.current = { onChange, onFocus };
  // While applying an outside change, don't echo it back as an edit.
  const applying = useRef(false);
  // Plain text until an idle slot (or a click/focus) turns the cell into an editor.
  const [live, setLive] = useState(false);
  const pending = useRef<{ focus: boolean; click?: { x: number; y: number } }>({ focus: false });
  // A click or focus before monaco has loaded upgrades as soon as it is here.
  const readOnlyRef = useRef(readOnly);
  readOnlyRef.current = readOnly;
  const upgradeNow = useCallback(() => {
    if (readOnlyRef.current) return;
    if (loadedMonaco()) setLive(true);
    else loadMonaco().then(() => setLive(true), () => undefined);
  }, []);

  // Synchronous, so the upgrade queue's idle slot counts this editor's real cost.
  useEffect(() => (live || readOnly ? undefined : scheduleUpgrade(() => flushSync(() => setLive(true)))), [live, readOnly]);

  useEffect(() => {
    const loaded = loadedMonaco();
    if (!live || !loaded) return;
    const { monaco, monacoLanguage } = loaded;
    const el = host.current!;
    const model = monaco.editor.createModel(value, monacoLanguage(language), monaco.Uri.parse(`inmemory://cell/${encodeURIComponent(documentId ?? 'window')}/${encodeURIComponent(cellId)}`));
    // The size is known before the editor exists: set it, so creating the editor measures the
    // page once and renders with the next frame rather than forcing layouts of its own.
    const heightFor = (contentHeight: number) => Math.max(lineHeightRef.current + 16, contentHeight);
    el.style.height = `${heightFor(model.getLineCount() * lineHeightRef.current + 16)}px`;
    const editor = monaco.editor.create(el, {
      model,
      dimension: { width: el.clientWidth, height: el.clientHeight },
      theme: monacoThemeFor(currentTheme()),
      fontSize,
      lineHeight,
      fontFamily,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      lineNumbers: lineNumbers ? 'on' : 'off',
      lineDecorationsWidth: lineNumbers ? 8 : 4,
      lineNumbersMinChars: 3,
      glyphMargin: false,
      folding: false,
      renderLineHighlight: 'none',
      overviewRulerLanes: 0,
      overviewRulerBorder: false,
      hideCursorInOverviewRuler: true,
      scrollbar: { vertical: 'hidden', horizontal: 'auto', alwaysConsumeMouseWheel: false, horizontalScrollbarSize: 8 },
      padding: { top: 8, bottom: 8 },
      wordWrap: wordWrap ? 'on' : 'off',
      automaticLayout: false,
      fixedOverflowWidgets: true,
      contextmenu: true,
      tabSize: 4,
      insertSpaces: true,
      detectIndentation: false,
      ariaLabel: 'Cell editor',
    });
    editorRef.current = editor;
    liveEditors.set(editorKey(cellId, documentId), editor);
    // `layout(…, true)`: render in monaco's next frame, with every other editor's, not now.
    const resize = () => {
      const height = heightFor(editor.getContentHeight());
      if (el.style.height === `${height}px`) return;
      el.style.height = `${height}px`;
      editor.layout({ width: el.clientWidth, height }, true);
    };
    resize();
    const subs = [
      editor.onDidContentSizeChange(resize),
      model.onDidChangeContent(() => { if (!applying.current) callbacks.current.onChange(model.getValue()); }),
      editor.onDidFocusEditorText(() => callbacks.current.onFocus?.()),
    ];
    const observer = new ResizeObserver(() => editor.layout({ width: el.clientWidth, height: el.clientHeight }, true));
    observer.observe(el);
    const { focus, click } = pending.current;
    pending.current = { focus: false };
    if (click) {
      const target = editor.getTargetAtClientPoint(click.x, click.y);
      if (target?.position) editor.setPosition(target.position);
    }
    if (focus || click) editor.focus();
    return () => {
      observer.disconnect();
      subs.forEach((s) => s.dispose());
      if (liveEditors.get(editorKey(cellId, documentId)) === editor) liveEditors.delete(editorKey(cellId, documentId));
      editor.dispose();
      model.dispose();
      editorRef.current = null;
    };
    // The editor is created once per mounted cell; later changes are applied by the effects below.
  }, [cellId, live]);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!model || model.getValue() === value) return;
    applying.current = true;
    editor!.pushUndoStop();
    model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
    editor!.pushUndoStop();
    applying.current = false;
  }, [value]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    const loaded = loadedMonaco();
    if (model && loaded) loaded.monaco.editor.setModelLanguage(model, loaded.monacoLanguage(language));
  }, [language]);

  useEffect(() => {
    editorRef.current?.updateOptions({
      lineNumbers: lineNumbers ? 'on' : 'off', lineDecorationsWidth: lineNumbers ? 8 : 4,
      fontFamily, fontSize, lineHeight, wordWrap: wordWrap ? 'on' : 'off',
    });
  }, [lineNumbers, fontFamily, fontSize, lineHeight, wordWrap]);

  // Find bar matches as decorations (recomputed when the query or the text changes).
  const query = highlight?.query ?? '';
  const caseSensitive = highlight?.caseSensitive ?? false;
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || !query) return;
    const matches = model.findMatches(query, false, false, caseSensitive, null, false);
    const decorations = editor.createDecorationsCollection(matches.map((m) => ({ range: m.range, options: { inlineClassName: 'quire-find-match' } })));
    return () => decorations.clear();
  }, [query, caseSensitive, value, live]);

  useEffect(() => {
    if (!focusToken) return;
    if (editorRef.current) editorRef.current.focus();
    else {
      pending.current.focus = true;
      upgradeNow();
    }
  }, [focusToken, upgradeNow]);

  if (!live) {
    return (
      <div className="quire-editor is-static" data-testid="cell-editor">
        <pre className="quire-static-code" onMouseDown={(e) => { pending.current = { focus: true, click: { x: e.clientX, y: e.clientY } }; upgradeNow(); }}>
          {value === '' ? ' ' : value}
        </pre>
      </div>
    );
  }
  return <div className="quire-editor" ref={host} data-testid="cell-editor" />;
});

/** The cursor's character offset in a cell's live editor, if it has one. */
export function cursorOffset(cellId: string, documentId?: string): number | undefined {
  const editor = liveEditors.get(editorKey(cellId, documentId));
  const model = editor?.getModel();
  const position = editor?.getPosition();
  return model && position ? model.getOffsetAt(position) : undefined;
}

/** True when a monaco widget (suggest, find, parameter hints) should get Escape first. */
export function editorWidgetOpen(cellId: string | undefined, documentId?: string): boolean {
  const editor = cellId ? liveEditors.get(editorKey(cellId, documentId)) : undefined;
  const node = editor?.getContainerDomNode();
  return !!node?.querySelector('.suggest-widget.visible, .find-widget.visible, .parameter-hints-widget.visible')
    || !!document.querySelector('.monaco-editor-overlaymessage, .overflowingContentWidgets .suggest-widget.visible');
}
