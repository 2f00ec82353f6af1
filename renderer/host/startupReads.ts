/**
 * The reads every window starts with, begun the moment the host is connected, while the app's
 * code is still loading: the workspace, then the notebook it opens, and the settings (whose theme is
 * put on the page as soon as it arrives, so a dark theme does not start white). The app's own first
 * `getWorkspace()` and `readNotebook(openPath)` take these answers (once each) instead of asking
 * again, so the host reads and parses the notebook while the browser evaluates the bundle.
 */
import type { HostApi, NotebookDocument, NotebookHead, WorkspaceInfo } from '../../src/host/contract';
import type { SettingsState } from '../../src/settings/settings';

/** A promise whose rejection is handled here too: nobody may ever take a prefetched answer. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

export function withStartupReads(host: HostApi): HostApi {
  const files = host.files;
  let workspace: Promise<WorkspaceInfo> | undefined = quiet(files.getWorkspace());
  let notebook: { path: string; read: Promise<NotebookDocument> } | undefined;
  let head: { path: string; read: Promise<NotebookHead | null> } | undefined;
  // Registered before anyone can take `workspace`, so the read is under way (and findable) by the
  // time the app's workspace reply asks for the notebook. Only a `.ipynb` path is read straight
  // away, as the open epic does; a folder is listed by the app itself.
  workspace.then((info) => {
    if (!info.openPath?.endsWith('.ipynb')) return;
    // Both at once: the head (a large notebook's first screen) answers while the whole file is read.
    notebook = { path: info.openPath, read: quiet(files.readNotebook(info.openPath)) };
    head = { path: info.openPath, read: quiet(files.readNotebookHead(info.openPath)) };
  }, () => undefined);
  let settings: Promise<SettingsState> | undefined = quiet(host.settings.get());
  settings.then((state) => {
    // 'system' is already on the page (main.tsx); the app's theme code takes over when it starts.
    if (state.settings.theme !== 'system' && typeof document !== 'undefined') document.documentElement.dataset.theme = state.settings.theme;
  }, () => undefined);
  return {
    ...host,
    settings: {
      ...host.settings,
      get() {
        const early = settings;
        settings = undefined;
        return early ?? host.settings.get();
      },
    },
    files: {
      ...files,
      getWorkspace() {
        const early = workspace;
        workspace = undefined;
        return early ?? files.getWorkspace();
      },
      readNotebook(path) {
        const early = notebook?.path === path ? notebook.read : undefined;
        notebook = undefined;
        return early ?? files.readNotebook(path);
      },
      readNotebookHead(path, options) {
        const early = head?.path === path && !options ? head.read : undefined;
        head = undefined;
        return early ?? files.readNotebookHead(path, options);
      },
    },
  };
}
