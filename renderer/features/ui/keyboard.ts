/**
 * Jupyter's two modes at the keyboard. One capture-phase keydown listener on the window turns
 * keys into registry commands (src/commands) — before monaco sees them, so Shift+Enter runs
 * instead of inserting a newline — plus the navigation keys that are not menu commands.
 */
import { COMMANDS } from '../../../src/commands/commands';
import { withKeybindingOverrides } from '../../../src/commands/keybindingOverrides';
import { commandsForShell, KeybindingResolver } from '../../../src/commands/keybindings';
import type { IDisposable } from '../../../src/base/lifecycle';
import type { DocumentState } from '../../store/documentState';
import type { DocumentDispatch, DocumentId } from '../../store/documentStore';
import { cursorOffset, editorWidgetOpen } from '../../components/CodeEditor';
import { notebookActions } from '../notebook/notebookSlice';
import { navigation, runCommand } from './commands';
import { uiActions } from './uiSlice';

function inMonaco(target: EventTarget | null): boolean {
  return target instanceof Element && !!target.closest('.monaco-editor');
}

/** Text fields, dialogs and widgets with their own keys (an ARIA tree: the file browser's arrows, Enter, F2, Delete). */
function inOtherInput(target: EventTarget | null): boolean {
  return target instanceof Element && !inMonaco(target) && !!target.closest('input, textarea, select, [contenteditable="true"], .quire-modal, [role="tree"]');
}

/** Focus the notebook itself (command mode keeps keyboard focus off the editors). */
export function focusNotebook(): void {
  const notebook = document.querySelector('[data-testid="document"][data-active="true"] [data-testid="notebook"]') ?? document.querySelector('[data-testid="notebook"]');
  (notebook as HTMLElement | null)?.focus({ preventScroll: true });
}

/** The document the keys act on (the active tab's, store/documentStore.ts). */
export interface KeyboardStore {
  getState(): DocumentState;
  dispatch: DocumentDispatch;
  documentId?(): DocumentId | undefined;
}

/**
 * Installs the keyboard. In Electron the main process owns some shortcuts (Ctrl+O/N/W: native
 * dialogs, a new window) through its menu accelerators, so the page does not bind them.
 */
export function installKeyboard(store: KeyboardStore, platform: 'mac' | 'other', shell: 'electron' | 'browser'): IDisposable {
  // Rebuilt when the user's shortcut overrides (the `keybindings` setting) change.
  let overrides: Readonly<Record<string, string>> | undefined;
  let resolver = new KeybindingResolver(platform, commandsForShell(shell));
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.isComposing || event.defaultPrevented) return;
    const state = store.getState();
    if (state.settings.settings.keybindings !== overrides) {
      overrides = state.settings.settings.keybindings;
      resolver = new KeybindingResolver(platform, commandsForShell(shell, withKeybindingOverrides(COMMANDS, overrides)));
    }
    if (state.files.view !== 'notebook' && !(event.ctrlKey || event.metaKey)) return;
    const editing = inMonaco(event.target);
    const other = inOtherInput(event.target);
    // Text fields (find bar, input(), dialogs) keep their keys; only Ctrl/Cmd chords get through.
    if (other && !(event.ctrlKey || event.metaKey)) return;
    const mode = editing ? 'edit' : 'command';
    const consume = () => { event.preventDefault(); event.stopPropagation(); };

    if (editing && event.key === 'Escape' && !event.shiftKey && !event.ctrlKey && !event.altKey) {
      if (editorWidgetOpen(state.ui.activeId, store.documentId?.())) return;
      consume();
      (document.activeElement as HTMLElement | null)?.blur();
      store.dispatch(uiActions.modeChanged('command'));
      focusNotebook();
      return;
    }

    const command = resolver.resolve(event, mode);
    if (command === 'pending') { consume(); return; }
    if (command === 'cell.split') {
      const id = state.ui.activeId;
      const offset = id ? cursorOffset(id, store.documentId?.()) : undefined;
      if (id && offset !== undefined) { consume(); store.dispatch(notebookActions.cellSplit({ id, offset })); }
      return;
    }
    if (command) {
      consume();
      store.dispatch(runCommand(command));
      if (command === 'cell.runAndAdvance' || command === 'cell.run') {
        if (editing && command === 'cell.run') return;
        if (!editing) focusNotebook();
      }
      return;
    }
    if (editing || other || event.ctrlKey || event.metaKey || event.altKey) return;

    // Command-mode navigation.
    switch (event.key) {
      case 'Enter': {
        consume();
        const id = state.ui.activeId;
        if (!id) return;
        const cell = state.notebook.cells.find((c) => c.id === id);
        if (cell?.cell_type === 'markdown') store.dispatch(uiActions.markdownEditingChanged({ id, editing: true }));
        store.dispatch(uiActions.modeChanged('edit'));
        return;
      }
      case 'ArrowUp': case 'k': case 'K':
        consume();
        store.dispatch(navigation.selectRelative(-1, event.shiftKey));
        return;
      case 'ArrowDown': case 'j': case 'J':
        consume();
        store.dispatch(navigation.selectRelative(1, event.shiftKey));
        return;
      default:
    }
  };
  window.addEventListener('keydown', onKeyDown, true);
  return { dispose: () => window.removeEventListener('keydown', onKeyDown, true) };
}
