/**
 * Jupyter messaging protocol (5.3) types, in JupyterLab's shape: one interface per message,
 * channel-literal bases, type guards, and a single generic `createMessage`.
 */

export type Channel = 'shell' | 'control' | 'stdin' | 'iopub';
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonObject | JsonValue[];
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface MessageHeader<T extends string = string> {
  msg_id: string;
  msg_type: T;
  session: string;
  username: string;
  date: string;
  version: string;
  subshell_id?: string | null;
}

export interface BaseMessage<T extends string = string, C extends Channel = Channel, Content = unknown> {
  channel: C;
  header: MessageHeader<T>;
  /** Empty object when the message has no parent. */
  parent_header: MessageHeader | Record<string, never>;
  metadata: JsonObject;
  content: Content;
  /** Binary buffers. Over the host RPC they travel base64-encoded (see src/ipc/protocol.ts). */
  buffers?: ArrayBuffer[] | string[];
}

export type ExecutionStatus = 'ok' | 'error' | 'aborted';
export type KernelExecutionState = 'starting' | 'idle' | 'busy' | 'restarting' | 'dead';

export type MimeBundle = Record<string, JsonValue>;

// --- shell ------------------------------------------------------------------------------------

export interface ExecuteRequestContent {
  code: string;
  silent: boolean;
  store_history: boolean;
  user_expressions: JsonObject;
  allow_stdin: boolean;
  stop_on_error: boolean;
}
export type ExecuteRequestMsg = BaseMessage<'execute_request', 'shell', ExecuteRequestContent>;

export interface ReplyError {
  status: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type ExecuteReplyContent =
  | ({ status: 'ok'; execution_count: number; payload?: JsonObject[]; user_expressions?: JsonObject })
  | (ReplyError & { execution_count: number })
  | { status: 'aborted'; execution_count?: number | null };
export type ExecuteReplyMsg = BaseMessage<'execute_reply', 'shell', ExecuteReplyContent>;

export interface CompleteRequestContent {
  code: string;
  cursor_pos: number;
}
export type CompleteRequestMsg = BaseMessage<'complete_request', 'shell', CompleteRequestContent>;
export interface CompleteReplyContent {
  status: 'ok' | 'error';
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: JsonObject;
}
export type CompleteReplyMsg = BaseMessage<'complete_reply', 'shell', CompleteReplyContent>;

export interface InspectRequestContent {
  code: string;
  cursor_pos: number;
  detail_level: 0 | 1;
}
export type InspectRequestMsg = BaseMessage<'inspect_request', 'shell', InspectRequestContent>;
export interface InspectReplyContent {
  status: 'ok' | 'error';
  found: boolean;
  data: MimeBundle;
  metadata: JsonObject;
}
export type InspectReplyMsg = BaseMessage<'inspect_reply', 'shell', InspectReplyContent>;

export interface LanguageInfo {
  name: string;
  version?: string;
  mimetype?: string;
  file_extension?: string;
  pygments_lexer?: string;
  codemirror_mode?: string | JsonObject;
  nbconvert_exporter?: string;
  [key: string]: JsonValue | undefined;
}
export type KernelInfoRequestMsg = BaseMessage<'kernel_info_request', 'shell' | 'control', Record<string, never>>;
export interface KernelInfoReplyContent {
  status: 'ok' | 'error';
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: LanguageInfo;
  banner: string;
  help_links?: Array<{ text: string; url: string }>;
}
export type KernelInfoReplyMsg = BaseMessage<'kernel_info_reply', 'shell' | 'control', KernelInfoReplyContent>;

export type IsCompleteRequestMsg = BaseMessage<'is_complete_request', 'shell', { code: string }>;
export type IsCompleteReplyMsg = BaseMessage<'is_complete_reply', 'shell', { status: 'complete' | 'incomplete' | 'invalid' | 'unknown'; indent?: string }>;

export type CommOpenMsg = BaseMessage<'comm_open', 'shell' | 'iopub', { comm_id: string; target_name: string; data: JsonObject; target_module?: string }>;
export type CommMsgMsg = BaseMessage<'comm_msg', 'shell' | 'iopub', { comm_id: string; data: JsonObject }>;
export type CommCloseMsg = BaseMessage<'comm_close', 'shell' | 'iopub', { comm_id: string; data: JsonObject }>;

// --- control ----------------------------------------------------------------------------------

export type InterruptRequestMsg = BaseMessage<'interrupt_request', 'control', Record<string, never>>;
export type InterruptReplyMsg = BaseMessage<'interrupt_reply', 'control', { status: 'ok' | 'error' }>;
export type ShutdownRequestMsg = BaseMessage<'shutdown_request', 'control' | 'shell', { restart: boolean }>;
export type ShutdownReplyMsg = BaseMessage<'shutdown_reply', 'control' | 'shell', { status: 'ok' | 'error'; restart: boolean }>;

// --- stdin ------------------------------------------------------------------------------------

export type InputRequestMsg = BaseMessage<'input_request', 'stdin', { prompt: string; password: boolean }>;
export type InputReplyMsg = BaseMessage<'input_reply', 'stdin', { value: string }>;

// --- iopub ------------------------------------------------------------------------------------

export type StatusMsg = BaseMessage<'status', 'iopub', { execution_state: KernelExecutionState }>;
export type StreamMsg = BaseMessage<'stream', 'iopub', { name: 'stdout' | 'stderr'; text: string }>;
export interface DisplayDataContent {
  data: MimeBundle;
  metadata: JsonObject;
  transient?: { display_id?: string } & JsonObject;
}
export type DisplayDataMsg = BaseMessage<'display_data', 'iopub', DisplayDataContent>;
export type UpdateDisplayDataMsg = BaseMessage<'update_display_data', 'iopub', DisplayDataContent>;
export type ExecuteResultMsg = BaseMessage<'execute_result', 'iopub', DisplayDataContent & { execution_count: number }>;
export type ExecuteInputMsg = BaseMessage<'execute_input', 'iopub', { code: string; execution_count: number }>;
export type ErrorMsg = BaseMessage<'error', 'iopub', { ename: string; evalue: string; traceback: string[] }>;
export type ClearOutputMsg = BaseMessage<'clear_output', 'iopub', { wait: boolean }>;

export type ShellRequestMessage =
  | ExecuteRequestMsg
  | CompleteRequestMsg
  | InspectRequestMsg
  | KernelInfoRequestMsg
  | IsCompleteRequestMsg
  | CommOpenMsg
  | CommMsgMsg
  | CommCloseMsg;
export type ShellReplyMessage =
  | ExecuteReplyMsg
  | CompleteReplyMsg
  | InspectReplyMsg
  | KernelInfoReplyMsg
  | IsCompleteReplyMsg;
export type IOPubMessage =
  | StatusMsg
  | StreamMsg
  | DisplayDataMsg
  | UpdateDisplayDataMsg
  | ExecuteResultMsg
  | ExecuteInputMsg
  | ErrorMsg
  | ClearOutputMsg
  | CommOpenMsg
  | CommMsgMsg
  | CommCloseMsg;

/** Any Jupyter message. Unknown message types still travel as `BaseMessage`. */
export type JupyterMessage =
  | ShellRequestMessage
  | ShellReplyMessage
  | IOPubMessage
  | InterruptRequestMsg
  | InterruptReplyMsg
  | ShutdownRequestMsg
  | ShutdownReplyMsg
  | InputRequestMsg
  | InputReplyMsg;

export type MessageType = JupyterMessage['header']['msg_type'];
export type MessageOfType<T extends MessageType> = Extract<JupyterMessage, { header: MessageHeader<T> }>;

export const PROTOCOL_VERSION = '5.3';

export interface CreateMessageOptions<M extends JupyterMessage> {
  msgType: M['header']['msg_type'];
  channel: M['channel'];
  content: M['content'];
  session: string;
  username?: string;
  msgId?: string;
  parentHeader?: MessageHeader;
  metadata?: JsonObject;
  buffers?: ArrayBuffer[];
}

/** Builds a message with header defaults set in one place. */
export function createMessage<M extends JupyterMessage>(options: CreateMessageOptions<M>): M {
  return {
    channel: options.channel,
    header: {
      msg_id: options.msgId ?? randomId(),
      msg_type: options.msgType,
      session: options.session,
      username: options.username ?? 'quire',
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    },
    parent_header: options.parentHeader ?? {},
    metadata: options.metadata ?? {},
    content: options.content,
    buffers: options.buffers ?? [],
  } as unknown as M;
}

/** A RFC 4122 v4 id; uses the platform's crypto where present (every supported runtime has it). */
export function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  let id = '';
  for (let i = 0; i < 32; i++) id += Math.floor(Math.random() * 16).toString(16);
  return `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-a${id.slice(17, 20)}-${id.slice(20)}`;
}

export function isMessageType<T extends MessageType>(msg: BaseMessage, type: T): msg is MessageOfType<T> & BaseMessage {
  return msg.header.msg_type === type;
}

/** True when `msg` answers or reports on the request whose header id is `parentId`. */
export function isChildOf(msg: BaseMessage, parentId: string): boolean {
  return (msg.parent_header as Partial<MessageHeader>).msg_id === parentId;
}

export function parentId(msg: BaseMessage): string | undefined {
  return (msg.parent_header as Partial<MessageHeader>).msg_id;
}

export const isStatusMsg = (m: BaseMessage): m is StatusMsg => m.header.msg_type === 'status';
export const isStreamMsg = (m: BaseMessage): m is StreamMsg => m.header.msg_type === 'stream';
export const isDisplayDataMsg = (m: BaseMessage): m is DisplayDataMsg => m.header.msg_type === 'display_data';
export const isUpdateDisplayDataMsg = (m: BaseMessage): m is UpdateDisplayDataMsg => m.header.msg_type === 'update_display_data';
export const isExecuteResultMsg = (m: BaseMessage): m is ExecuteResultMsg => m.header.msg_type === 'execute_result';
export const isExecuteInputMsg = (m: BaseMessage): m is ExecuteInputMsg => m.header.msg_type === 'execute_input';
export const isErrorMsg = (m: BaseMessage): m is ErrorMsg => m.header.msg_type === 'error';
export const isClearOutputMsg = (m: BaseMessage): m is ClearOutputMsg => m.header.msg_type === 'clear_output';
export const isExecuteReplyMsg = (m: BaseMessage): m is ExecuteReplyMsg => m.header.msg_type === 'execute_reply';
export const isInputRequestMsg = (m: BaseMessage): m is InputRequestMsg => m.header.msg_type === 'input_request';
export const isCommMsgMsg = (m: BaseMessage): m is CommMsgMsg => m.header.msg_type === 'comm_msg';
