import { Emitter } from '../src/base/event';
import type { IDisposable } from '../src/base/lifecycle';
import { ErrorCode, QuireError } from '../src/errors';
import type { DocumentState, FileDialogOptions, INativeHostService } from '../src/host/contract';
import type { JsonValue } from '../src/jupyter/messages';
import { isSafeExternalUrl } from './security';

/** Electron calls a window's native host needs (injected, so the logic is tested without Electron). */
export interface NativeHostDeps {
  showOpenDialog(options: { title?: string; defaultPath?: string; filters?: FileDialogOptions['filters']; properties: Array<'openFile'> }): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(options: { title?: string; defaultPath?: string; filters?: FileDialogOptions['filters'] }): Promise<{ canceled: boolean; filePath?: string }>;
  openExternal(url: string): Promise<void>;
  /** Title, edited dot (macOS), represented file, recent documents. */
  applyDocumentState(state: DocumentState): void;
}

const NOTEBOOK_FILTERS = [{ name: 'Jupyter Notebooks', extensions: ['ipynb'] }, { name: 'All Files', extensions: ['*'] }];

/** INativeHostService for one window: its dialogs are modal to it; its commands come from menus. */
export class WindowNativeHost implements INativeHostService, IDisposable {
  private readonly _onDidRequestCommand = new Emitter<{ command: string; args?: JsonValue }>();
  readonly onDidRequestCommand = this._onDidRequestCommand.event;
  private readonly _onDidChangeDocumentState = new Emitter<DocumentState>();
  /** Fires on every setDocumentState (the window manager tracks unsaved changes with it). */
  readonly onDidChangeDocumentState = this._onDidChangeDocumentState.event;
  private _state: DocumentState = { title: 'Untitled', edited: false };

  constructor(private readonly _deps: NativeHostDeps) {}

  get documentState(): DocumentState {
    return this._state;
  }

  async showOpenDialog(options: FileDialogOptions): Promise<string | undefined> {
    const result = await this._deps.showOpenDialog({
      title: options?.title ?? 'Open Notebook', defaultPath: options?.defaultPath, filters: options?.filters ?? NOTEBOOK_FILTERS, properties: ['openFile'],
    });
    return result.canceled ? undefined : result.filePaths[0];
  }

  async showSaveDialog(options: FileDialogOptions): Promise<string | undefined> {
    const result = await this._deps.showSaveDialog({
      title: options?.title ?? 'Save Notebook', defaultPath: options?.defaultPath, filters: options?.filters ?? NOTEBOOK_FILTERS,
    });
    return result.canceled || !result.filePath ? undefined : result.filePath;
  }

  async openExternal(url: string): Promise<void> {
    if (typeof url !== 'string' || !isSafeExternalUrl(url)) {
      throw new QuireError(ErrorCode.InvalidArgument, 'Only http(s) links can be opened in the browser', { url: String(url) });
    }
    await this._deps.openExternal(url);
  }

  async setDocumentState(state: DocumentState): Promise<void> {
    if (typeof state !== 'object' || state === null || typeof state.title !== 'string' || typeof state.edited !== 'boolean') {
      throw new QuireError(ErrorCode.InvalidArgument, 'setDocumentState takes { title: string; edited: boolean; path?: string }');
    }
    this._state = { title: state.title, edited: state.edited, ...(typeof state.path === 'string' ? { path: state.path } : {}) };
    this._deps.applyDocumentState(this._state);
    this._onDidChangeDocumentState.fire(this._state);
  }

  /** A menu item or OS event for this window's renderer. */
  requestCommand(command: string, args?: JsonValue): void {
    this._onDidRequestCommand.fire(args === undefined ? { command } : { command, args });
  }

  dispose(): void {
    this._onDidRequestCommand.dispose();
    this._onDidChangeDocumentState.dispose();
  }
}

/** The answers of the unsaved-changes dialog, in button order. */
export const CLOSE_BUTTONS = ['Save', "Don't Save", 'Cancel'] as const;

/**
 * Whether a window may close. With unsaved changes it asks; "Save" asks the renderer to save and
 * closes once it reports the document clean; "Cancel" keeps the window (and cancels a quit).
 */
export class CloseGuard {
  private _closeAfterSave = false;
  private _allowClose = false;

  constructor(private readonly _state: () => DocumentState) {}

  /** On the window's `close` event: 'close' lets it close, 'ask' means prevent it and show the dialog. */
  onCloseRequested(): 'close' | 'ask' {
    return this._allowClose || !this._state().edited ? 'close' : 'ask';
  }

  /** The dialog's answer (index into CLOSE_BUTTONS). */
  onAnswer(response: number): 'save' | 'close' | 'cancel' {
    if (response === 0) {
      this._closeAfterSave = true;
      return 'save';
    }
    if (response === 1) {
      this._allowClose = true;
      return 'close';
    }
    return 'cancel';
  }

  /** After a document state change: 'close' once a requested save has finished. */
  onStateChanged(state: DocumentState): 'close' | undefined {
    if (this._closeAfterSave && !state.edited) {
      this._closeAfterSave = false;
      this._allowClose = true;
      return 'close';
    }
    return undefined;
  }
}
