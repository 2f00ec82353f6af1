/**
 * One tab's document: toolbar, the notebook (or folder, error page), banners, status bar and
 * panels. Every open document keeps its
 * pane mounted; hidden ones skip rendering (`content-visibility`) but keep their scroll
 * position, selection and editors, so switching tabs only paints.
 */
import { memo, useEffect } from 'react';
import type { HostApi } from '../../src/host/contract';
import { selectIsDirty } from '../features/notebook/selectors';
import { focusNotebook } from '../features/ui/keyboard';
import { MarkdownImagesContext, useMarkdownImages } from '../markdown/MarkdownImagesContext';
import { useAppDispatch, useAppSelector } from '../store/hooks';
import { filesActions } from '../features/files/filesSlice';
import { FilePicker } from './FilePicker';
import { FindBar } from './FindBar';
import { HostContext } from './HostContext';
import { NotebookView } from './NotebookView';
import { NoKernelPanel } from './NoKernelPanel';
import { ConflictBanner, ConnectionBanner, DeletedBanner, ErrorPage, NoticeBanner, RecoveryBanner, FolderView, LoadingPage } from './Pages';
import { KernelPicker, ShortcutSheet } from './Panels';
import { StatusBar } from './StatusBar';
import { RunsLayer } from '../features/runs/RunsLayer';
import { SettingsPage } from '../features/settings/SettingsPage';
import { RunsView } from '../features/runsView/RunsView';
import { Toolbar } from './Toolbar';

export interface DocumentPaneProps {
  host: HostApi;
  /** The active tab: it owns the window title and the keyboard. */
  active: boolean;
}

/**
 * Memoized: a tab switch re-renders only the two panes whose `active` changed, and in those only
 * this wrapper (the body below does not depend on `active`), so switching costs no re-render of
 * any notebook.
 */
export const DocumentPane = memo(function DocumentPane({ host, active }: DocumentPaneProps): React.JSX.Element {
  const mode = useAppSelector((s) => s.ui.mode);
  const path = useAppSelector((s) => s.files.path);

  // Command mode means no editor holds the keyboard.
  useEffect(() => {
    if (active && mode === 'command' && document.activeElement?.closest('.monaco-editor')) {
      (document.activeElement as HTMLElement).blur();
      focusNotebook();
    }
  }, [mode, active]);

  return (
    <HostContext.Provider value={host}>
      <div className="quire-document" data-testid="document" data-active={active} data-path={path ?? ''} inert={!active}>
        <DocumentBody host={host} />
      </div>
    </HostContext.Provider>
  );
});

/** The pane's content: the same whether or not its tab is the active one. */
const DocumentBody = memo(function DocumentBody({ host }: { host: HostApi }): React.JSX.Element {
  const view = useAppSelector((s) => s.files.view);
  const panel = useAppSelector((s) => s.ui.panel);
  const path = useAppSelector((s) => s.files.path);
  const dirty = useAppSelector(selectIsDirty);
  const dispatch = useAppDispatch();
  // Markdown images by path come from the notebook's folder (an unsaved notebook: the workspace's).
  const images = useMarkdownImages(path, useAppSelector((s) => s.files.workspace?.root), host.files);

  // Unsaved changes: save them now (reload, tab or window closing) and let the browser ask while
  // the save runs; staying on the page keeps the edits either way.
  useEffect(() => {
    if (!dirty) return;
    const guard = (e: BeforeUnloadEvent) => {
      dispatch(filesActions.saveRequested({}));
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, [dirty, dispatch]);

  return (
    <>
      <Toolbar />
      <ConnectionBanner />
      <RecoveryBanner />
      <ConflictBanner />
      <DeletedBanner />
      <NoticeBanner />
      {view === 'notebook' ? <FindBar /> : null}
      {view === 'notebook' ? <NoKernelPanel /> : null}
      <div className="quire-main" tabIndex={-1}>
        {view === 'notebook' ? <MarkdownImagesContext.Provider value={images}><NotebookView /></MarkdownImagesContext.Provider> : view === 'folder' ? <FolderView /> : view === 'error' ? <ErrorPage /> : <LoadingPage />}
      </div>
      <StatusBar />
      <RunsLayer />
      {panel === 'kernelPicker' ? <KernelPicker /> : null}
      {panel === 'shortcuts' ? <ShortcutSheet /> : null}
      {panel === 'openFile' ? <FilePicker mode="open" /> : null}
      {panel === 'saveAs' ? <FilePicker mode="saveAs" /> : null}
      {panel === 'settings' ? <SettingsPage /> : null}
      {panel === 'runs' ? <RunsView /> : null}
    </>
  );
});
