/**
 * Runs one code cell the way nbclient does: execute_request with stdin disallowed, outputs folded
 * with src/jupyter/outputs.ts (raw text, no control-character processing, like nbclient),
 * `execution_count` from execute_input, and `metadata.execution` timestamps
 * (nbclient's record_timing). Resolves with the execute_reply content, or rejects when the
 * kernel dies, the cell times out, or the run is cancelled.
 */
import type { Subscription } from 'rxjs';
import type { KernelClient } from '../../src/jupyter/kernelClient';
import type { BaseMessage, ExecuteReplyContent, JsonObject } from '../../src/jupyter/messages';
import type { CodeCell, Notebook, Output } from '../../src/jupyter/nbformat';
import { joinSource } from '../../src/jupyter/nbformat';
import { applyOutputMessage, emptyOutputsState, outputFromMessage, updateDisplayInOutputs } from '../../src/jupyter/outputs';

/** nbclient's timestamp format: `%Y-%m-%dT%H:%M:%S.%fZ` from the message header's date. */
export function messageTimestamp(msg: BaseMessage): string {
  const date = msg.header.date;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]00:?00)?$/.exec(date ?? '');
  if (m) return `${m[1]}.${(m[2] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
  const parsed = date ? new Date(date) : new Date();
  return `${(Number.isNaN(parsed.getTime()) ? new Date() : parsed).toISOString().slice(0, 23)}000Z`;
}

export interface CellExecutionHooks {
  /** Each output message as it arrives, unmerged (stream chunks stay separate; fold them with appendOutput). */
  onOutput?: (output: Output) => void;
}

/** The outcome of waiting on a cell: the reply, or why there is none. */
export type CellOutcome =
  | { kind: 'reply'; reply: ExecuteReplyContent }
  | { kind: 'dead'; reason?: string; stderrTail?: string[] }
  | { kind: 'timeout' }
  | { kind: 'cancelled' };

export interface CellAbort {
  /** Resolves with the reason the cell must stop waiting (dead kernel, cancel). */
  readonly stopped: Promise<CellOutcome>;
}

/**
 * Executes `cell` and mutates it with outputs, count and timings. `timeoutMs` limits the wait for
 * the reply; on timeout the caller interrupts and then calls `drain` to collect the rest.
 */
export class CellExecution {
  private _subscription: Subscription | undefined;
  private _outputs = emptyOutputsState();
  private _done!: Promise<void>;
  private _reply: ExecuteReplyContent | undefined;

  constructor(
    private readonly _client: KernelClient,
    private readonly _nb: Notebook,
    private readonly _cell: CodeCell,
    private readonly _hooks: CellExecutionHooks = {},
  ) {}

  /** Starts the request; resolves with the outcome (reply, or the first of abort/timeout). */
  run(abort: CellAbort, timeoutMs?: number): Promise<CellOutcome> {
    const timing: JsonObject = {};
    this._cell.metadata.execution = timing;
    this._cell.outputs = [];
    this._done = new Promise<void>((resolve, reject) => {
      this._subscription = this._client
        .execute(joinSource(this._cell.source), { allow_stdin: false, store_history: true, stop_on_error: true })
        .subscribe({ next: (msg) => this._onMessage(msg, timing), complete: resolve, error: reject });
    });
    // A connection that closes mid-cell means the kernel is gone.
    const replied = this._done.then(
      (): CellOutcome => ({ kind: 'reply', reply: this._reply ?? { status: 'aborted' } }),
      (error: unknown): CellOutcome => ({ kind: 'dead', reason: error instanceof Error ? error.message : String(error) }),
    );
    const racers: Array<Promise<CellOutcome>> = [replied, abort.stopped];
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (timeoutMs !== undefined && timeoutMs > 0) racers.push(new Promise((resolve) => (timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs))));
    return Promise.race(racers).finally(() => clearTimeout(timer));
  }

  /** After an interrupt: waits up to `ms` for the reply and idle (to keep the KeyboardInterrupt output). */
  async drain(ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const done = this._done.then(() => true, () => false);
    try {
      return await Promise.race([done, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  stop(): void {
    this._subscription?.unsubscribe();
  }

  private _onMessage(msg: BaseMessage, timing: JsonObject): void {
    const type = msg.header.msg_type;
    if (msg.channel === 'shell' && type === 'execute_reply') {
      this._reply = msg.content as ExecuteReplyContent;
      timing['shell.execute_reply'] = messageTimestamp(msg);
      const count = (msg.content as { execution_count?: number | null }).execution_count;
      if (typeof count === 'number') this._cell.execution_count = count;
      return;
    }
    if (msg.channel !== 'iopub') return;
    if (type === 'status') {
      const state = (msg.content as { execution_state?: string }).execution_state;
      if (state === 'busy') timing['iopub.status.busy'] = messageTimestamp(msg);
      else if (state === 'idle') timing['iopub.status.idle'] = messageTimestamp(msg);
      return;
    }
    if (type === 'execute_input') {
      timing['iopub.execute_input'] = messageTimestamp(msg);
      const count = (msg.content as { execution_count?: number }).execution_count;
      if (typeof count === 'number') this._cell.execution_count = count;
      return;
    }
    if (type === 'update_display_data') {
      this._updateDisplayEverywhere(msg);
      return;
    }
    const before = this._outputs;
    this._outputs = applyOutputMessage(before, msg, { processControlChars: false });
    if (this._outputs === before) return;
    this._cell.outputs = this._outputs.outputs;
    const output = outputFromMessage(msg);
    if (output) this._hooks.onOutput?.(output);
  }

  /** nbclient updates a display id wherever it is in the notebook, not only in this cell. */
  private _updateDisplayEverywhere(msg: BaseMessage): void {
    const content = msg.content as { data: JsonObject; metadata: JsonObject; transient?: { display_id?: string } };
    const displayId = content.transient?.display_id;
    if (typeof displayId !== 'string') return;
    for (const cell of this._nb.cells) {
      if (cell.cell_type !== 'code') continue;
      const updated = updateDisplayInOutputs(cell.outputs, displayId, content);
      if (!updated) continue;
      cell.outputs = updated;
      if (cell === this._cell) this._outputs = { ...this._outputs, outputs: updated };
    }
  }
}
