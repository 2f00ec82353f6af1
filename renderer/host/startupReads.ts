/**
 * The two reads every window starts with, begun the moment the host is connected, while the app's
 * code is still loading: the workspace, then the notebook it opens. The app's own first
 * `getWorkspace()` and `readNotebook(openPath)` take these answers (once each) instead of asking
 * again, so the host reads and parses the notebook while the browser evaluates the bundle.
 */
import type { HostApi, NotebookDocument, WorkspaceInfo } from '../../src/host/contract';

/** A promise whose rejection is handled here too: nobody may ever take a prefetched answer. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

export function withStartupReads(host: HostApi): HostApi {
  const files = host.files;
  let workspace: Promise<WorkspaceInfo> | undefined = quiet(files.getWorkspace());
  let notebook: { path: string; read: Promise<NotebookDocument> } | undefined;
  // Registered before anyone can take `workspace`, so the read is under way (and findable) by the
  // time the app's workspace reply asks for the notebook. Only a `.ipynb` path is read straight
  // away, as the open epic does; a folder is listed by the app itself.
  workspace.then((info) => {
    if (info.openPath?.endsWith('.ipynb')) notebook = { path: info.openPath, read: quiet(files.readNotebook(info.openPath)) };
  }, () => undefined);
  return {
    ...host,
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
    },
  };
}
