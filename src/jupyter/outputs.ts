/**
 * Folding iopub messages into nbformat outputs: the one place that knows how stream text
 * coalesces, how `clear_output(wait=True)` defers, and how `update_display_data` finds its target.
 * Pure; used by the renderer's notebook slice and the run engine alike.
 */
import { type BaseMessage, type DisplayDataContent, type JsonObject, parentId } from './messages';
import type { DisplayDataOutput, ExecuteResultOutput, Output, StreamOutput } from './nbformat';
import { joinSource } from './nbformat';

export interface OutputsState {
  outputs: Output[];
  /** Set by `clear_output(wait=True)`: the outputs are cleared when the next output arrives. */
  clearPending: boolean;
}

export interface ApplyOutputOptions {
  /**
   * Resolve `\r` (return to line start) and `\b` (backspace) in stream text as a terminal would,
   * like JupyterLab does. The run engine turns this off to keep nbclient's raw text.
   */
  processControlChars?: boolean;
}

export function emptyOutputsState(outputs: Output[] = []): OutputsState {
  return { outputs, clearPending: false };
}

type DisplayLike = Pick<DisplayDataContent, 'data' | 'metadata' | 'transient'>;

function displayFields(content: DisplayLike): Pick<DisplayDataOutput, 'data' | 'metadata' | 'transient'> {
  const displayId = content.transient?.display_id;
  return {
    data: content.data ?? {},
    metadata: content.metadata ?? {},
    ...(typeof displayId === 'string' ? { transient: { display_id: displayId } } : {}),
  };
}

/** The nbformat output a message adds, or undefined for messages that add none. */
export function outputFromMessage(msg: BaseMessage): Output | undefined {
  const content = msg.content as Record<string, unknown>;
  switch (msg.header.msg_type) {
    case 'stream':
      return { output_type: 'stream', name: content.name === 'stderr' ? 'stderr' : 'stdout', text: String(content.text ?? '') };
    case 'display_data':
      return { output_type: 'display_data', ...displayFields(content as unknown as DisplayLike) };
    case 'execute_result':
      return {
        output_type: 'execute_result',
        execution_count: typeof content.execution_count === 'number' ? content.execution_count : null,
        ...displayFields(content as unknown as DisplayLike),
      };
    case 'error':
      return {
        output_type: 'error',
        ename: String(content.ename ?? ''),
        evalue: String(content.evalue ?? ''),
        traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
      };
    default:
      return undefined;
  }
}

/**
 * Joins runs of adjacent iopub `stream` messages of the same request and stream name into one
 * message (the first one's header, the texts concatenated), as they would fold into one output
 * anyway. A print flood then costs one message per batch instead of one per line, wherever the
 * batch goes next (over the host RPC, into a cell's outputs). Messages are never reordered.
 */
export function coalesceStreamMessages(messages: BaseMessage[]): BaseMessage[] {
  const out: BaseMessage[] = [];
  let texts: string[] = [];
  const flush = () => {
    if (texts.length > 1) {
      const first = out[out.length - 1];
      out[out.length - 1] = { ...first, content: { ...(first.content as object), text: texts.join('') } };
    }
    texts = [];
  };
  for (const msg of messages) {
    const isStream = msg.channel === 'iopub' && msg.header.msg_type === 'stream';
    const prev = out[out.length - 1];
    if (isStream && texts.length > 0 && parentId(prev) === parentId(msg)
      && (prev.content as { name?: unknown }).name === (msg.content as { name?: unknown }).name) {
      texts.push(streamText(msg));
      continue;
    }
    flush();
    out.push(msg);
    if (isStream) texts = [streamText(msg)];
  }
  flush();
  return out;
}

/** As outputFromMessage reads it. */
function streamText(msg: BaseMessage): string {
  return String((msg.content as { text?: unknown }).text ?? '');
}

/** Applies one iopub message to a cell's outputs. Returns the same state object when nothing changed. */
export function applyOutputMessage(state: OutputsState, msg: BaseMessage, options: ApplyOutputOptions = {}): OutputsState {
  const type = msg.header.msg_type;
  if (type === 'clear_output') {
    const wait = Boolean((msg.content as { wait?: boolean }).wait);
    if (wait) return state.clearPending ? state : { ...state, clearPending: true };
    return state.outputs.length === 0 && !state.clearPending ? state : emptyOutputsState();
  }
  if (type === 'update_display_data') {
    const content = msg.content as DisplayLike;
    const displayId = content.transient?.display_id;
    if (typeof displayId !== 'string') return state;
    const outputs = updateDisplayInOutputs(state.outputs, displayId, content);
    return outputs ? { ...state, outputs } : state;
  }
  const output = outputFromMessage(msg);
  if (!output) return state;
  const base = state.clearPending ? [] : state.outputs;
  return { outputs: appendOutput(base, output, options), clearPending: false };
}

/** Appends an output; consecutive stream outputs of the same name merge into one, as Jupyter shows them. */
export function appendOutput(outputs: Output[], output: Output, options: ApplyOutputOptions = {}): Output[] {
  const process = options.processControlChars ?? true;
  const last = outputs[outputs.length - 1];
  if (output.output_type === 'stream' && last?.output_type === 'stream' && last.name === output.name) {
    const before = joinSource(last.text);
    const added = joinSource(output.text);
    const merged: StreamOutput = { ...last, text: process ? appendResolved(before, added) : before + added };
    return [...outputs.slice(0, -1), merged];
  }
  if (output.output_type === 'stream' && process) {
    return [...outputs, { ...output, text: resolveControlChars(joinSource(output.text)) }];
  }
  return [...outputs, output];
}

/**
 * `resolveControlChars(before + added)` for an already resolved `before`, in time proportional to
 * `added` and the last line of `before`: a flood of prints must not rescan (and copy) megabytes of
 * earlier output per batch. `\b` and `\r` only reach back into the current line.
 */
function appendResolved(before: string, added: string): string {
  const lineStart = before.lastIndexOf('\n') + 1;
  const lastLine = before.slice(lineStart);
  if (!lastLine.includes('\r') && !added.includes('\r') && !added.includes('\b')) return before + added;
  return before.slice(0, lineStart) + resolveControlChars(lastLine + added);
}

/**
 * Replaces the data of every output carrying `displayId`. Returns a new array when something
 * changed, undefined otherwise (display ids may live in other cells: callers try each cell).
 */
export function updateDisplayInOutputs(outputs: Output[], displayId: string, content: DisplayLike): Output[] | undefined {
  let changed = false;
  const next = outputs.map((output) => {
    if ((output.output_type === 'display_data' || output.output_type === 'execute_result') && output.transient?.display_id === displayId) {
      changed = true;
      return { ...output, data: content.data ?? {}, metadata: (content.metadata ?? {}) as JsonObject } as DisplayDataOutput | ExecuteResultOutput;
    }
    return output;
  });
  return changed ? next : undefined;
}

/** Removes in-memory-only fields (display ids) before a notebook is written. */
export function stripTransient(output: Output): Output {
  if ((output.output_type === 'display_data' || output.output_type === 'execute_result') && output.transient) {
    const { transient: _transient, ...rest } = output;
    return rest as Output;
  }
  return output;
}

/**
 * Resolves `\b` and `\r` the way a terminal does: a backspace deletes the previous character of
 * the line, and a carriage return not followed by a newline restarts the line.
 */
export function resolveControlChars(text: string): string {
  if (!text.includes('\r') && !text.includes('\b')) return text;
  let result = text;
  if (result.includes('\b')) {
    let out = '';
    for (const ch of result) {
      if (ch === '\b') {
        if (out.length > 0 && !out.endsWith('\n')) out = out.slice(0, -1);
      } else out += ch;
    }
    result = out;
  }
  if (result.includes('\r')) {
    result = result.replace(/\r+\n/g, '\n');
    // Keep a trailing bare `\r` so the next chunk still overwrites the line.
    const endsWithReturn = result.endsWith('\r');
    result = result
      .split('\n')
      .map((line) => {
        const parts = line.split('\r');
        return parts.length > 1 ? overlay(parts) : line;
      })
      .join('\n');
    if (endsWithReturn) result += '\r';
  }
  return result;
}

/** Each later part overwrites the start of the earlier text, as a terminal line does. */
function overlay(parts: string[]): string {
  let line = '';
  for (const part of parts) {
    if (part === '') continue;
    line = part + line.slice(part.length);
  }
  return line;
}
