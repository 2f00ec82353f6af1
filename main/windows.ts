import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { app, BrowserWindow, dialog, screen, shell } from 'electron';
import { type IDisposable, toDisposable } from '../src/base/lifecycle';
import type { DocumentState } from '../src/host/contract';
import type { QuireHost } from '../kernels/host/createHost';
import type { HostBridge } from './hostBridge';
import { CLOSE_BUTTONS, CloseGuard, WindowNativeHost } from './nativeHost';
import { APP_ENTRY_URL, createWillNavigateHandler, createWindowOpenHandler, isSafeExternalUrl, secureWebPreferences } from './security';
import { loadWindowState, MIN_SIZE, restoreBounds, saveWindowState } from './windowState';

export interface WindowManagerOptions {
  /** The app's one host: every window is a client of it. */
  host: QuireHost;
  bridge: HostBridge;
  preloadPath: string;
  /** window-state.json under userData. */
  stateFile: string;
  iconPath?: string;
  /** Called when a window's document changes (menus show recent files). */
  onDocumentChanged(): void;
}

interface AppWindow {
  window: BrowserWindow;
  native: WindowNativeHost;
  path?: string;
  disposables: IDisposable[];
}

const openExternal = (url: string) => {
  if (isSafeExternalUrl(url)) void shell.openExternal(url);
};

/**
 * One window per notebook, each a client of the app's one host (kernels/host/hostClient.ts) over
 * the IPC bridge: its own workspace answer (the notebook it opens), its own native services
 * (dialogs, title, menu commands), and its kernels, which stop when it closes or reloads. Runs and
 * other windows' kernels go on; the host itself stops when the app quits (main.ts).
 */
export class WindowManager {
  private readonly _windows = new Map<number, AppWindow>();

  constructor(private readonly _options: WindowManagerOptions) {}

  /** Opens `path` (a notebook or folder) in a new window, or focuses the window that has it. */
  open(path?: string): BrowserWindow {
    const target = path ? resolve(path) : undefined;
    const existing = target ? [...this._windows.values()].find((w) => w.path === target) : undefined;
    if (existing) {
      if (existing.window.isMinimized()) existing.window.restore();
      existing.window.focus();
      return existing.window;
    }
    const isFolder = target !== undefined && existsSync(target) && statSync(target).isDirectory();
    const root = target ? (isFolder ? target : dirname(target)) : homedir();
    const state = restoreBounds(loadWindowState(this._options.stateFile), screen.getAllDisplays().map((d) => d.workArea), this._windows.size);
    const window = new BrowserWindow({
      ...state.bounds,
      minWidth: MIN_SIZE.width,
      minHeight: MIN_SIZE.height,
      show: false,
      title: target && !isFolder ? basename(target) : 'Quire',
      backgroundColor: '#ffffff',
      ...(this._options.iconPath ? { icon: this._options.iconPath } : {}),
      webPreferences: secureWebPreferences(this._options.preloadPath),
    });
    if (state.maximized) window.maximize();

    const native = new WindowNativeHost({
      showOpenDialog: (o) => dialog.showOpenDialog(window, o),
      showSaveDialog: (o) => dialog.showSaveDialog(window, o),
      openExternal: (url) => shell.openExternal(url),
      applyDocumentState: (s) => this._applyDocumentState(entry, s),
    });
    const entry: AppWindow = { window, native, path: target && !isFolder ? target : undefined, disposables: [] };
    this._windows.set(window.id, entry);

    const contents = window.webContents;
    contents.on('will-navigate', createWillNavigateHandler(openExternal));
    contents.setWindowOpenHandler(createWindowOpenHandler(openExternal));
    // Each page load is a client; a reload opens the window's current notebook (after a Save As, the new one).
    const connect = () => {
      const client = this._options.host.connectClient({ root, openPath: entry.path ?? target, native });
      client.readAheadOpenNotebook();
      return client;
    };
    entry.disposables.push(this._options.bridge.attach(contents, connect), native);

    // Remember size and place as they change (debounced), not only on a clean close.
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    const saveSoon = () => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => {
        if (!window.isDestroyed()) saveWindowState(this._options.stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
      }, 500);
    };
    window.on('resize', saveSoon);
    window.on('move', saveSoon);
    entry.disposables.push(toDisposable(() => clearTimeout(saveTimer)));

    const guard = new CloseGuard(() => native.documentState);
    entry.disposables.push(native.onDidChangeDocumentState((s) => {
      if (guard.onStateChanged(s) === 'close') window.close();
    }));
    window.on('close', (event) => {
      if (guard.onCloseRequested() === 'close') {
        saveWindowState(this._options.stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
        return;
      }
      event.preventDefault();
      void dialog.showMessageBox(window, {
        type: 'warning',
        buttons: [...CLOSE_BUTTONS],
        defaultId: 0,
        cancelId: 2,
        message: `Do you want to save the changes you made to ${native.documentState.title}?`,
        detail: "Your changes will be lost if you don't save them.",
      }).then(({ response }) => {
        const decision = guard.onAnswer(response);
        if (decision === 'save') native.requestCommand('notebook.save');
        else if (decision === 'close') window.close();
      });
    });
    window.on('closed', () => {
      this._windows.delete(entry.window.id);
      // Detaching closes the window's client: its kernels shut down (the host waits for that on quit).
      for (const d of entry.disposables) d.dispose();
    });
    window.once('ready-to-show', () => window.show());
    void window.loadURL(APP_ENTRY_URL);
    if (entry.path) app.addRecentDocument(entry.path);
    return window;
  }

  private _applyDocumentState(entry: AppWindow, state: DocumentState): void {
    const { window } = entry;
    if (window.isDestroyed()) return;
    window.setTitle(`${state.edited ? '● ' : ''}${state.title} — Quire`);
    window.setDocumentEdited(state.edited);
    if (state.path) {
      const path = resolve(state.path);
      if (path !== entry.path) {
        entry.path = path;
        window.setRepresentedFilename(path);
        app.addRecentDocument(path);
      }
    }
    this._options.onDocumentChanged();
  }

  /** The focused window's native host, for menu commands. */
  focusedNative(): WindowNativeHost | undefined {
    const focused = BrowserWindow.getFocusedWindow();
    return focused ? this._windows.get(focused.id)?.native : undefined;
  }

  focusedWindow(): BrowserWindow | undefined {
    return BrowserWindow.getFocusedWindow() ?? undefined;
  }

  /** Brings some window forward; false when there is none. */
  focusAny(): boolean {
    const any = [...this._windows.values()].at(-1);
    if (!any) return false;
    if (any.window.isMinimized()) any.window.restore();
    any.window.focus();
    return true;
  }

  get count(): number {
    return this._windows.size;
  }
}
