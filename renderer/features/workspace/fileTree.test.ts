import { describe, expect, it } from 'vitest';
import type { DirectoryEntry } from '../../../src/host/contract';
import { foldersTo, isWithin, joinPath, movedPath, nameOf, nameProblem, parentOf, visibleRows, type Listing } from './fileTree';

const dir = (path: string): DirectoryEntry => ({ name: nameOf(path), path, kind: 'directory', isNotebook: false, mtimeMs: 0 });
const nb = (path: string): DirectoryEntry => ({ name: nameOf(path), path, kind: 'file', isNotebook: true, mtimeMs: 0 });

describe('fileTree paths', () => {
  it('works with either separator', () => {
    expect(parentOf('/w/a/b.ipynb')).toBe('/w/a');
    expect(parentOf('/a')).toBe('/');
    expect(parentOf('C:\\w\\b.ipynb')).toBe('C:\\w');
    expect(nameOf('C:\\w\\b.ipynb')).toBe('b.ipynb');
    expect(joinPath('/w', 'x')).toBe('/w/x');
    expect(joinPath('/', 'x')).toBe('/x');
    expect(joinPath('C:\\w', 'x')).toBe('C:\\w\\x');
  });

  it('isWithin does not take a sibling with the same prefix', () => {
    expect(isWithin('/w/ab', '/w/a')).toBe(false);
    expect(isWithin('/w/a/b', '/w/a')).toBe(true);
    expect(isWithin('/w/a', '/w/a')).toBe(true);
  });

  it('foldersTo lists the folders to expand; movedPath follows a renamed folder', () => {
    expect(foldersTo('/w', '/w/a/b/c.ipynb')).toEqual(['/w/a', '/w/a/b']);
    expect(foldersTo('/w', '/w/c.ipynb')).toEqual([]);
    expect(foldersTo('/w', '/elsewhere/c.ipynb')).toEqual([]);
    expect(movedPath('/w/a/b', '/w/a', '/w/z')).toBe('/w/z/b');
    expect(movedPath('/w/ab', '/w/a', '/w/z')).toBe('/w/ab');
  });

  it('nameProblem refuses empty, dot names and separators', () => {
    expect(nameProblem('ok.ipynb')).toBeUndefined();
    for (const bad of ['', ' ', '.', '..', 'a/b', 'a\\b', '.hidden']) expect(nameProblem(bad), bad).toBeDefined();
  });
});

describe('visibleRows', () => {
  it('puts an expanded, loaded folder\'s entries under it with levels and positions', () => {
    const listings: Record<string, Listing> = {
      '/w': { state: 'loaded', entries: [dir('/w/a'), dir('/w/b'), nb('/w/x.ipynb')] },
      '/w/a': { state: 'loaded', entries: [nb('/w/a/y.ipynb')] },
      '/w/b': { state: 'loading' },
    };
    const rows = visibleRows('/w', listings, new Set(['/w/a', '/w/b']));
    expect(rows.map((r) => [r.entry.path, r.level, r.index, r.count, r.parent])).toEqual([
      ['/w/a', 1, 1, 3, '/w'], ['/w/a/y.ipynb', 2, 1, 1, '/w/a'], ['/w/b', 1, 2, 3, '/w'], ['/w/x.ipynb', 1, 3, 3, '/w'],
    ]);
    expect(visibleRows('/w', listings, new Set()).map((r) => r.entry.path)).toEqual(['/w/a', '/w/b', '/w/x.ipynb']);
  });
});
