/**
 * Running cells. Every execute request is sent at once (the kernel queues them, and with
 * `stop_on_error` aborts the rest after an error, as JupyterLab relies on); each cell's message
 * stream is folded into outputs in small time batches so that a flood of prints costs a few
 * store updates per second instead of one per line.
 *
 * Per cell: groupBy(cellId) + switchMap (running a cell again drops the old stream), takeUntil a
 * restart, a new kernel, a dead kernel or the cell's deletion. An interrupt needs no takeUntil:
 * the kernel answers it with a KeyboardInterrupt error on the running cell and aborts the queue.
 */
import { concat, defer, EMPTY, filter, first, groupBy, map, merge, tap, mergeMap, of, switchMap, takeUntil, catchError, bufferWhen, timer, type Observable } from 'rxjs';
import type { UnknownAction } from '@reduxjs/toolkit';
import type { StateObservable } from 'redux-observable';
import { type BaseMessage, type DisplayDataContent, type MessageHeader } from '../../../src/jupyter/messages';
import { joinSource } from '../../../src/jupyter/nbformat';
import { skipsExecution } from '../../../src/jupyter/notebookOps';
import { applyOutputMessage, coalesceStreamMessages, emptyOutputsState, type OutputsState } from '../../../src/jupyter/outputs';
import type { DocumentEpic, EpicDependencies } from '../../store/dependencies';
import type { DocumentState } from '../../store/documentState';
import { kernelsActions } from '../../features/kernels/kernelsSlice';
import { notebookActions } from './notebookSlice';

export const DEFAULT_OUTPUT_BATCH_MS = 32;

interface CellRequest {
  id: string;
  code: string;
  kernelId?: string;
}

const OUTPUT_TYPES = new Set(['stream', 'display_data', 'execute_result', 'error', 'clear_output', 'update_display_data']);

/** Actions that end listening to a cell's execution, as the reason the cell shows. */
function stopFor(action$: Observable<UnknownAction>, req: CellRequest): Observable<string> {
  return action$.pipe(
    map((a): string | undefined => {
      if (kernelsActions.restartRequested.match(a)) return 'Stopped: the kernel restarted';
      if (kernelsActions.launchRequested.match(a)) return 'Stopped: the kernel was replaced';
      if (notebookActions.cellsDeleted.match(a) && a.payload.ids.includes(req.id)) return 'Deleted';
      if (kernelsActions.statusChanged.match(a) && a.payload.kernelId === req.kernelId
        && (a.payload.status === 'dead' || a.payload.status === 'terminated')) return 'Stopped: the kernel died';
      return undefined;
    }),
    filter((reason): reason is string => reason !== undefined),
  );
}

/**
 * Joins runs of a cell's stream messages into one message, so a batch of a thousand prints costs
 * one append (and one control-character pass) over the cell's text instead of a thousand: folding
 * per message would make a flood quadratic in its length. (The host joins what arrives in one of
 * its ticks already; this joins across the ticks of a batch window.)
 */
export const coalesceStreams = coalesceStreamMessages;

/** Folds one batch of a cell's messages into actions; `fold` carries the cell's outputs between batches. */
function actionsForBatch(id: string, batch: BaseMessage[], fold: { outputs: OutputsState; started: boolean; replied: boolean }, now: number): UnknownAction[] {
  const head: UnknownAction[] = [];
  const rest: UnknownAction[] = [];
  const tail: UnknownAction[] = [];
  const before = fold.outputs;
  // The kernel's own timestamps give true durations even when start and end share one batch.
  const timeOf = (msg: BaseMessage) => {
    const t = Date.parse(msg.header.date);
    return Number.isFinite(t) ? t : now;
  };
  for (const msg of coalesceStreams(batch)) {
    const type = msg.header.msg_type;
    // The reply can come before the iopub messages (separate sockets; a loaded machine delays
    // iopub): a cell already finished must not go back to running.
    if (!fold.started && !fold.replied && ((type === 'status' && (msg.content as { execution_state?: string }).execution_state === 'busy') || type === 'execute_input')) {
      fold.started = true;
      head.push(notebookActions.cellExecutionStarted({ id, at: timeOf(msg) }));
    }
    if (type === 'execute_input') {
      rest.push(notebookActions.executionCountReceived({ id, count: (msg.content as { execution_count: number }).execution_count }));
    } else if (msg.channel === 'iopub' && OUTPUT_TYPES.has(type)) {
      fold.outputs = applyOutputMessage(fold.outputs, msg);
      const displayId = (msg.content as DisplayDataContent).transient?.display_id;
      if (type === 'update_display_data' && typeof displayId === 'string') {
        rest.push(notebookActions.displayUpdated({ displayId, content: msg.content as DisplayDataContent, exceptId: id }));
      }
    } else if (type === 'input_request') {
      const content = msg.content as { prompt: string; password: boolean };
      rest.push(notebookActions.inputRequested({ id, prompt: content.prompt, password: content.password, parentHeader: msg.header as MessageHeader }));
    } else if (type === 'execute_reply') {
      // Outputs first, then the reply: the cell shows its last line before it says "done".
      const content = msg.content as { status: 'ok' | 'error' | 'aborted'; execution_count?: number | null };
      fold.replied = true;
      if (typeof content.execution_count === 'number') tail.push(notebookActions.executionCountReceived({ id, count: content.execution_count }));
      tail.push(notebookActions.cellExecutionFinished({ id, status: content.status, at: timeOf(msg) }));
    }
  }
  const outputs = fold.outputs !== before ? [notebookActions.cellOutputsChanged({ id, outputs: fold.outputs.outputs })] : [];
  return [...head, ...outputs, ...rest, ...tail];
}

function kernelPending(status: DocumentState['kernels']['status']): boolean {
  return status === 'starting' || status === 'restarting';
}

/**
 * A cell run while the kernel is still starting (Shift+Enter right after opening) or restarting
 * waits for it, as JupyterLab queues it; a launch that fails cancels the cell with the reason.
 */
function whenKernelReady$(req: CellRequest, action$: Observable<UnknownAction>, state$: StateObservable<DocumentState>, deps: EpicDependencies): Observable<UnknownAction> {
  if (!kernelPending(state$.value.kernels.status)) return executeCell$(req, action$, deps);
  const deleted$ = action$.pipe(filter((a) => notebookActions.cellsDeleted.match(a) && a.payload.ids.includes(req.id)));
  return state$.pipe(
    first((s) => !kernelPending(s.kernels.status)),
    takeUntil(deleted$),
    mergeMap((s) => {
      const { kernelId, status, error } = s.kernels;
      if (kernelId === undefined || status === 'failed') {
        return of(notebookActions.cellExecutionCancelled({ id: req.id, reason: error ? `The kernel did not start: ${error}` : 'No kernel is running' }));
      }
      return executeCell$({ ...req, kernelId }, action$, deps);
    }),
  );
}

function executeCell$(req: CellRequest, action$: Observable<UnknownAction>, deps: EpicDependencies): Observable<UnknownAction> {
  const client = deps.kernels.get(req.kernelId);
  if (!client) return of(notebookActions.cellExecutionCancelled({ id: req.id, reason: 'No kernel is running' }));
  return defer(() => {
    const fold = { outputs: emptyOutputsState(), started: false, replied: false };
    let stopReason = 'The execution was cut off';
    const run$ = client.execute(req.code, { stop_on_error: true }).pipe(
      takeUntil(stopFor(action$, req).pipe(tap((reason) => { stopReason = reason; }))),
      // Big outputs cost more to render: fold them less often so typing stays responsive.
      bufferWhen(() => timer(batchWindow(deps.outputBatchMs ?? DEFAULT_OUTPUT_BATCH_MS, fold.outputs), deps.scheduler)),
      filter((batch) => batch.length > 0),
      mergeMap((batch) => of(...actionsForBatch(req.id, batch, fold, deps.scheduler.now()))),
    );
    const ending$ = defer(() => (fold.replied ? EMPTY : of(notebookActions.cellExecutionCancelled({ id: req.id, reason: stopReason }))));
    return concat(run$, ending$).pipe(
      catchError((error: unknown) => of(notebookActions.cellExecutionCancelled({ id: req.id, reason: error instanceof Error ? error.message : String(error) }))),
    );
  });
}

/**
 * The output batch window: the base for small outputs, growing with the cell's text up to 16× at
 * ~1 MB. Each batch costs time in proportion to the whole text (the merged string is copied once,
 * the view re-cut); fewer batches keep a huge flood from stealing frames from typing.
 */
export function batchWindow(baseMs: number, outputs: OutputsState): number {
  let chars = 0;
  for (const o of outputs.outputs) if (o.output_type === 'stream') chars += typeof o.text === 'string' ? o.text.length : o.text.length * 40;
  return chars < 65_536 ? baseMs : Math.min(baseMs * 16, Math.round(baseMs * (1 + chars / 65_536)));
}

/** The code cells to send; with `skipTagged` (run all/above/below), not those tagged skip-execution. */
function requestsFor(ids: string[], state: DocumentState, skipTagged: boolean): CellRequest[] {
  const byId = new Map(state.notebook.cells.map((c) => [c.id, c]));
  return ids.flatMap((id) => {
    const cell = byId.get(id);
    if (cell?.cell_type !== 'code' || (skipTagged && skipsExecution(cell))) return [];
    return [{ id, code: joinSource(cell.source), kernelId: state.kernels.kernelId }];
  });
}

export const executeCellsEpic: DocumentEpic = (action$, state$, deps) => action$.pipe(
  filter(notebookActions.executeRequested.match),
  mergeMap((action) => requestsFor(action.payload.ids, state$.value, action.payload.skipTagged ?? false)),
  groupBy((req) => req.id),
  mergeMap((perCell$) => perCell$.pipe(switchMap((req) => whenKernelReady$(req, action$, state$, deps)))),
);

/** input() answers go to the kernel on the stdin channel. */
export const replyToInputEpic: DocumentEpic = (action$, state$, { kernels }) => action$.pipe(
  filter(notebookActions.inputReplyRequested.match),
  mergeMap((action) => {
    const { id, value } = action.payload;
    const pending = state$.value.notebook.runtime[id]?.input;
    const client = kernels.get(state$.value.kernels.kernelId);
    if (!pending || !client) return EMPTY;
    return merge(
      of(notebookActions.inputReplied({ id, value })),
      defer(() => client.inputReply(value, pending.parentHeader)).pipe(mergeMap(() => EMPTY), catchError(() => EMPTY)),
    );
  }),
);

export const executionEpics = [executeCellsEpic, replyToInputEpic];
