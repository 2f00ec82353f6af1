import { createSelector } from '@reduxjs/toolkit';
import type { Cell } from '../../../src/jupyter/nbformat';
import { parametersCellId } from '../../../src/jupyter/notebookOps';
import type { DocumentState } from '../../store/documentState';

export const selectCells = (s: DocumentState): Cell[] => s.notebook.cells;

/** Cell ids in order; stable across edits that don't add, remove or move cells. */
let lastIds: string[] = [];
export const selectCellIds = createSelector([selectCells], (cells) => {
  const next = cells.map((c) => c.id ?? '');
  if (next.length === lastIds.length && next.every((id, i) => id === lastIds[i])) return lastIds;
  lastIds = next;
  return next;
});

export const selectCellById = (s: DocumentState, id: string): Cell | undefined => {
  // Most lookups hit the index cache; rebuilt once per cells array.
  return cellIndexCache(s.notebook.cells).get(id);
};

let cacheCells: Cell[] | undefined;
let cache = new Map<string, Cell>();
function cellIndexCache(cells: Cell[]): Map<string, Cell> {
  if (cells !== cacheCells) {
    cache = new Map(cells.map((c) => [c.id ?? '', c]));
    cacheCells = cells;
  }
  return cache;
}

export const selectParametersCellId = createSelector([selectCells], (cells) => parametersCellId(cells));

export const selectLanguage = (s: DocumentState): string | undefined =>
  s.kernels.language ?? (s.notebook.metadata.language_info as { name?: string } | undefined)?.name
  ?? (s.notebook.metadata.kernelspec as { language?: string } | undefined)?.language;

export const selectIsDirty = (s: DocumentState): boolean => s.files.view === 'notebook' && s.notebook.version !== s.files.savedVersion;
