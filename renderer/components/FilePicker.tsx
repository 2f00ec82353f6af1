/**
 * Open / Save As. Electron uses the native dialogs (host.native); the browser host gets this
 * picker over the workspace folder (host.files.listDirectory), which cannot leave the workspace.
 */
import { useEffect, useState } from 'react';
import type { DirectoryEntry } from '../../src/host/contract';
import { workspaceActions } from '../features/workspace/workspaceSlice';
import { filesActions } from '../features/files/filesSlice';
import { uiActions } from '../features/ui/uiSlice';
import { useAppDispatch, useAppSelector } from '../store/hooks';
import { useHost } from './HostContext';
import { Icon } from './Icon';
import { Modal } from './Panels';

const NOTEBOOK_FILTER = [{ name: 'Jupyter notebooks', extensions: ['ipynb'] }];

function dirOf(path: string | undefined): string | undefined {
  return path?.replace(/[\\/][^\\/]+$/, '');
}

export function FilePicker({ mode }: { mode: 'open' | 'saveAs' }): React.JSX.Element | null {
  const dispatch = useAppDispatch();
  const host = useHost();
  const workspace = useAppSelector((s) => s.files.workspace);
  const current = useAppSelector((s) => s.files.path);
  const recent = useAppSelector((s) => s.files.recent);
  const start = useAppSelector((s) => s.files.folder?.path) ?? dirOf(current) ?? workspace?.root ?? '.';
  const [folder, setFolder] = useState(start);
  const [entries, setEntries] = useState<DirectoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState(current?.split(/[\\/]/).pop() ?? 'Untitled.ipynb');
  const close = () => dispatch(uiActions.panelOpened('none'));

  // Electron: the native dialog instead of this picker.
  useEffect(() => {
    if (!host.native) return;
    const native = host.native;
    const ask = mode === 'open'
      ? native.showOpenDialog({ title: 'Open notebook', defaultPath: start, filters: NOTEBOOK_FILTER })
      : native.showSaveDialog({ title: 'Save notebook as', defaultPath: current, filters: NOTEBOOK_FILTER });
    ask.then((path) => {
      close();
      if (path) dispatch(mode === 'open' ? workspaceActions.openPathRequested({ path }) : filesActions.saveRequested({ path }));
    }, close);
    // Run once per opening of the panel.
  }, []);

  useEffect(() => {
    if (host.native) return;
    setEntries(null);
    host.files.listDirectory(folder).then((list) => { setEntries(list); setError(null); }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [host, folder]);

  if (host.native) return null;
  const root = workspace?.root ?? '';
  const canGoUp = folder !== root && folder.startsWith(root);
  const shown = (entries ?? []).filter((e) => e.kind === 'directory' || e.isNotebook).sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'directory' ? -1 : 1));
  const saveTo = () => {
    const file = name.endsWith('.ipynb') ? name : `${name}.ipynb`;
    dispatch(filesActions.saveRequested({ path: `${folder}/${file}` }));
    close();
  };
  return (
    <Modal title={mode === 'open' ? 'Open notebook' : 'Save notebook as'} testId="file-picker">
      <div className="quire-picker-path">
        <button type="button" className="quire-tool" disabled={!canGoUp} aria-label="Up one folder" onClick={() => setFolder(dirOf(folder) ?? folder)}>
          <Icon name="up" />
        </button>
        <code>{folder}</code>
      </div>
      {error ? <p className="quire-save-error">{error}</p> : null}
      <ul className="quire-file-list quire-picker-list">
        {entries === null && !error ? <li className="quire-muted">Loading…</li> : null}
        {shown.map((e) => (
          <li key={e.path}>
            <button type="button" data-testid="picker-entry" onClick={() => {
              if (e.kind === 'directory') setFolder(e.path);
              else if (mode === 'open') { dispatch(workspaceActions.openPathRequested({ path: e.path })); close(); }
              else setName(e.name);
            }}>
              <Icon name={e.kind === 'directory' ? 'folder' : 'file'} /> {e.name}
            </button>
          </li>
        ))}
        {entries && shown.length === 0 ? <li className="quire-muted">No notebooks here.</li> : null}
      </ul>
      {mode === 'open' && recent.length > 0 ? (
        <>
          <h3 className="quire-picker-heading">Recent</h3>
          <ul className="quire-file-list quire-picker-list">
            {recent.slice(0, 8).map((p) => (
              <li key={p}>
                <button type="button" data-testid="picker-recent" onClick={() => { dispatch(workspaceActions.openPathRequested({ path: p })); close(); }}>
                  <Icon name="file" /> {p.split(/[\\/]/).pop()} <span className="quire-muted">{dirOf(p)}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {mode === 'saveAs' ? (
        <form className="quire-picker-save" onSubmit={(e) => { e.preventDefault(); saveTo(); }}>
          <input aria-label="File name" value={name} autoFocus onChange={(e) => setName(e.target.value)} data-testid="save-as-name" />
          <button type="submit" className="quire-primary">Save</button>
        </form>
      ) : null}
    </Modal>
  );
}
