/**
 * The Runs view (Ctrl+Shift+R): every run across notebooks, from this app and from `quire run` in
 * terminals, live. Filters on top (notebook, status, time window, text), one row per run (notebook,
 * status, start, duration, parameters, where it ran, output) with its actions: open the record, run
 * again, editable copy, cancel.
 */
import { useMemo } from 'react';
import type { RunInfo } from '../../../src/host/contract';
import { Modal } from '../../components/Panels';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { STATUS_LABEL, useNow } from '../runs/RunProgress';
import { cellText, startText } from '../runs/RunsPanel';
import { isFinishedRun } from '../runs/runsSlice';
import { formatDuration, runSeconds } from '../runs/selectors';
import { RUN_STATUSES, runsViewActions, type RunsTimeWindow } from './runsViewSlice';
import { baseName, filterRuns, filtersActive, originLabel, relativeTo, selectAllRuns, selectRunNotebooks } from './selectors';
import '../runs/runs.css';
import './runsView.css';

const WINDOW_LABEL: Record<RunsTimeWindow, string> = { hour: 'Last hour', day: 'Last 24 hours', week: 'Last 7 days', all: 'Any time' };

const runCount = (n: number): string => `${n} run${n === 1 ? '' : 's'}`;

function folderOf(path: string): string {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return at > 0 ? path.slice(0, at) : '';
}

function originTitle(run: RunInfo): string {
  if (!run.origin) return 'Known only from its output notebook';
  const { host, pid, hostname } = run.origin;
  return `${host === 'cli' ? '`quire run`' : 'Quire app'}, process ${pid} on ${hostname}`;
}

function Filters({ notebooks, root }: { notebooks: string[]; root?: string }): React.JSX.Element {
  const dispatch = useAppDispatch();
  const filters = useAppSelector((s) => s.runsView.filters);
  return (
    <div className="quire-runsview-filters" role="search" aria-label="Filter runs">
      <label>
        <span>Notebook</span>
        <select value={filters.notebook ?? ''} data-testid="runs-view-notebook"
          onChange={(e) => dispatch(runsViewActions.filtersChanged({ notebook: e.target.value || undefined }))}>
          <option value="">All notebooks</option>
          {notebooks.map((path) => <option key={path} value={path}>{relativeTo(path, root)}</option>)}
        </select>
      </label>
      <fieldset className="quire-runsview-statuses">
        <legend>Status</legend>
        {RUN_STATUSES.map((status) => (
          <label key={status} className={`quire-runsview-status${filters.statuses.includes(status) ? ' is-on' : ''}`}>
            <input type="checkbox" checked={filters.statuses.includes(status)} data-testid={`runs-view-status-${status}`}
              onChange={() => dispatch(runsViewActions.statusToggled(status))} />
            {STATUS_LABEL[status]}
          </label>
        ))}
      </fieldset>
      <label>
        <span>Started</span>
        <select value={filters.window} data-testid="runs-view-window"
          onChange={(e) => dispatch(runsViewActions.filtersChanged({ window: e.target.value as RunsTimeWindow }))}>
          {(Object.keys(WINDOW_LABEL) as RunsTimeWindow[]).map((w) => <option key={w} value={w}>{WINDOW_LABEL[w]}</option>)}
        </select>
      </label>
      <label className="quire-runsview-search">
        <span>Search</span>
        <input type="search" value={filters.text} placeholder="notebook, parameter, output, error…" data-testid="runs-view-search"
          onChange={(e) => dispatch(runsViewActions.filtersChanged({ text: e.target.value }))} />
      </label>
    </div>
  );
}

function RunRow({ run, now, root, cancelling }: { run: RunInfo; now: number; root?: string; cancelling: boolean }): React.JSX.Element {
  const dispatch = useAppDispatch();
  const finished = isFinishedRun(run);
  const name = baseName(run.inputPath);
  const headerId = `runs-view-nb-${run.runId.replace(/[^\w-]/g, '_')}`;
  const params = Object.entries(run.parameters);
  const hasOutput = run.outputPath !== '-';
  return (
    <tr data-testid="runs-view-row" data-run-id={run.runId} data-status={run.status} data-notebook={run.inputPath}>
      <th scope="row" id={headerId} className="quire-runsview-notebook">
        <button type="button" className="quire-link" title={`Open ${run.inputPath}`} data-testid="runs-view-open-notebook"
          onClick={() => dispatch(runsViewActions.openPathRequested({ path: run.inputPath }))}>{name}</button>
        <span className="quire-muted quire-runsview-dir">{relativeTo(folderOf(run.inputPath), root)}</span>
      </th>
      <td className="quire-nowrap">
        <span className={`quire-run-badge status-${run.status}`} data-testid="runs-view-status" title={run.error?.message}>{STATUS_LABEL[run.status]}</span>
        {!finished && run.totalCells > 0 ? <span className="quire-muted"> {run.completedCells}/{run.totalCells}</span> : null}
      </td>
      <td className="quire-nowrap">{startText(run)}</td>
      <td className="quire-nowrap">{formatDuration(runSeconds(run, now))}</td>
      <td className="quire-runsview-params" data-testid="runs-view-params">
        {params.length === 0 ? <span className="quire-muted">defaults</span> : params.map(([key, value]) => (
          <span key={key} className="quire-runsview-param" title={`${key} = ${JSON.stringify(value)}`}><span className="quire-runsview-param-name">{key}</span>={cellText(value)}</span>
        ))}
      </td>
      <td className="quire-nowrap" data-testid="runs-view-origin" title={originTitle(run)}>{originLabel(run)}</td>
      <td className="quire-runsview-output" title={run.outputPath}>{hasOutput ? relativeTo(run.outputPath, root) : 'stdout'}</td>
      <td className="quire-run-row-actions">
        <button type="button" className="quire-link" disabled={run.status === 'queued' || !hasOutput} data-testid="runs-view-open" aria-describedby={headerId}
          title="Open the output notebook: the record of this run"
          onClick={() => dispatch(runsViewActions.openPathRequested({ path: run.outputPath, readOnly: true, runId: run.runId }))}>Open record</button>
        {!finished ? (
          <button type="button" className="quire-link is-danger" disabled={cancelling} data-testid="runs-view-cancel" aria-describedby={headerId}
            onClick={() => dispatch(runsViewActions.cancelRequested({ runId: run.runId }))}>{cancelling ? 'Cancelling…' : 'Cancel'}</button>
        ) : null}
        <button type="button" className="quire-link" data-testid="runs-view-again" aria-describedby={headerId} title="Run again with the same parameters and kernel"
          onClick={() => dispatch(runsViewActions.runAgainRequested({ runId: run.runId }))}>Run again</button>
        {finished && hasOutput ? (
          <button type="button" className="quire-link" data-testid="runs-view-copy" aria-describedby={headerId} title="Write an editable copy next to the output and open it"
            onClick={() => dispatch(runsViewActions.editableCopyRequested({ runId: run.runId }))}>Editable copy</button>
        ) : null}
      </td>
    </tr>
  );
}

export function RunsView(): React.JSX.Element {
  const dispatch = useAppDispatch();
  const all = useAppSelector(selectAllRuns);
  const notebooks = useAppSelector(selectRunNotebooks);
  const { load, loadError, filters, cancelling, actionError } = useAppSelector((s) => s.runsView);
  const root = useAppSelector((s) => s.files.workspace?.root);
  const live = all.some((r) => !isFinishedRun(r));
  // Durations of live runs tick each second; a time window slides each minute.
  const now = useNow(live || filters.window !== 'all', live ? 1000 : 60_000);
  const rows = useMemo(() => filterRuns(all, filters, now), [all, filters, now]);
  const filtered = filtersActive(filters);
  return (
    <Modal title="Runs" testId="runs-view">
      <div className="quire-runsview">
        <div className="quire-runsview-bar">
          <Filters notebooks={notebooks} root={root} />
          <div className="quire-runsview-tools">
            <span className="quire-muted" role="status" data-testid="runs-view-count">
              {load === 'loading' ? 'Listing… ' : ''}{filtered ? `${rows.length} of ${runCount(all.length)}` : runCount(all.length)}
            </span>
            {filtered ? <button type="button" className="quire-link" onClick={() => dispatch(runsViewActions.filtersCleared())}>Clear filters</button> : null}
            <button type="button" className="quire-secondary" data-testid="runs-view-refresh" onClick={() => dispatch(runsViewActions.listRequested())}>Refresh</button>
          </div>
        </div>
        {load === 'error' ? <div className="quire-run-error" role="alert" data-testid="runs-view-error">Could not list runs: {loadError}</div> : null}
        {actionError ? (
          <div className="quire-run-error" role="alert" data-testid="runs-view-action-error">
            {actionError.message} <button type="button" className="quire-link" onClick={() => dispatch(runsViewActions.actionErrorDismissed())}>Dismiss</button>
          </div>
        ) : null}
        {rows.length === 0 ? (
          <p className="quire-muted quire-runs-empty" data-testid="runs-view-empty">
            {all.length > 0 ? 'No runs match these filters.'
              : load === 'loading' || load === 'idle' ? 'Looking for runs…'
                : 'No runs yet. Runs started with Run with parameters… in a notebook, or with quire run in a terminal, are listed here.'}
          </p>
        ) : (
          <div className="quire-runs-scroll">
            <table className="quire-runs-table quire-runsview-table" data-testid="runs-view-table" aria-label="Runs across notebooks">
              <thead>
                <tr>
                  <th scope="col">Notebook</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Duration</th>
                  <th scope="col">Parameters</th><th scope="col">Ran in</th><th scope="col">Output</th><th scope="col"><span className="quire-sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((run) => <RunRow key={run.runId} run={run} now={now} root={root} cancelling={!!cancelling[run.runId]} />)}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Modal>
  );
}
