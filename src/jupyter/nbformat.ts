/**
 * nbformat v4 types (4.0–4.5). Multi-line strings stay as they were in the file (string or
 * string[]), so that saving an unchanged notebook writes the same bytes.
 */
import type { JsonObject, JsonValue } from './messages';

export type MultilineString = string | string[];
export type CellType = 'code' | 'markdown' | 'raw';

export interface CellMetadata extends JsonObject {
  [key: string]: JsonValue;
}

export interface BaseCell {
  cell_type: CellType;
  /** nbformat 4.5 cell id. */
  id?: string;
  metadata: CellMetadata;
  source: MultilineString;
}

export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: MultilineString;
}
export interface DisplayDataOutput {
  output_type: 'display_data';
  data: Record<string, MultilineString | JsonValue>;
  metadata: JsonObject;
  /** Not part of nbformat on disk; kept in memory to route update_display_data. Never saved. */
  transient?: { display_id?: string };
}
export interface ExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: Record<string, MultilineString | JsonValue>;
  metadata: JsonObject;
  transient?: { display_id?: string };
}
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CodeCell extends BaseCell {
  cell_type: 'code';
  execution_count: number | null;
  outputs: Output[];
}
export interface MarkdownCell extends BaseCell {
  cell_type: 'markdown';
  attachments?: Record<string, Record<string, MultilineString>>;
}
export interface RawCell extends BaseCell {
  cell_type: 'raw';
  attachments?: Record<string, Record<string, MultilineString>>;
}
export type Cell = CodeCell | MarkdownCell | RawCell;

export interface NotebookMetadata extends JsonObject {
  [key: string]: JsonValue;
}

export interface KernelspecMetadata {
  name: string;
  display_name: string;
  language?: string;
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: NotebookMetadata;
  cells: Cell[];
}

/** Joins a multi-line string as Jupyter does (the list elements already carry their newlines). */
export function joinSource(source: MultilineString): string {
  return Array.isArray(source) ? source.join('') : source;
}

/** Splits text into nbformat's list form: every line keeps its trailing newline. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}
