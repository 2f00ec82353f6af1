/**
 * The window: the open documents as tabs (each a `DocumentPane` in its own `DocumentContext`),
 * the file browser beside them, and what is the window's rather than a notebook's (the close
 * prompt, workspace notices). Panes of inactive tabs stay mounted.
 */
import { useEffect } from 'react';
import type { HostApi } from '../../src/host/contract';
import { isDirty } from '../features/files/flushEdits';
import { documentView } from '../store/documentState';
import { baseName } from './Toolbar';
import { ClosePrompt } from '../features/workspace/ClosePrompt';
import { TabBar } from '../features/workspace/TabBar';
import { FileBrowser } from '../features/workspace/FileBrowser';
import { QUIRE_PATH_MIME } from '../features/workspace/fileTree';
import { filesActions } from '../features/files/filesSlice';
import { workspaceActions } from '../features/workspace/workspaceSlice';
import { DocumentContext, useWindowDispatch, useWindowSelector } from '../store/hooks';
import { DocumentPane } from './DocumentPane';
import { HostContext } from './HostContext';
import { Icon } from './Icon';

export interface AppProps {
  host: HostApi;
}

export function App({ host }: AppProps): React.JSX.Element {
  const order = useWindowSelector((s) => s.workspace.order);
  const activeId = useWindowSelector((s) => s.workspace.activeId);
  const notice = useWindowSelector((s) => s.workspace.notice);
  const sidebarOpen = useWindowSelector((s) => s.workspace.sidebarOpen);
  // The workspace folder, as any document learned it from the host.
  const root = useWindowSelector((s) => s.workspace.order.map((id) => s.documents[id]?.files.workspace?.root).find(Boolean));
  const dispatch = useWindowDispatch();
  const activePath = useWindowSelector((s) => (activeId ? s.documents[activeId]?.files.path : undefined));
  const activeView = useWindowSelector((s) => (activeId ? s.documents[activeId]?.files.view : undefined));
  const activeDirty = useWindowSelector((s) => { const v = activeId ? documentView(s, activeId) : undefined; return v ? isDirty(v) : false; });
  // The shell asks before closing a window with unsaved changes in any of its tabs.
  const anyDirty = useWindowSelector((s) => s.workspace.order.some((id) => { const v = documentView(s, id); return v ? isDirty(v) : false; }));

  // Title: the active tab's file name and its unsaved marker (and the native window's document state in Electron).
  useEffect(() => {
    const name = activeView === 'notebook' || activeView === 'error' ? baseName(activePath) : 'Quire';
    document.title = `${activeDirty ? '● ' : ''}${name}${name === 'Quire' ? '' : ' — Quire'}`;
    host.native?.setDocumentState({ path: activePath, title: name, edited: anyDirty }).catch(() => undefined);
  }, [host, activeView, activePath, activeDirty, anyDirty]);

  // A notebook dragged from the file browser (or any element carrying our path type) opens in a tab.
  const onDragOver = (e: React.DragEvent) => {
    if (e.dataTransfer.types.includes(QUIRE_PATH_MIME)) { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; }
  };
  const onDrop = (e: React.DragEvent) => {
    const path = e.dataTransfer.getData(QUIRE_PATH_MIME);
    if (!path) return;
    e.preventDefault();
    dispatch(workspaceActions.openPathRequested({ path }));
  };
  return (
    <HostContext.Provider value={host}>
      <div className="quire-app">
        <TabBar />
        {notice ? (
          <div className="quire-banner" role="status" data-testid="workspace-notice">
            <span>{notice}</span>
            <button type="button" onClick={() => dispatch(workspaceActions.noticeDismissed())}>Dismiss</button>
          </div>
        ) : null}
        <div className="quire-workspace-body">
        {sidebarOpen && root ? (
          <FileBrowser
            root={root}
            activePath={activePath}
            onOpen={(path) => dispatch(workspaceActions.openPathRequested({ path }))}
            onRenamed={(from, to) => dispatch(filesActions.pathMoved({ from, to }))}
          />
        ) : null}
        <div className="quire-documents" onDragOver={onDragOver} onDrop={onDrop}>
          {order.map((id) => (
            <DocumentContext.Provider key={id} value={id}>
              <DocumentPane host={host} active={id === activeId} />
            </DocumentContext.Provider>
          ))}
          {order.length === 0 ? (
            <div className="quire-page quire-empty-workspace" data-testid="empty-workspace">
              <h1>No notebook open</h1>
              <p>Open one from the file browser, or start a new one.</p>
              <button type="button" className="quire-primary" onClick={() => dispatch(workspaceActions.newNotebookRequested({}))}>
                <Icon name="newFile" /> New notebook
              </button>
            </div>
          ) : null}
        </div>
        </div>
        <ClosePrompt />
      </div>
    </HostContext.Provider>
  );
}
