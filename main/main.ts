/**
 * Electron main process: thin glue. App lifecycle, single-instance hand-off, the app:// scheme,
 * menus from the command registry (with the user's shortcut overrides), and one window per notebook,
 * each a client of the app's one host (kernels, files, runs, settings) behind the RPC protocol
 * only — moving the host to a utilityProcess later changes main/ alone.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import type { JsonValue } from '../src/jupyter/messages';
import { createHost } from '../kernels/host/createHost';
import { appResponse } from './appResponse';
import { handleSecondInstance, OpenRequests, pathsFromArgv } from './argv';
import { createCommandRouter } from './commandRouter';
import { HostBridge } from './hostBridge';
import { buildMenuTemplate } from './menus';
import { APP_SCHEME, permissionCheckHandler, permissionRequestHandler, preventWebview } from './security';
import { WindowManager } from './windows';

const here = dirname(fileURLToPath(import.meta.url)); // dist/main
const rendererDir = join(here, '..', 'renderer');
const preloadPath = join(here, 'preload.cjs');
const iconCandidate = join(here, '..', '..', 'assets', 'icons', '512x512.png');

// Must happen before `ready`: our pages get a standard, secure origin instead of file://.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);

const requests = new OpenRequests();
const defaultApp = Boolean(process.defaultApp);

if (!app.requestSingleInstanceLock()) {
  // Another Quire is running: it receives our argv through `second-instance`.
  app.quit();
} else {
  // macOS sends double-clicked files as events, possibly before `ready`.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    requests.add([path]);
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', preventWebview);
  });
  void start();
}

async function start(): Promise<void> {
  // Windows groups taskbar entries and jump lists (recent documents) by this id (electron-builder appId).
  if (process.platform === 'win32') app.setAppUserModelId('dev.quire.app');
  await app.whenReady();
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request.url));
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback, details) => permissionRequestHandler(wc, permission, callback, details));
  session.defaultSession.setPermissionCheckHandler((wc, permission, origin) => permissionCheckHandler(wc, permission, origin));

  // One host for the whole session, every window a client of it; it stops (all kernels) on quit.
  const host = createHost({ root: homedir(), shell: 'electron' });
  const bridge = new HostBridge(ipcMain);
  let recentFiles: string[] = [];
  let keybindings: Readonly<Record<string, string>> = {};
  const windows = new WindowManager({
    host,
    bridge,
    preloadPath,
    stateFile: join(app.getPath('userData'), 'window-state.json'),
    iconPath: existsSync(iconCandidate) ? iconCandidate : undefined,
    onDocumentChanged: () => void refreshMenu(),
  });

  function openInFocusedWindow(path: string): void {
    const focused = windows.focusedNative();
    if (focused) focused.requestCommand('notebook.openPath', path);
    else windows.open(path);
  }

  const route = createCommandRouter({
    mainHandlers: {
      // A window has tabs: new and opened notebooks go to the focused window's tabs; a new window only when none is focused.
      'notebook.new': () => {
        const focused = windows.focusedNative();
        if (focused) focused.requestCommand('notebook.new');
        else void windows.open();
      },
      'notebook.open': async () => {
        const parent = windows.focusedWindow();
        const options = { properties: ['openFile' as const], filters: [{ name: 'Jupyter Notebooks', extensions: ['ipynb'] }], defaultPath: homedir() };
        const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
        if (!result.canceled && result.filePaths[0]) openInFocusedWindow(result.filePaths[0]);
      },
      'notebook.openRecent': (path?: JsonValue) => {
        if (typeof path === 'string') openInFocusedWindow(path);
      },
      'window.close': () => windows.focusedWindow()?.close(),
      'help.about': () => app.showAboutPanel(),
    },
    focusedRenderer: () => windows.focusedNative(),
    onError: (command, error) => console.error(`quire: ${command} failed:`, error),
  });

  async function refreshMenu(): Promise<void> {
    try {
      recentFiles = await host.files.getRecentFiles();
    } catch {
      // the file service is optional for the menu; keep the last list
    }
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({
      platform: process.platform,
      appName: app.getName(),
      recentFiles,
      keybindings,
      dispatch: (command, args) => void route(command, args),
      clearRecentFiles: () => {
        recentFiles = [];
        app.clearRecentDocuments();
        void refreshMenu();
      },
    })));
  }

  // Shortcut overrides (Settings, or settings.json edited on disk) change the menu's accelerators.
  const applyKeybindings = (next: Readonly<Record<string, string>>): boolean => {
    if (JSON.stringify(next) === JSON.stringify(keybindings)) return false;
    keybindings = next;
    return true;
  };
  host.settings.onDidChange((state) => {
    if (applyKeybindings(state.settings.keybindings)) void refreshMenu();
  });

  app.on('second-instance', (_event, argv, workingDirectory) => {
    handleSecondInstance(argv, workingDirectory, {
      defaultApp,
      openPaths: (paths) => requests.add(paths),
      focusAnyWindow: () => windows.focusAny(),
      openEmptyWindow: () => void windows.open(),
    });
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) windows.open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Windows close first (each asks about unsaved changes); then wait for every kernel to stop.
  let kernelsStopped = false;
  app.on('will-quit', (event) => {
    if (kernelsStopped) return;
    event.preventDefault();
    void host.shutdown().catch((error: unknown) => console.error('quire: kernel shutdown failed:', error)).finally(() => {
      kernelsStopped = true;
      bridge.dispose();
      app.quit();
    });
  });

  try {
    applyKeybindings((await host.settings.get()).settings.keybindings);
  } catch (error) {
    console.error('quire: reading settings failed:', error);
  }
  await refreshMenu();
  requests.add(pathsFromArgv(process.argv, { cwd: process.cwd(), defaultApp }));
  if (requests.ready((path) => void windows.open(path)) === 0) windows.open();
}
