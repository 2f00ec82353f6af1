/** Whole-window states other than an open notebook: folder listing, error page, loading; the save banners. */
import { useState } from 'react';
import { workspaceActions } from '../features/workspace/workspaceSlice';
import { filesActions } from '../features/files/filesSlice';
import { downloadNotebook } from '../features/files/downloadNotebook';
import { uiActions } from '../features/ui/uiSlice';
import { useAppDispatch, useAppSelector } from '../store/hooks';
import { Icon } from './Icon';

export function FolderView(): React.JSX.Element {
  const dispatch = useAppDispatch();
  const folder = useAppSelector((s) => s.files.folder);
  const recent = useAppSelector((s) => s.files.recent);
  const entries = (folder?.entries ?? []).filter((e) => e.kind === 'directory' || e.isNotebook)
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'directory' ? -1 : 1));
  const parent = folder?.path.replace(/[\\/][^\\/]+$/, '');
  return (
    <main className="quire-page" data-testid="folder-view">
      <h1>{folder?.path}</h1>
      <div className="quire-page-actions">
        <button type="button" className="quire-primary" onClick={() => dispatch(filesActions.newRequested({ folder: folder?.path }))}>
          <Icon name="newFile" /> New notebook
        </button>
      </div>
      <ul className="quire-file-list">
        {parent && parent !== folder?.path ? (
          <li><button type="button" onClick={() => dispatch(workspaceActions.openPathRequested({ path: parent }))}><Icon name="folder" /> ..</button></li>
        ) : null}
        {entries.map((e) => (
          <li key={e.path}>
            <button type="button" data-testid="folder-entry" onClick={() => dispatch(workspaceActions.openPathRequested({ path: e.path }))}>
              <Icon name={e.kind === 'directory' ? 'folder' : 'file'} /> {e.name}
            </button>
          </li>
        ))}
        {entries.length === 0 ? <li className="quire-muted">No notebooks in this folder.</li> : null}
      </ul>
      {recent.length > 0 ? (
        <>
          <h2>Recent</h2>
          <ul className="quire-file-list">
            {recent.slice(0, 10).map((p) => (
              <li key={p}><button type="button" onClick={() => dispatch(workspaceActions.openPathRequested({ path: p }))}><Icon name="file" /> {p}</button></li>
            ))}
          </ul>
        </>
      ) : null}
    </main>
  );
}

/**
 * A notebook that could not be read. Nothing here can be saved: the file stays as it is until
 * the person fixes it elsewhere and reopens it.
 */
export function ErrorPage(): React.JSX.Element {
  const dispatch = useAppDispatch();
  const error = useAppSelector((s) => s.files.error);
  if (!error) return <main className="quire-page" />;
  const where = error.location
    ? [error.location.line !== undefined ? `line ${error.location.line}` : '', error.location.column !== undefined ? `column ${error.location.column}` : '',
      error.location.pointer ? `(${error.location.pointer})` : ''].filter(Boolean).join(', ')
    : '';
  return (
    <main className="quire-page quire-error-page" data-testid="error-page" role="alert">
      <div className="quire-error-icon"><Icon name="alert" size={28} /></div>
      <h1>This notebook could not be opened</h1>
      <p className="quire-error-path">{error.path}</p>
      <p className="quire-error-message" data-testid="error-message">{error.message}</p>
      {where ? <p className="quire-error-where" data-testid="error-location">At {where}</p> : null}
      <p className="quire-muted">The file was not changed. Fix it in a text editor and open it again.</p>
      <div className="quire-page-actions">
        <button type="button" className="quire-primary" onClick={() => dispatch(filesActions.openRequested({ path: error.path }))}>Try again</button>
        <button type="button" onClick={() => dispatch(filesActions.openRequested({ path: error.path.replace(/[\\/][^\\/]+$/, '') || '/' }))}>Open folder</button>
      </div>
    </main>
  );
}

export function LoadingPage(): React.JSX.Element {
  return <main className="quire-page quire-loading" data-testid="loading"><div className="quire-spinner" /> Opening…</main>;
}

/**
 * Shown when a save found the file changed on disk (another program, or another window that saved
 * first): the edits stay in this window until the person chooses.
 */
export function ConflictBanner(): React.JSX.Element | null {
  const dispatch = useAppDispatch();
  const conflict = useAppSelector((s) => s.files.conflict);
  const path = useAppSelector((s) => s.files.path);
  if (!conflict || !path) return null;
  return (
    <div className="quire-banner quire-banner-warning" role="alert" data-testid="conflict-banner">
      <Icon name="alert" /> Changed on disk: another window or program changed this file since it was opened here. Your version is
      kept in this window and not saved over it; autosave is paused until you choose.
      <button type="button" onClick={() => dispatch(filesActions.saveRequested({ force: true }))}>Overwrite with my version</button>
      <button type="button" onClick={() => { dispatch(filesActions.conflictDismissed()); dispatch(filesActions.openRequested({ path, discard: true })); }}>
        Load the disk version (drop my changes)
      </button>
    </div>
  );
}

/** Shown when the file was deleted or renamed (seen by the watch or by a save): never recreated without asking. */
export function DeletedBanner(): React.JSX.Element | null {
  const dispatch = useAppDispatch();
  const deleted = useAppSelector((s) => s.files.deleted);
  const path = useAppSelector((s) => s.files.path);
  const [confirming, setConfirming] = useState(false);
  if (!deleted || !path) return null;
  const folder = path.replace(/[\\/][^\\/]+$/, '') || '/';
  return (
    <div className="quire-banner quire-banner-warning" role="alert" data-testid="deleted-banner">
      <Icon name="alert" /> Gone from disk: this file was deleted or renamed since it was opened. Your version is kept in this
      window; autosave is paused until you choose.
      {confirming ? (
        <>
          <span data-testid="close-confirm">Close without saving? Your changes will be lost.</span>
          <button type="button" onClick={() => { dispatch(filesActions.conflictDismissed()); dispatch(filesActions.openRequested({ path: folder, discard: true })); }}>
            Close and lose my changes
          </button>
          <button type="button" onClick={() => setConfirming(false)}>Keep editing</button>
        </>
      ) : (
        <>
          <button type="button" onClick={() => dispatch(filesActions.saveRequested({ force: true }))}>Save here</button>
          <button type="button" onClick={() => dispatch(uiActions.panelOpened('saveAs'))}>Save as…</button>
          <button type="button" onClick={() => setConfirming(true)}>Close</button>
        </>
      )}
    </div>
  );
}

/** Why the window did not switch documents (the current notebook could not be saved first). */
export function NoticeBanner(): React.JSX.Element | null {
  const dispatch = useAppDispatch();
  const notice = useAppSelector((s) => s.files.notice);
  if (!notice) return null;
  return (
    <div className="quire-banner quire-banner-warning" role="alert" data-testid="notice-banner">
      <Icon name="alert" /> {notice}
      <button type="button" onClick={() => dispatch(filesActions.noticeDismissed())}>OK</button>
    </div>
  );
}

/** The host is unreachable: editing goes on, the edits are kept in the page until it returns. */
export function ConnectionBanner(): React.JSX.Element | null {
  const dispatch = useAppDispatch();
  const lost = useAppSelector((s) => s.connection.state === 'lost');
  const hasNotebook = useAppSelector((s) => s.files.view === 'notebook');
  if (!lost) return null;
  return (
    <div className="quire-banner quire-banner-warning" role="status" data-testid="connection-banner">
      <Icon name="alert" /> Lost connection to the Quire host — your edits are kept in this page. Reconnecting…
      {hasNotebook ? <button type="button" onClick={() => dispatch(downloadNotebook())}>Download a copy</button> : null}
    </div>
  );
}

/** Edits an earlier session could not save: offered back once, when the notebook opens. */
export function RecoveryBanner(): React.JSX.Element | null {
  const dispatch = useAppDispatch();
  const offer = useAppSelector((s) => s.files.recoveryOffer);
  if (!offer) return null;
  return (
    <div className="quire-banner" role="alert" data-testid="recovery-banner">
      <Icon name="alert" /> Recover unsaved changes from {new Date(offer.savedAt).toLocaleString()}?
      <button type="button" className="quire-primary" onClick={() => dispatch(filesActions.recoveryRestoreRequested())}>Restore</button>
      <button type="button" onClick={() => dispatch(filesActions.recoveryDiscarded())}>Discard</button>
    </div>
  );
}
