/** Find and replace across every cell's source. */
import { useMemo } from 'react';
import { findInCells } from '../../src/jupyter/notebookOps';
import { notebookActions } from '../features/notebook/notebookSlice';
import { uiActions } from '../features/ui/uiSlice';
import { useAppDispatch, useAppSelector } from '../store/hooks';

export function FindBar(): React.JSX.Element | null {
  const dispatch = useAppDispatch();
  const find = useAppSelector((s) => s.ui.find);
  const cells = useAppSelector((s) => (s.ui.find.open ? s.notebook.cells : undefined));
  const matches = useMemo(() => (cells ? findInCells(cells, find.query, { caseSensitive: find.caseSensitive }) : []), [cells, find.query, find.caseSensitive]);
  if (!find.open) return null;
  const cellsWithMatches = new Set(matches.map((m) => m.cellId));
  const close = () => dispatch(uiActions.findChanged({ open: false }));
  const goTo = (i: number) => { const m = matches[i]; if (m) dispatch(uiActions.cellSelected({ id: m.cellId })); };
  return (
    <div className="quire-findbar" role="search" data-testid="find-bar" onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); close(); } }}>
      <input autoFocus placeholder="Find in all cells" aria-label="Find" value={find.query} data-testid="find-input"
        onChange={(e) => dispatch(uiActions.findChanged({ query: e.target.value }))}
        onKeyDown={(e) => { if (e.key === 'Enter') goTo(0); }} />
      <input placeholder="Replace with" aria-label="Replace" value={find.replacement} data-testid="replace-input"
        onChange={(e) => dispatch(uiActions.findChanged({ replacement: e.target.value }))} />
      <label className="quire-check"><input type="checkbox" checked={find.caseSensitive}
        onChange={(e) => dispatch(uiActions.findChanged({ caseSensitive: e.target.checked }))} /> Aa</label>
      <span className="quire-muted" data-testid="find-count">{find.query ? `${matches.length} in ${cellsWithMatches.size} cells` : ''}</span>
      <button type="button" disabled={matches.length === 0} onClick={() => dispatch(notebookActions.replacedAll({ query: find.query, replacement: find.replacement, caseSensitive: find.caseSensitive, only: matches[0] }))}>Replace</button>
      <button type="button" disabled={matches.length === 0} data-testid="replace-all"
        onClick={() => dispatch(notebookActions.replacedAll({ query: find.query, replacement: find.replacement, caseSensitive: find.caseSensitive }))}>Replace all</button>
      <button type="button" className="quire-tool" aria-label="Close find" onClick={close}>✕</button>
    </div>
  );
}
