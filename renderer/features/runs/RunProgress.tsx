/**
 * The progress card of the run started from this window: cell i of N with the running cell's
 * first line, elapsed time ticking, the running cell's live output, cancel; when it ends, its
 * outcome with a way to open the output notebook (at the failing cell).
 */
import { useEffect, useState } from 'react';
import type { RunInfo } from '../../../src/host/contract';
import { OutputArea } from '../../outputs/OutputArea';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { isFinishedRun, runsActions } from './runsSlice';
import { formatDuration, runSeconds, selectFollowedRun } from './selectors';

/** The current time, re-read every `ms` while `active`. */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return now;
}

export const STATUS_LABEL: Record<RunInfo['status'], string> = {
  queued: 'Queued', starting: 'Starting kernel', running: 'Running', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled',
};

export function RunProgress(): React.JSX.Element | null {
  const dispatch = useAppDispatch();
  const run = useAppSelector(selectFollowedRun);
  const previews = useAppSelector((s) => (s.runs.followed ? s.runs.previews[s.runs.followed] : undefined));
  const live = useAppSelector((s) => (s.runs.followed ? s.runs.live[s.runs.followed] : undefined));
  const cancelError = useAppSelector((s) => s.runs.cancelError);
  const [cancelling, setCancelling] = useState(false);
  const finished = run ? isFinishedRun(run) : true;
  const now = useNow(!finished);
  if (!run) return null;

  const index = run.currentCellIndex;
  const position = index !== undefined && !finished ? index + 1 : run.completedCells;
  const pct = run.totalCells > 0 ? Math.min(100, Math.round((100 * (finished && run.status === 'completed' ? run.totalCells : run.completedCells)) / run.totalCells)) : 0;
  const firstLine = index !== undefined ? previews?.[index] : undefined;
  const showLive = live && (finished ? live.cellIndex === run.error?.cellIndex : live.cellIndex === index);

  return (
    <section className={`quire-run-progress status-${run.status}`} aria-label="Run progress" data-testid="run-progress" data-status={run.status}>
      <header className="quire-run-progress-head">
        <span className="quire-run-status-dot" />
        <strong data-testid="run-progress-status">{STATUS_LABEL[run.status]}</strong>
        <span className="quire-run-progress-count" data-testid="run-progress-count">cell {position} of {run.totalCells}</span>
        <span className="quire-run-elapsed" data-testid="run-elapsed">{formatDuration(runSeconds(run, now))}</span>
        <span className="quire-toolbar-spacer" />
        {!finished ? (
          <button type="button" className="quire-secondary is-danger" disabled={cancelling} data-testid="run-cancel"
            onClick={() => { setCancelling(true); dispatch(runsActions.cancelRequested({ runId: run.runId })); }}>
            {cancelling ? 'Cancelling…' : 'Cancel run'}
          </button>
        ) : (
          <button type="button" className="quire-tool" aria-label="Dismiss" onClick={() => dispatch(runsActions.progressDismissed())}>✕</button>
        )}
      </header>
      <div className="quire-run-bar" role="progressbar" aria-valuemin={0} aria-valuemax={run.totalCells} aria-valuenow={run.completedCells}>
        <div style={{ width: `${pct}%` }} />
      </div>
      {!finished && index !== undefined ? (
        <div className="quire-run-current" data-testid="run-current-cell">
          <span className="quire-muted">[{index}]</span> {previews ? <code>{firstLine || '(empty cell)'}</code> : null}
        </div>
      ) : null}
      {run.status === 'failed' && run.error ? (
        <div className="quire-run-error" role="alert" data-testid="run-progress-error">
          {run.error.cellIndex !== undefined ? `Cell ${run.error.cellIndex} raised ` : ''}{run.error.ename}{run.error.evalue ? `: ${run.error.evalue}` : ''}
        </div>
      ) : null}
      {cancelError ? <div className="quire-run-error" role="alert">Cancel failed: {cancelError}</div> : null}
      {showLive && live.outputs.length > 0 ? (
        <div className="quire-run-live" data-testid="run-live-output">
          <OutputArea outputs={live.outputs} cellId={`run-${run.runId}-${live.cellIndex}`} maxOutputLines={200} />
        </div>
      ) : null}
      <footer className="quire-run-progress-foot">
        <span className="quire-run-path" title={run.outputPath}>{run.outputPath.split(/[\\/]/).pop()}</span>
        {finished ? (
          <>
            {run.status === 'failed' ? (
              <button type="button" className="quire-link" data-testid="run-progress-open-failed"
                onClick={() => { dispatch(runsActions.outputOpenRequested({ path: run.outputPath, runId: run.runId, focusFailed: true })); dispatch(runsActions.progressDismissed()); }}>Show where it failed</button>
            ) : null}
            <button type="button" className="quire-link" data-testid="run-progress-open"
              onClick={() => { dispatch(runsActions.outputOpenRequested({ path: run.outputPath, runId: run.runId })); dispatch(runsActions.progressDismissed()); }}>Open output notebook</button>
          </>
        ) : null}
        <button type="button" className="quire-link" onClick={() => dispatch(runsActions.panelToggled(true))}>All runs</button>
      </footer>
    </section>
  );
}
