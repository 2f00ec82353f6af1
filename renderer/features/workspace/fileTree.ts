/**
 * The file browser's pure parts: path arithmetic on the host's paths (either separator), the rows a
 * tree shows for its expanded folders, and the drag type that carries a notebook's path.
 */
import type { DirectoryEntry } from '../../../src/host/contract';

/** The drag data type of a notebook dragged from the file browser: its absolute path as text. */
export const QUIRE_PATH_MIME = 'application/x-quire-path';

/** What a folder's listing is: not loaded yet, loading, loaded, or failed with a reason. */
export type Listing = { state: 'loading' } | { state: 'loaded'; entries: DirectoryEntry[] } | { state: 'failed'; reason: string };

export interface TreeRow {
  entry: DirectoryEntry;
  /** 1 for the root's entries (aria-level). */
  level: number;
  /** Position among its siblings, from 1, and their number (aria-posinset, aria-setsize). */
  index: number;
  count: number;
  parent: string;
}

/** The separator the host uses for paths under `root` (`\` on Windows hosts). */
export function separatorOf(root: string): '/' | '\\' {
  return root.includes('\\') && !root.includes('/') ? '\\' : '/';
}

export function parentOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut <= 0 ? path.slice(0, cut + 1) || path : path.slice(0, cut);
}

export function nameOf(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

export function joinPath(folder: string, name: string): string {
  const sep = separatorOf(folder);
  return folder.endsWith(sep) ? folder + name : folder + sep + name;
}

/** True when `path` is `folder` or lies below it. */
export function isWithin(path: string, folder: string): boolean {
  if (path === folder) return true;
  const sep = separatorOf(folder);
  return path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** The folders from `root` (exclusive) down to `path`'s parent: what must be expanded to show it. */
export function foldersTo(root: string, path: string): string[] {
  if (!isWithin(path, root) || path === root) return [];
  const folders: string[] = [];
  for (let folder = parentOf(path); folder !== root && isWithin(folder, root); folder = parentOf(folder)) folders.unshift(folder);
  return folders;
}

/** `path` with its `from` prefix replaced by `to` (a renamed folder's descendants). */
export function movedPath(path: string, from: string, to: string): string {
  return path === from ? to : isWithin(path, from) ? to + path.slice(from.length) : path;
}

/** The visible rows, depth first: a folder's entries follow it when it is expanded and loaded. */
export function visibleRows(root: string, listings: Record<string, Listing | undefined>, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (folder: string, level: number) => {
    const listing = listings[folder];
    if (listing?.state !== 'loaded') return;
    listing.entries.forEach((entry, i) => {
      rows.push({ entry, level, index: i + 1, count: listing.entries.length, parent: folder });
      if (entry.kind === 'directory' && expanded.has(entry.path)) walk(entry.path, level + 1);
    });
  };
  walk(root, 1);
  return rows;
}

/** Checks a name typed for a rename or a new entry; the reason, or undefined when it is fine. */
export function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'A name is needed.';
  if (name === '.' || name === '..') return `“${name}” is not a valid name.`;
  if (/[/\\]/.test(name)) return 'A name cannot contain / or \\.';
  if (name.startsWith('.')) return 'Names starting with a dot are hidden here; choose another.';
  return undefined;
}
