/**
 * The open documents as tabs: click to switch, middle-click or × to close, drag to reorder. Each
 * tab shows its file name, an unsaved marker and whether its kernel is busy. The file browser
 * toggle sits at its start.
 */
import { useState } from 'react';
import { baseName } from '../../components/Toolbar';
import { Icon } from '../../components/Icon';
import { documentView, type DocumentId } from '../../store/documentState';
import { useWindowDispatch, useWindowSelector } from '../../store/hooks';
import { isDirty } from '../files/flushEdits';
import { QUIRE_PATH_MIME } from './fileTree';
import { workspaceActions } from './workspaceSlice';

const TAB_MIME = 'application/x-quire-tab';

function Tab({ id, index }: { id: DocumentId; index: number }): React.JSX.Element | null {
  const dispatch = useWindowDispatch();
  const active = useWindowSelector((s) => s.workspace.activeId === id);
  const label = useWindowSelector((s) => {
    const files = s.documents[id]?.files;
    if (!files) return '';
    if (files.view === 'folder') return baseName(files.folder?.path) || 'Folder';
    if (files.view === 'starting' || (files.view === 'loading' && !files.path)) return 'Loading…';
    return baseName(files.path ?? files.loadingPath);
  });
  const path = useWindowSelector((s) => s.documents[id]?.files.path);
  const dirty = useWindowSelector((s) => {
    const view = documentView(s, id);
    return view ? isDirty(view) : false;
  });
  const busy = useWindowSelector((s) => s.documents[id]?.kernels.status === 'busy');
  const [dropSide, setDropSide] = useState<'before' | 'after' | undefined>(undefined);
  const close = () => dispatch(workspaceActions.closeRequested({ id }));
  return (
    <div
      role="tab"
      aria-selected={active}
      tabIndex={active ? 0 : -1}
      className={`quire-tab${active ? ' active' : ''}${dropSide ? ` drop-${dropSide}` : ''}`}
      data-testid="tab"
      data-document-id={id}
      title={path}
      draggable
      onClick={() => dispatch(workspaceActions.documentActivated(id))}
      onAuxClick={(e) => { if (e.button === 1) { e.preventDefault(); close(); } }}
      onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); dispatch(workspaceActions.documentActivated(id)); } }}
      onDragStart={(e) => {
        e.dataTransfer.setData(TAB_MIME, id);
        if (path) e.dataTransfer.setData(QUIRE_PATH_MIME, path);
        e.dataTransfer.effectAllowed = 'copyMove';
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(TAB_MIME)) return;
        e.preventDefault();
        e.stopPropagation();
        const box = e.currentTarget.getBoundingClientRect();
        setDropSide(e.clientX < box.left + box.width / 2 ? 'before' : 'after');
      }}
      onDragLeave={() => setDropSide(undefined)}
      onDrop={(e) => {
        const moved = e.dataTransfer.getData(TAB_MIME);
        const side = dropSide;
        setDropSide(undefined);
        if (!moved) return;
        e.preventDefault();
        e.stopPropagation();
        dispatch(workspaceActions.tabMoved({ id: moved, index: side === 'after' ? index + 1 : index }));
      }}
    >
      {busy ? <span className="quire-tab-busy" aria-label="Kernel busy" title="Kernel busy" /> : null}
      <span className="quire-tab-label" data-testid="tab-label">{label}</span>
      {dirty ? <span className="quire-tab-dirty" data-testid="tab-dirty" aria-label="Unsaved changes" title="Unsaved changes">●</span> : null}
      <button type="button" className="quire-tab-close" aria-label={`Close ${label}`} data-testid="tab-close" tabIndex={-1}
        onClick={(e) => { e.stopPropagation(); close(); }}>✕</button>
    </div>
  );
}

export function TabBar(): React.JSX.Element {
  const order = useWindowSelector((s) => s.workspace.order);
  const sidebarOpen = useWindowSelector((s) => s.workspace.sidebarOpen);
  const dispatch = useWindowDispatch();
  return (
    <div className="quire-tabbar">
      <button type="button" className="quire-tool" aria-pressed={sidebarOpen} aria-label="File browser (Ctrl+Shift+E)" title="File browser (Ctrl+Shift+E)"
        data-testid="toggle-file-browser" onClick={() => dispatch(workspaceActions.sidebarToggled(undefined))}>
        <Icon name="folder" />
      </button>
      <div className="quire-tabs" role="tablist" aria-label="Open notebooks">
        {order.map((id, index) => <Tab key={id} id={id} index={index} />)}
      </div>
      <button type="button" className="quire-tool" aria-label="New tab" title="New notebook in a new tab" data-testid="new-tab"
        onClick={() => dispatch(workspaceActions.newNotebookRequested({}))}>
        <Icon name="plus" />
      </button>
    </div>
  );
}
