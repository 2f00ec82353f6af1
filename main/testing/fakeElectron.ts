/**
 * A stand-in for the `electron` module, for running the real main-process bundle under plain Node
 * where the Electron binary is absent (main/mainProcess.test.ts aliases `electron` to this file).
 * It implements only what main/ calls and records it; it is a test double, never shipped.
 */
import { EventEmitter } from 'node:events';

export interface Recorded {
  windows: FakeBrowserWindow[];
  menuTemplate?: unknown[];
  protocolHandler?: (request: { url: string }) => Promise<Response>;
  privilegedSchemes?: unknown[];
  permissionHandlers: number;
  quitCalls: number;
  exitCalls: number;
  recentDocuments: string[];
  openedExternal: string[];
  messageBoxes: unknown[];
  /** Answers for showMessageBox, in order (index into its buttons). */
  messageBoxAnswers: number[];
  singleInstanceLock: boolean;
}

export const recorded: Recorded = {
  windows: [], permissionHandlers: 0, quitCalls: 0, exitCalls: 0, recentDocuments: [], openedExternal: [],
  messageBoxes: [], messageBoxAnswers: [], singleInstanceLock: process.env.FAKE_ELECTRON_LOCK !== 'taken',
};
(globalThis as { __fakeElectron?: Recorded }).__fakeElectron = recorded;

class FakeApp extends EventEmitter {
  requestSingleInstanceLock() {
    return recorded.singleInstanceLock;
  }
  whenReady() {
    return Promise.resolve();
  }
  quit() {
    recorded.quitCalls++;
  }
  exit() {
    recorded.exitCalls++;
  }
  getPath(_name: string) {
    return process.env.FAKE_ELECTRON_USER_DATA ?? '/tmp';
  }
  getName() {
    return 'Quire';
  }
  addRecentDocument(path: string) {
    recorded.recentDocuments.push(path);
  }
  clearRecentDocuments() {
    recorded.recentDocuments = [];
  }
  showAboutPanel() {}
}
export const app = new FakeApp();

class FakeWebContents extends EventEmitter {
  sent: unknown[][] = [];
  destroyed = false;
  windowOpenHandler?: (details: { url: string }) => unknown;
  constructor(readonly id: number) {
    super();
  }
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  isDestroyed() {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
    this.windowOpenHandler = handler;
  }
}

let nextId = 1;
let focusedId = 0;
export class FakeBrowserWindow extends EventEmitter {
  readonly id = nextId++;
  readonly webContents: FakeWebContents;
  loadedUrl?: string;
  title = '';
  destroyed = false;
  edited = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    this.webContents = new FakeWebContents(this.id);
    recorded.windows.push(this);
    focusedId = this.id;
  }
  static getAllWindows() {
    return recorded.windows.filter((w) => !w.destroyed);
  }
  static getFocusedWindow() {
    return recorded.windows.find((w) => w.id === focusedId && !w.destroyed) ?? null;
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show() {}
  focus() {
    focusedId = this.id;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  maximize() {}
  isMaximized() {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 10, width: 900, height: 700 };
  }
  setTitle(title: string) {
    this.title = title;
  }
  setDocumentEdited(edited: boolean) {
    this.edited = edited;
  }
  setRepresentedFilename() {}
  isDestroyed() {
    return this.destroyed;
  }
  close() {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.webContents.emit('destroyed');
    this.emit('closed');
  }
}
export { FakeBrowserWindow as BrowserWindow };

export const ipcMain = new EventEmitter();

export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] as string[] }),
  showSaveDialog: async () => ({ canceled: true }),
  showMessageBox: async (_window: unknown, options: unknown) => {
    recorded.messageBoxes.push(options);
    return { response: recorded.messageBoxAnswers.shift() ?? 2 };
  },
};

export const Menu = {
  buildFromTemplate: (template: unknown[]) => template,
  setApplicationMenu: (menu: unknown[]) => {
    recorded.menuTemplate = menu;
  },
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => {
    recorded.privilegedSchemes = schemes;
  },
  handle: (_scheme: string, handler: (request: { url: string }) => Promise<Response>) => {
    recorded.protocolHandler = handler;
  },
};

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };

export const session = {
  defaultSession: {
    setPermissionRequestHandler: () => void recorded.permissionHandlers++,
    setPermissionCheckHandler: () => void recorded.permissionHandlers++,
  },
};

export const shell = {
  openExternal: async (url: string) => {
    recorded.openedExternal.push(url);
  },
};
