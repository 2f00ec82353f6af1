/**
 * The workspace sidebar: a tree of the workspace folder (folders load when expanded; notebooks
 * open, other files are shown), with New notebook, New folder, Rename (inline, F2), Duplicate and
 * Delete (to the system trash; where there is none it says so and asks before deleting for good).
 * Notebooks drag with `application/x-quire-path`. `activePath` is revealed (folders above it
 * expanded) and highlighted. Listings refresh after each change, when the window gets focus or
 * becomes visible, and every `pollMs` while visible (a kernel writing files while you watch).
 *
 * Its state is local: the host (HostContext) is the only thing it shares with the app.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorCode, isQuireError } from '../../../src/errors';
import type { DirectoryEntry } from '../../../src/host/contract';
import { useHost } from '../../components/HostContext';
import { Icon } from '../../components/Icon';
import {
  foldersTo, isWithin, joinPath, type Listing, movedPath, nameOf, nameProblem, parentOf, QUIRE_PATH_MIME, type TreeRow, visibleRows,
} from './fileTree';
import './fileBrowser.css';

export interface FileBrowserProps {
  /** The workspace folder (absolute, as the host's getWorkspace gives it). */
  root: string;
  /** The notebook shown in the editor: revealed and highlighted. */
  activePath?: string;
  /** A notebook was opened (double click, Enter) or created. */
  onOpen(path: string): void;
  /** After a rename or move the browser made (a folder: everything below it moved too). */
  onRenamed?(from: string, to: string): void;
  /** After an entry went to the trash or was deleted for good. */
  onDeleted?(path: string): void;
  /** Milliseconds between refreshes of the shown folders while the page is visible; 0: only on focus and after changes. Default 10 s. */
  pollMs?: number;
}

interface Renaming {
  path: string;
  value: string;
  error?: string;
  busy?: boolean;
}

type Notice = { kind: 'error' | 'info'; text: string };

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sameListing(a: Listing | undefined, b: Listing): boolean {
  if (a?.state !== 'loaded' || b.state !== 'loaded') return false;
  return a.entries.length === b.entries.length && a.entries.every((e, i) => {
    const f = b.entries[i];
    return e.path === f.path && e.kind === f.kind && e.mtimeMs === f.mtimeMs && e.isNotebook === f.isNotebook;
  });
}

export function FileBrowser({ root, activePath, onOpen, onRenamed, onDeleted, pollMs = 10_000 }: FileBrowserProps): React.JSX.Element {
  const host = useHost();
  const [listings, setListings] = useState<Record<string, Listing | undefined>>({});
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [selected, setSelected] = useState<string | undefined>();
  const [renaming, setRenamingState] = useState<Renaming | undefined>();
  // The edit as of now, for blur after Enter/Escape (which must not commit again).
  const renamingRef = useRef<Renaming | undefined>(undefined);
  const setRenaming = (edit: Renaming | undefined) => {
    renamingRef.current = edit;
    setRenamingState(edit);
  };
  const [notice, setNotice] = useState<Notice | undefined>();
  const [confirmDelete, setConfirmDelete] = useState<{ path: string; why: string } | undefined>();
  const treeRef = useRef<HTMLDivElement>(null);
  const rowRefs = useRef(new Map<string, HTMLDivElement>());
  /** The row to give the keyboard once it is rendered (by path: a late effect of an older selection must not take it). */
  const focusSelected = useRef<string | undefined>(undefined);
  const expandedRef = useRef(expanded);
  expandedRef.current = expanded;

  /** Lists `folder` (every file, hidden ones excepted); keeps the old rows while it reloads. */
  const load = useCallback(async (folder: string): Promise<Listing> => {
    setListings((all) => (all[folder] ? all : { ...all, [folder]: { state: 'loading' } }));
    let listing: Listing;
    try {
      listing = { state: 'loaded', entries: await host.files.listDirectory(folder, { allFiles: true }) };
    } catch (error) {
      listing = { state: 'failed', reason: reasonOf(error) };
    }
    setListings((all) => (sameListing(all[folder], listing) ? all : { ...all, [folder]: listing }));
    return listing;
  }, [host]);

  /** Reloads the root and every expanded folder; folders that went away are collapsed. */
  const refresh = useCallback(async () => {
    const folders = [root, ...[...expandedRef.current].filter((f) => isWithin(f, root))];
    const results = await Promise.all(folders.map(async (f) => [f, await load(f)] as const));
    const gone = results.filter(([f, l]) => f !== root && l.state === 'failed').map(([f]) => f);
    if (gone.length) {
      setExpanded((set) => new Set([...set].filter((f) => !gone.includes(f))));
      setListings((all) => {
        const next = { ...all };
        for (const f of gone) delete next[f];
        return next;
      });
    }
  }, [root, load]);

  // A new root: start over.
  useEffect(() => {
    setListings({});
    setExpanded(new Set());
    setSelected(undefined);
    setRenaming(undefined);
    setConfirmDelete(undefined);
    setNotice(undefined);
    void load(root);
  }, [root, load]);

  // Refresh when the window comes back, and every pollMs while it is visible.
  useEffect(() => {
    const onFocus = () => { if (!document.hidden) void refresh(); };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onFocus);
    const timer = pollMs > 0 ? setInterval(() => { if (!document.hidden) void refresh(); }, pollMs) : undefined;
    return () => {
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onFocus);
      if (timer) clearInterval(timer);
    };
  }, [refresh, pollMs]);

  /** Expands the folders down to `path`, loading them, and selects it. */
  const reveal = useCallback(async (path: string) => {
    if (!isWithin(path, root) || path === root) return;
    const folders = foldersTo(root, path);
    for (const folder of folders) {
      const listing = await load(folder);
      if (listing.state !== 'loaded') return;
    }
    setExpanded((set) => new Set([...set, ...folders]));
    setSelected(path);
  }, [root, load]);

  useEffect(() => {
    if (activePath) void reveal(activePath);
  }, [activePath, reveal]);

  const rows = useMemo(() => visibleRows(root, listings, expanded), [root, listings, expanded]);
  const rootListing = listings[root];
  const selectedRow = rows.find((r) => r.entry.path === selected);
  const current = rows.some((r) => r.entry.path === selected) ? selected : rows[0]?.entry.path;

  // Keep the selected row in view, and focused when the keyboard moved it.
  useEffect(() => {
    if (!selected) return;
    const element = rowRefs.current.get(selected);
    element?.scrollIntoView?.({ block: 'nearest' });
    if (focusSelected.current === selected && element) {
      focusSelected.current = undefined;
      element.focus();
    }
  }, [selected, rows]);

  const select = (path: string | undefined, focus = true) => {
    focusSelected.current = focus ? path : undefined;
    setSelected(path);
  };

  const toggle = (folder: string, open?: boolean) => {
    const willOpen = open ?? !expanded.has(folder);
    setExpanded((set) => {
      const next = new Set(set);
      if (willOpen) next.add(folder);
      else next.delete(folder);
      return next;
    });
    if (willOpen) void load(folder);
  };

  /** Where a new entry goes: the selected folder, the selected file's folder, or the root. */
  const targetFolder = (): string => {
    if (!selectedRow) return root;
    return selectedRow.entry.kind === 'directory' ? selectedRow.entry.path : selectedRow.parent;
  };

  const fail = (what: string, error: unknown) => setNotice({ kind: 'error', text: `${what}: ${reasonOf(error)}` });

  const showFolder = async (folder: string) => {
    if (folder !== root) setExpanded((set) => new Set([...set, folder]));
    await load(folder);
  };

  const newNotebook = async () => {
    const folder = targetFolder();
    try {
      const made = await host.files.createNotebook(folder);
      await showFolder(folder);
      select(made.path);
      setNotice(undefined);
      onOpen(made.path);
    } catch (error) {
      fail('Could not create a notebook', error);
    }
  };

  const newFolder = async () => {
    const folder = targetFolder();
    try {
      const made = await host.files.createFolder(folder);
      await showFolder(folder);
      select(made.path, false);
      setNotice(undefined);
      setRenaming({ path: made.path, value: nameOf(made.path) });
    } catch (error) {
      fail('Could not create a folder', error);
    }
  };

  const startRename = (path: string) => {
    setConfirmDelete(undefined);
    setRenaming({ path, value: nameOf(path) });
  };

  const commitRename = async () => {
    const edit = renamingRef.current;
    if (!edit || edit.busy) return;
    const name = edit.value.trim() === edit.value ? edit.value : edit.value.trim();
    if (name === nameOf(edit.path)) {
      setRenaming(undefined);
      select(edit.path);
      return;
    }
    const problem = nameProblem(name);
    if (problem) {
      setRenaming({ ...edit, error: problem });
      return;
    }
    const to = joinPath(parentOf(edit.path), name);
    setRenaming({ ...edit, busy: true, error: undefined });
    try {
      const done = await host.files.renamePath(edit.path, to);
      // A renamed folder stays expanded, and so do the folders in it, under their new paths.
      const moved = [...expandedRef.current].filter((f) => isWithin(f, edit.path));
      setExpanded((set) => new Set([...set].map((f) => movedPath(f, edit.path, done.path))));
      setRenaming(undefined);
      setNotice(undefined);
      await Promise.all([load(parentOf(edit.path)), ...moved.map((f) => load(movedPath(f, edit.path, done.path)))]);
      select(done.path);
      onRenamed?.(edit.path, done.path);
    } catch (error) {
      const text = isQuireError(error) && error.code === ErrorCode.FileExists ? `“${name}” already exists here.` : reasonOf(error);
      setRenaming({ ...edit, value: edit.value, busy: false, error: text });
    }
  };

  const duplicate = async (path: string) => {
    try {
      const made = await host.files.duplicate(path);
      await load(parentOf(path));
      select(made.path);
      setNotice(undefined);
    } catch (error) {
      fail(`Could not duplicate ${nameOf(path)}`, error);
    }
  };

  const removed = async (path: string, text: string) => {
    const next = rows[rows.findIndex((r) => r.entry.path === path) + 1];
    await load(parentOf(path));
    setExpanded((set) => new Set([...set].filter((f) => !isWithin(f, path))));
    select(next && !isWithin(next.entry.path, path) && next.parent === parentOf(path) ? next.entry.path : parentOf(path) === root ? undefined : parentOf(path));
    setNotice({ kind: 'info', text });
    onDeleted?.(path);
  };

  const trash = async (path: string) => {
    setConfirmDelete(undefined);
    try {
      const result = await host.files.trashPath(path);
      await removed(path, `Moved “${nameOf(path)}” to the trash (${result.trash}).`);
    } catch (error) {
      if (isQuireError(error) && error.details?.reason === 'noTrash') {
        const why = typeof error.details.why === 'string' ? error.details.why : error.message;
        setNotice(undefined);
        setConfirmDelete({ path, why });
      } else {
        fail(`Could not move ${nameOf(path)} to the trash`, error);
      }
    }
  };

  const deleteForGood = async (path: string) => {
    setConfirmDelete(undefined);
    try {
      await host.files.deletePath(path);
      await removed(path, `Deleted “${nameOf(path)}” for good.`);
    } catch (error) {
      fail(`Could not delete ${nameOf(path)}`, error);
    }
  };

  const open = (row: TreeRow) => {
    if (row.entry.kind === 'directory') toggle(row.entry.path);
    else if (row.entry.isNotebook) onOpen(row.entry.path);
    else setNotice({ kind: 'info', text: `Quire opens notebooks only; “${row.entry.name}” is not one.` });
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (renaming || event.altKey || event.ctrlKey || event.metaKey) return;
    // The row with the focus (Tab, a click, a screen reader), else the selection.
    const focused = (event.target as Element).closest?.('[role="treeitem"]')?.getAttribute('data-path');
    const index = rows.findIndex((r) => r.entry.path === (focused ?? current));
    const row = rows[index];
    const move = (to: number) => {
      const target = rows[Math.max(0, Math.min(rows.length - 1, to))];
      if (target) select(target.entry.path);
    };
    let handled = true;
    switch (event.key) {
      case 'ArrowDown': move(index + 1); break;
      case 'ArrowUp': move(index - 1); break;
      case 'Home': move(0); break;
      case 'End': move(rows.length - 1); break;
      case 'ArrowRight':
        if (row?.entry.kind === 'directory') {
          if (!expanded.has(row.entry.path)) toggle(row.entry.path, true);
          else if (rows[index + 1]?.parent === row.entry.path) move(index + 1);
        }
        break;
      case 'ArrowLeft':
        if (row?.entry.kind === 'directory' && expanded.has(row.entry.path)) toggle(row.entry.path, false);
        else if (row && row.parent !== root) select(row.parent);
        break;
      case 'Enter': if (row) open(row); break;
      case 'F2': if (row) startRename(row.entry.path); break;
      case 'Delete': if (row) void trash(row.entry.path); break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  };

  const onDragStart = (event: React.DragEvent, entry: DirectoryEntry) => {
    event.dataTransfer.setData(QUIRE_PATH_MIME, entry.path);
    event.dataTransfer.setData('text/plain', entry.path);
    event.dataTransfer.effectAllowed = 'copyLink';
  };

  const target = selectedRow?.entry;
  return (
    <section className="quire-filebrowser" aria-label="Workspace files" data-testid="file-browser">
      <div className="quire-filebrowser-head">
        <span className="quire-filebrowser-title" title={root}>{nameOf(root) || root}</span>
        <div className="quire-filebrowser-tools" role="toolbar" aria-label="File actions">
          <button type="button" className="quire-tool" aria-label="New notebook" title="New notebook" onClick={() => void newNotebook()} data-testid="fb-new-notebook"><Icon name="newFile" /></button>
          <button type="button" className="quire-tool" aria-label="New folder" title="New folder" onClick={() => void newFolder()} data-testid="fb-new-folder"><Icon name="newFolder" /></button>
          <button type="button" className="quire-tool" aria-label="Rename" title="Rename (F2)" disabled={!target} onClick={() => target && startRename(target.path)} data-testid="fb-rename"><Icon name="pencil" /></button>
          <button type="button" className="quire-tool" aria-label="Duplicate" title="Duplicate" disabled={target?.kind !== 'file'} onClick={() => target && void duplicate(target.path)} data-testid="fb-duplicate"><Icon name="copy" /></button>
          <button type="button" className="quire-tool" aria-label="Delete" title="Move to trash (Delete)" disabled={!target} onClick={() => target && void trash(target.path)} data-testid="fb-delete"><Icon name="trash" /></button>
          <button type="button" className="quire-tool" aria-label="Refresh" title="Refresh" onClick={() => void refresh()} data-testid="fb-refresh"><Icon name="restart" /></button>
        </div>
      </div>
      {notice ? (
        <p className={`quire-filebrowser-notice is-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="fb-notice">
          {notice.text}
          <button type="button" className="quire-tool" aria-label="Dismiss" onClick={() => setNotice(undefined)}><Icon name="clear" size={12} /></button>
        </p>
      ) : null}
      {confirmDelete ? (
        <div className="quire-filebrowser-confirm" role="alertdialog" aria-label="Delete for good?" data-testid="fb-confirm-delete">
          <p>There is no trash for “{nameOf(confirmDelete.path)}”: {confirmDelete.why}.</p>
          <p><strong>Delete it for good?</strong> This cannot be undone.</p>
          <div>
            <button type="button" className="quire-danger" onClick={() => void deleteForGood(confirmDelete.path)} data-testid="fb-delete-for-good">Delete for good</button>
            <button type="button" autoFocus onClick={() => setConfirmDelete(undefined)} data-testid="fb-keep">Keep it</button>
          </div>
        </div>
      ) : null}
      {rootListing?.state === 'failed' ? <p className="quire-filebrowser-notice is-error" role="alert">Cannot list {root}: {rootListing.reason}</p> : null}
      <div className="quire-filebrowser-tree" role="tree" aria-label={`Files in ${nameOf(root) || root}`} aria-busy={rootListing?.state === 'loading' || undefined}
        ref={treeRef} onKeyDown={onKeyDown} data-testid="fb-tree">
        {rows.map((row) => {
          const { entry } = row;
          const isDir = entry.kind === 'directory';
          const isOpen = isDir && expanded.has(entry.path);
          const listing = isOpen ? listings[entry.path] : undefined;
          const editing = renaming?.path === entry.path ? renaming : undefined;
          return (
            <div key={entry.path}
              ref={(el) => { if (el) rowRefs.current.set(entry.path, el); else rowRefs.current.delete(entry.path); }}
              role="treeitem" aria-level={row.level} aria-posinset={row.index} aria-setsize={row.count}
              aria-expanded={isDir ? isOpen : undefined} aria-selected={entry.path === selected}
              aria-current={entry.path === activePath ? 'page' : undefined}
              aria-busy={listing?.state === 'loading' || undefined}
              tabIndex={entry.path === current ? 0 : -1}
              className={['quire-fb-row', isDir ? 'is-folder' : entry.isNotebook ? 'is-notebook' : 'is-other', entry.path === selected ? 'is-selected' : '', entry.path === activePath ? 'is-active' : ''].join(' ')}
              style={{ paddingLeft: 6 + (row.level - 1) * 14 }}
              data-path={entry.path} data-testid="fb-item"
              draggable={entry.isNotebook && !editing}
              onDragStart={(e) => onDragStart(e, entry)}
              onFocus={(e) => { if (e.target === e.currentTarget && selected !== entry.path) setSelected(entry.path); }}
              onClick={(e) => { e.stopPropagation(); select(entry.path); if (isDir) toggle(entry.path); }}
              onDoubleClick={() => { if (!isDir) open(row); }}>
              <span className="quire-fb-twisty" aria-hidden="true">{isDir ? <Icon name={isOpen ? 'chevronDown' : 'chevronRight'} size={12} /> : null}</span>
              <Icon name={isDir ? 'folder' : 'file'} size={14} />
              {editing ? (
                <span className="quire-fb-rename">
                  <input aria-label={`New name for ${entry.name}`} value={editing.value} autoFocus data-testid="fb-rename-input"
                    aria-invalid={editing.error ? true : undefined} readOnly={editing.busy}
                    onFocus={(e) => {
                      const dot = isDir ? -1 : e.currentTarget.value.lastIndexOf('.');
                      e.currentTarget.setSelectionRange(0, dot > 0 ? dot : e.currentTarget.value.length);
                    }}
                    onClick={(e) => e.stopPropagation()}
                    onChange={(e) => setRenaming({ ...editing, value: e.target.value, error: undefined })}
                    onKeyDown={(e) => {
                      e.stopPropagation();
                      if (e.key === 'Enter') { e.preventDefault(); void commitRename(); }
                      if (e.key === 'Escape') { e.preventDefault(); setRenaming(undefined); select(entry.path); }
                    }}
                    onBlur={() => {
                      const edit = renamingRef.current;
                      if (edit?.path !== entry.path || edit.busy) return;
                      // Leaving a name that was refused gives up the rename, as VS Code does.
                      if (edit.error) setRenaming(undefined);
                      else void commitRename();
                    }} />
                  {editing.error ? <span className="quire-fb-rename-error" role="alert" data-testid="fb-rename-error">{editing.error}</span> : null}
                </span>
              ) : (
                <span className="quire-fb-name" title={entry.path}>{entry.name}</span>
              )}
              {listing?.state === 'failed' ? <span className="quire-fb-failed" role="alert">{listing.reason}</span> : null}
            </div>
          );
        })}
        {rootListing?.state === 'loaded' && rows.length === 0 ? <p className="quire-muted quire-fb-empty">This folder is empty.</p> : null}
      </div>
    </section>
  );
}
