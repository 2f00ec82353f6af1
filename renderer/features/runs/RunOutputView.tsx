/**
 * A run's output notebook, read-only, over the editor: sources as plain text (no editor), outputs
 * with the shared OutputArea, each cell's papermill status, the injected parameters marked, and
 * the failing cell highlighted and scrolled to. It lives outside the notebook slice, so it can
 * never be saved; "Open editable copy" writes a copy next to it and opens that instead.
 */
import { useContext, useEffect, useMemo, useRef } from 'react';
import type { Cell } from '../../../src/jupyter/nbformat';
import { joinSource } from '../../../src/jupyter/nbformat';
import { cellTags } from '../../../src/jupyter/notebookOps';
import { ERROR_MARKER_TAG, INJECTED_PARAMETERS_TAG } from '../../../src/parameterize/parameterizeNotebook';
import { HostContext } from '../../components/HostContext';
import { Markdown } from '../../markdown/Markdown';
import { MarkdownImagesContext, useMarkdownImages } from '../../markdown/MarkdownImagesContext';
import { OutputArea } from '../../outputs/OutputArea';
import { RecordedValuesPanel } from '../../outputs/RecordedValuesPanel';
import { collectScraps } from '../../outputs/scraps';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { isFinishedRun, runsActions } from './runsSlice';
import { formatDuration } from './selectors';

type CellStatus = 'pending' | 'running' | 'completed' | 'failed';

function papermillOf(cell: Cell): { status?: CellStatus; duration?: number } {
  return (cell.metadata.papermill ?? {}) as { status?: CellStatus; duration?: number };
}

/** Index of the cell that failed: papermill's cell status, else the first cell with an error output. */
export function failedCellIndex(cells: readonly Cell[]): number {
  const byStatus = cells.findIndex((c) => papermillOf(c).status === 'failed');
  if (byStatus >= 0) return byStatus;
  return cells.findIndex((c) => c.cell_type === 'code' && c.outputs.some((o) => o.output_type === 'error'));
}

function ReadOnlyCell({ cell, index, failed, cellRef }: { cell: Cell; index: number; failed: boolean; cellRef?: React.Ref<HTMLDivElement> }): React.JSX.Element {
  const tags = cellTags(cell);
  const pm = papermillOf(cell);
  const injected = tags.includes(INJECTED_PARAMETERS_TAG);
  const banner = tags.includes(ERROR_MARKER_TAG);
  const classes = ['quire-ro-cell', `is-${cell.cell_type}`, injected ? 'is-injected' : '', banner ? 'is-banner' : '', failed ? 'is-failed' : ''].filter(Boolean).join(' ');
  return (
    <div className={classes} ref={cellRef} data-testid="ro-cell" data-index={index} data-status={pm.status ?? ''} data-tags={tags.join(' ')}>
      <div className="quire-ro-gutter">
        {cell.cell_type === 'code' ? <span className="quire-count">[{cell.execution_count ?? ' '}]</span> : null}
        {pm.status ? <span className={`quire-ro-status status-${pm.status}`} data-testid="ro-cell-status">{pm.status}</span> : null}
        {pm.duration !== undefined && pm.duration !== null && cell.cell_type === 'code' ? <span className="quire-muted quire-ro-duration">{formatDuration(pm.duration)}</span> : null}
      </div>
      <div className="quire-ro-body">
        {injected ? <span className="quire-badge quire-badge-injected">injected parameters</span> : null}
        {tags.includes('parameters') ? <span className="quire-badge quire-badge-parameters">parameters (defaults)</span> : null}
        {cell.cell_type === 'markdown' ? (
          <Markdown source={cell.source} attachments={cell.attachments as never} />
        ) : (
          <pre className="quire-ro-source" data-testid="ro-cell-source">{joinSource(cell.source)}</pre>
        )}
        {cell.cell_type === 'code' ? <OutputArea outputs={cell.outputs} cellId={`ro-${index}`} /> : null}
      </div>
    </div>
  );
}

export function RunOutputView(): React.JSX.Element | null {
  const dispatch = useAppDispatch();
  const viewer = useAppSelector((s) => s.runs.viewer);
  const run = useAppSelector((s) => (s.runs.viewer?.runId ? s.runs.runs[s.runs.viewer.runId] : undefined));
  const failedRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const open = !!viewer;
  useEffect(() => { if (open) rootRef.current?.focus({ preventScroll: true }); }, [open]);
  const cells = viewer?.notebook?.cells;
  const failed = useMemo(() => (cells ? failedCellIndex(cells) : -1), [cells]);
  const scraps = useMemo(() => (cells ? collectScraps({ cells }) : []), [cells]);
  // Images by path are relative to the output notebook, which may live in another folder than its input.
  const images = useMarkdownImages(viewer?.path, undefined, useContext(HostContext)?.files);

  useEffect(() => {
    if (viewer?.focusFailed && cells) failedRef.current?.scrollIntoView?.({ block: 'center' });
  }, [viewer?.focusFailed, viewer?.focusToken, cells]);

  if (!viewer) return null;
  const parameters = (viewer.notebook?.metadata.papermill as { parameters?: Record<string, unknown> } | undefined)?.parameters ?? run?.parameters ?? {};
  const name = viewer.path.split(/[\\/]/).pop();
  return (
    // quire-modal: the notebook's command-mode keys stay out while this view has the focus.
    <div className="quire-ro-view quire-modal" role="dialog" tabIndex={-1} ref={rootRef} aria-label={`Run output ${name} (read-only)`} data-testid="run-output-view"
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); dispatch(runsActions.viewerClosed()); } }}>
      <header className="quire-ro-head">
        <span className="quire-ro-lock" data-testid="ro-banner">Read-only</span>
        <div className="quire-ro-title">
          <strong title={viewer.path}>{name}</strong>
          <span className="quire-muted"> run output · never saved{run && !isFinishedRun(run) ? ` · ${run.status}, ${run.completedCells}/${run.totalCells} cells (updates when it ends)` : ''} · {Object.keys(parameters).length === 0 ? 'default parameters' : Object.entries(parameters).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}</span>
        </div>
        <span className="quire-toolbar-spacer" />
        {failed >= 0 ? (
          <button type="button" className="quire-secondary is-danger" data-testid="ro-goto-failed"
            onClick={() => dispatch(runsActions.outputOpenRequested({ path: viewer.path, runId: viewer.runId, focusFailed: true }))}>Go to failing cell</button>
        ) : null}
        <button type="button" className="quire-secondary" data-testid="ro-copy" onClick={() => dispatch(runsActions.editableCopyRequested({ path: viewer.path }))}>
          Open editable copy
        </button>
        <button type="button" className="quire-tool" aria-label="Close read-only view" data-testid="ro-close" onClick={() => dispatch(runsActions.viewerClosed())}>✕</button>
      </header>
      {viewer.copyError ? <div className="quire-run-error" role="alert">Could not make a copy: {viewer.copyError}</div> : null}
      <div className="quire-ro-scroll">
        {viewer.loading && !cells ? <p className="quire-loading"><span className="quire-spinner" /> Reading {name}…</p> : null}
        {viewer.error ? <div className="quire-run-error" role="alert">Could not read {viewer.path}: {viewer.error}</div> : null}
        {cells ? (
          <MarkdownImagesContext.Provider value={images}>
            <div className="quire-ro-notebook">
              {scraps.length > 0 ? (
                <RecordedValuesPanel scraps={scraps} onRevealCell={(scrap) => document.querySelector(`[data-testid="ro-cell"][data-index="${scrap.cellIndex}"]`)?.scrollIntoView?.({ block: 'center' })} />
              ) : null}
              {cells.map((cell, i) => (
                <ReadOnlyCell key={cell.id ?? i} cell={cell} index={i} failed={i === failed} cellRef={i === failed ? failedRef : undefined} />
              ))}
            </div>
          </MarkdownImagesContext.Provider>
        ) : null}
      </div>
    </div>
  );
}
