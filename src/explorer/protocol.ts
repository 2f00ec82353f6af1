/**
 * The explorer's kernel query protocol (v1), language-neutral.
 *
 * Transport: a silent execute (`silent: true, store_history: false`, empty code) whose
 * `user_expressions` holds one expression; the kernel evaluates it and the execute_reply carries
 * the answer as JSON text under the mime type `EXPLORER_REPLY_MIME`. Nothing is printed, no
 * execution count is used, and the user's namespace is untouched. A kernel for another
 * language implements (1) a display hook that adds `quire.frame_id` to the dataresource output's
 * metadata and (2) an expression that takes the request JSON and returns the reply bundle; the
 * `KernelDialect` says how to spell both.
 */
import { filter, firstValueFrom, type Observable } from 'rxjs';
import type { BaseMessage, ExecuteRequestContent } from '../jupyter/messages';
import type { ChartData, ChartDataRequest } from './charts';
import { pythonQueryExpression, pythonStartupCode } from './pythonHelper';
import type { ColumnSummary, ColumnType, TableView } from './types';

export const EXPLORER_PROTOCOL_VERSION = 1;
export const EXPLORER_REPLY_MIME = 'application/vnd.quire.explorer.v1+json';
/** Key of the user expression carrying a query. */
export const EXPLORER_EXPRESSION_KEY = 'quire_explorer';

/** Requests address a frame by the id its output's metadata carries. */
interface FrameRequest {
  frame: string;
}
/** Requests over a view carry the column types the window inferred, so both sides read cells alike. */
interface ViewRequest extends FrameRequest {
  types: ColumnType[];
  view: TableView;
}

export type ExplorerRequest =
  | (FrameRequest & { op: 'info'; sample?: number })
  | (ViewRequest & { op: 'rows'; offset: number; limit: number })
  | (ViewRequest & { op: 'summary' })
  | (ViewRequest & { op: 'chart'; chart: ChartDataRequest })
  | (ViewRequest & { op: 'csv' });

/** Raw (un-normalized) cells as the kernel encodes them: the same encoding as the output's rows. */
export type RawCell = string | number | boolean | null | Record<string, unknown> | unknown[];

export interface InfoResult {
  rowCount: number;
  fields: { name: string; type?: string; tz?: string }[];
  primaryKey: string[];
  /** Up to `sample` evenly spaced raw values per column, for type inference. */
  sample: RawCell[][];
}
export interface RowsResult {
  rowCount: number;
  offset: number;
  rows: RawCell[][];
}
export interface SummaryResult {
  rowCount: number;
  columns: ColumnSummary[];
}
export interface CsvResult {
  csv: string;
  rows: number;
}

export interface ExplorerResultMap {
  info: InfoResult;
  rows: RowsResult;
  summary: SummaryResult;
  chart: ChartData;
  csv: CsvResult;
}

/** Why a query failed. FRAME_GONE and NO_HELPER mean "fall back to the output's rows". */
export type ExplorerErrorCode = 'FRAME_GONE' | 'NO_HELPER' | 'BAD_REQUEST' | 'ERROR' | 'KERNEL';

export type ExplorerResponse<T> = { ok: true; result: T } | { ok: false; code: ExplorerErrorCode; message: string };

export class ExplorerQueryError extends Error {
  constructor(readonly code: ExplorerErrorCode, message: string) {
    super(message);
    this.name = 'ExplorerQueryError';
  }
  /** True when the live frame cannot be used any more and the window's rows must do. */
  get isFallback(): boolean {
    return this.code === 'FRAME_GONE' || this.code === 'NO_HELPER' || this.code === 'KERNEL';
  }
}

/** How one kernel language spells the protocol. */
export interface KernelDialect {
  language: string;
  /** Code for the silent execute at kernel start (installs the helper and display hook). */
  startupCode(options: { tableSchema: boolean; rowLimit?: number }): string;
  /** An expression evaluating to a bundle with `EXPLORER_REPLY_MIME` for the request JSON. */
  queryExpression(requestJson: string): string;
}

export const pythonDialect: KernelDialect = {
  language: 'python',
  startupCode: pythonStartupCode,
  queryExpression: pythonQueryExpression,
};

/** The part of `KernelClient` (src/jupyter/kernelClient.ts) the explorer needs. */
export interface ExplorerKernel {
  execute(code: string, options?: Partial<ExecuteRequestContent>): Observable<BaseMessage>;
}

/** Dialect for a kernel language, if the explorer can query it live. */
export function dialectFor(language: string | undefined): KernelDialect | undefined {
  return language?.toLowerCase() === 'python' ? pythonDialect : undefined;
}

/** Builds the execute_request content of a query. */
export function queryExecuteContent(request: ExplorerRequest, dialect: KernelDialect = pythonDialect): Partial<ExecuteRequestContent> & { code: string } {
  return {
    code: '',
    silent: true,
    store_history: false,
    allow_stdin: false,
    stop_on_error: false,
    user_expressions: { [EXPLORER_EXPRESSION_KEY]: dialect.queryExpression(JSON.stringify(request)) },
  };
}

/** Parses an execute_reply's content into a protocol response. Never throws. */
export function parseQueryReply<T>(content: unknown): ExplorerResponse<T> {
  const c = content as { status?: string; ename?: string; evalue?: string; user_expressions?: Record<string, unknown> } | undefined;
  if (!c || c.status !== 'ok') {
    return { ok: false, code: 'KERNEL', message: c?.status === 'aborted' ? 'The kernel aborted the query.' : `The kernel could not run the query${c?.evalue ? `: ${c.evalue}` : '.'}` };
  }
  const expr = c.user_expressions?.[EXPLORER_EXPRESSION_KEY] as { status?: string; ename?: string; evalue?: string; data?: Record<string, unknown> } | undefined;
  if (!expr) return { ok: false, code: 'KERNEL', message: 'The kernel did not evaluate the query expression.' };
  if (expr.status !== 'ok') {
    const missing = expr.ename === 'ModuleNotFoundError' || expr.ename === 'ImportError' || expr.ename === 'NameError';
    return missing
      ? { ok: false, code: 'NO_HELPER', message: 'The explorer helper is not installed in this kernel (was it restarted?).' }
      : { ok: false, code: 'ERROR', message: `${expr.ename ?? 'Error'}: ${expr.evalue ?? ''}` };
  }
  const text = expr.data?.[EXPLORER_REPLY_MIME];
  if (typeof text !== 'string') return { ok: false, code: 'NO_HELPER', message: 'The kernel answered without explorer data.' };
  try {
    const parsed = JSON.parse(text) as { v?: number; ok?: boolean; result?: T; code?: ExplorerErrorCode; message?: string };
    if (parsed.v !== undefined && parsed.v !== EXPLORER_PROTOCOL_VERSION) {
      return { ok: false, code: 'NO_HELPER', message: `The kernel's explorer helper speaks protocol v${parsed.v}; this Quire speaks v${EXPLORER_PROTOCOL_VERSION}.` };
    }
    if (parsed.ok === true) return { ok: true, result: parsed.result as T };
    return { ok: false, code: parsed.code ?? 'ERROR', message: parsed.message ?? 'Unknown error' };
  } catch {
    return { ok: false, code: 'ERROR', message: 'The kernel answered with malformed JSON.' };
  }
}

/**
 * Sends one query and resolves with its result; rejects with `ExplorerQueryError`. The query
 * waits its turn behind running cells (a kernel runs one request at a time).
 */
export async function queryKernel<K extends ExplorerRequest['op']>(
  kernel: ExplorerKernel,
  request: Extract<ExplorerRequest, { op: K }>,
  dialect: KernelDialect = pythonDialect,
): Promise<ExplorerResultMap[K]> {
  const { code, ...options } = queryExecuteContent(request, dialect);
  let reply: BaseMessage;
  try {
    reply = await firstValueFrom(kernel.execute(code, options).pipe(filter((m) => m.header.msg_type === 'execute_reply')));
  } catch (error) {
    throw new ExplorerQueryError('KERNEL', `The kernel is not reachable: ${(error as Error).message}`);
  }
  const response = parseQueryReply<ExplorerResultMap[K]>(reply.content);
  if (!response.ok) throw new ExplorerQueryError(response.code, response.message);
  return response.result;
}

/**
 * Runs the dialect's start-up code silently (call once when a kernel becomes ready, and after
 * each restart). `tableSchema: false` installs the helper but leaves pandas' option alone.
 */
export async function runExplorerStartup(kernel: ExplorerKernel, options: { tableSchema: boolean; rowLimit?: number }, dialect: KernelDialect = pythonDialect): Promise<boolean> {
  const reply = await firstValueFrom(kernel.execute(dialect.startupCode(options), { silent: true, store_history: false, allow_stdin: false, stop_on_error: false })
    .pipe(filter((m) => m.header.msg_type === 'execute_reply')));
  return (reply.content as { status?: string }).status === 'ok';
}

/** The one-liner the issue describes; `runExplorerStartup` does this lazily and more. */
export const PANDAS_TABLE_SCHEMA_SNIPPET =
  "try:\n    import pandas as __quire_pd\n    __quire_pd.set_option('display.html.table_schema', True)\n    del __quire_pd\nexcept ImportError:\n    pass\n";
