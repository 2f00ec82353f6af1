/**
 * Every run of this notebook (the host's listRuns plus live changes): parameters, status, start,
 * duration and the values recorded with scrapbook's glue as columns, with actions per run: open
 * the output read-only, jump to the failing cell, run again, open an editable copy.
 */
import type { JsonValue } from '../../../src/jupyter/messages';
import type { RunInfo } from '../../../src/host/contract';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { STATUS_LABEL, useNow } from './RunProgress';
import { isFinishedRun, runsActions } from './runsSlice';
import { formatDuration, runSeconds, selectParameterColumns, selectRunList, selectScrapColumns } from './selectors';

/** A cell value in one line: strings bare, the rest as JSON, long ones cut. */
export function cellText(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

export function startText(run: RunInfo): string {
  if (!run.startTime) return '—';
  const d = new Date(run.startTime);
  return `${d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${d.toLocaleTimeString()}`;
}

function RunRow({ run, paramColumns, scrapColumns, now }: { run: RunInfo; paramColumns: string[]; scrapColumns: string[]; now: number }): React.JSX.Element {
  const dispatch = useAppDispatch();
  const finished = isFinishedRun(run);
  const fromDisk = run.runId.startsWith('file:');
  return (
    <tr data-testid="run-row" data-run-id={run.runId} data-status={run.status}>
      <td><span className={`quire-run-badge status-${run.status}`} data-testid="run-status">{STATUS_LABEL[run.status]}</span>
        {!finished ? <span className="quire-muted"> {run.completedCells}/{run.totalCells}</span> : null}</td>
      <td className="quire-nowrap">{startText(run)}</td>
      <td className="quire-nowrap">{formatDuration(runSeconds(run, now))}</td>
      {paramColumns.map((name) => (
        <td key={`p:${name}`} className="quire-run-value" data-testid={`run-param-${name}`} title={name in run.parameters ? JSON.stringify(run.parameters[name]) : 'default'}>
          {name in run.parameters ? cellText(run.parameters[name]) : <span className="quire-muted">default</span>}
        </td>
      ))}
      {scrapColumns.map((name) => (
        <td key={`s:${name}`} className="quire-run-value is-scrap" data-testid={`run-scrap-${name}`}>{cellText(run.scraps?.[name])}</td>
      ))}
      <td className="quire-run-row-actions">
        <button type="button" className="quire-link" disabled={run.status === 'queued'} data-testid="run-open"
          onClick={() => dispatch(runsActions.outputOpenRequested({ path: run.outputPath, runId: run.runId }))}>Open</button>
        {run.status === 'failed' ? (
          <button type="button" className="quire-link is-danger" data-testid="run-open-failed" title={run.error?.message}
            onClick={() => dispatch(runsActions.outputOpenRequested({ path: run.outputPath, runId: run.runId, focusFailed: true }))}>
            Failing cell{run.error?.cellIndex !== undefined ? ` [${run.error.cellIndex}]` : ''}
          </button>
        ) : null}
        {!finished ? (
          <button type="button" className="quire-link is-danger" data-testid="run-row-cancel" onClick={() => dispatch(runsActions.cancelRequested({ runId: run.runId }))}>Cancel</button>
        ) : null}
        <button type="button" className="quire-link" data-testid="run-again" title="Run again with the same parameters"
          onClick={() => dispatch(runsActions.runAgainRequested({ runId: run.runId }))}>Run again</button>
        {finished ? (
          <button type="button" className="quire-link" data-testid="run-copy" title="Write an editable copy next to the output and open it"
            onClick={() => dispatch(runsActions.editableCopyRequested({ path: run.outputPath }))}>Editable copy</button>
        ) : null}
        {fromDisk ? <span className="quire-muted" title={run.outputPath}> (found on disk)</span> : null}
      </td>
    </tr>
  );
}

export function RunsPanel(): React.JSX.Element {
  const dispatch = useAppDispatch();
  const runs = useAppSelector(selectRunList);
  const paramColumns = useAppSelector(selectParameterColumns);
  const scrapColumns = useAppSelector(selectScrapColumns);
  const { listing, listError, startError, dialogOpen } = useAppSelector((s) => s.runs);
  const now = useNow(runs.some((r) => !isFinishedRun(r)));
  return (
    // quire-modal: the notebook's command-mode keys stay out while the panel has the focus.
    <aside className="quire-runs-panel quire-modal" tabIndex={-1} aria-label="Runs" data-testid="runs-panel">
      <header className="quire-runs-head">
        <h2>Runs</h2>
        <span className="quire-muted">{runs.length}</span>
        <span className="quire-toolbar-spacer" />
        <button type="button" className="quire-secondary" onClick={() => dispatch(runsActions.dialogOpened())}>Run with parameters…</button>
        <button type="button" className="quire-tool" aria-label="Refresh runs" title="Refresh" onClick={() => dispatch(runsActions.listRequested())}>⟳</button>
        <button type="button" className="quire-tool" aria-label="Close runs panel" onClick={() => dispatch(runsActions.panelToggled(false))}>✕</button>
      </header>
      {listError ? <div className="quire-run-error" role="alert">Could not list runs: {listError}</div> : null}
      {startError && !dialogOpen ? <div className="quire-run-error" role="alert" data-testid="runs-start-error">Could not start the run: {startError.message}</div> : null}
      {runs.length === 0 ? (
        <p className="quire-muted quire-runs-empty">{listing ? 'Looking for runs…' : 'No runs of this notebook yet. Use Run with parameters… to start one.'}</p>
      ) : (
        <div className="quire-runs-scroll">
          <table className="quire-runs-table" data-testid="runs-table">
            <thead>
              <tr>
                <th>Status</th><th>Started</th><th>Duration</th>
                {paramColumns.map((name) => <th key={`p:${name}`} className="is-param" title="parameter">{name}</th>)}
                {scrapColumns.map((name) => <th key={`s:${name}`} className="is-scrap" title="recorded with scrapbook glue">{name}</th>)}
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => <RunRow key={run.runId} run={run} paramColumns={paramColumns} scrapColumns={scrapColumns} now={now} />)}
            </tbody>
          </table>
        </div>
      )}
    </aside>
  );
}
