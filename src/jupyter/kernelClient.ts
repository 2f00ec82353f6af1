/**
 * An environment-free Jupyter kernel client built on RxJS. It speaks messages, not sockets: a
 * `KernelTransport` (ZeroMQ in the Node host, the host RPC in the renderer) moves them.
 *
 * `execute(code)` follows JupyterLab's rule: the returned Observable emits every message whose
 * parent is the request (iopub children, the execute_reply, stdin input_request) and completes
 * once BOTH the execute_reply and the iopub `status: idle` for that request have arrived, in
 * whichever order (or, should the reply never come, `replyGraceMs` after idle). Unsubscribing
 * stops listening; it does not interrupt the kernel.
 */
import { asyncScheduler, defer, filter, firstValueFrom, map, Observable, share, timeout, timer, type SchedulerLike, type Subscription } from 'rxjs';
import {
  type BaseMessage,
  type Channel,
  createMessage,
  type ExecuteRequestContent,
  type InputReplyMsg,
  type JsonObject,
  type JupyterMessage,
  type KernelExecutionState,
  type KernelInfoReplyMsg,
  type MessageHeader,
  parentId,
  randomId,
} from './messages';

/** Moves messages between a client and one kernel. `messages$` is hot: every channel, every message. */
export interface KernelTransport {
  send(msg: BaseMessage): Promise<void>;
  readonly messages$: Observable<BaseMessage>;
}

export interface KernelClientOptions {
  /** The session id stamped on every header (one per client, as Jupyter expects). */
  session?: string;
  username?: string;
  /** Message id factory; tests pass a deterministic one. */
  newId?: () => string;
  /**
   * How long `execute` waits for the execute_reply once the request's `idle` arrived (default
   * 2000 ms) before completing without it. Kernels send the reply before going idle, so this only
   * fires when the reply never comes — ipykernel 6 drops it when a SIGINT lands before the cell's
   * code starts — and keeps such a cell from waiting forever.
   */
  replyGraceMs?: number;
  /** Scheduler for the reply grace timer (tests pass a TestScheduler). */
  scheduler?: SchedulerLike;
}

export interface RequestOptions {
  /** Reject when no reply arrives within this many milliseconds. */
  timeoutMs?: number;
  metadata?: JsonObject;
  buffers?: ArrayBuffer[];
  /** The request's msg_id (default: a fresh id). */
  msgId?: string;
}

/** Thrown (as the Observable's error) when the transport closes before a request finished. */
export class KernelConnectionClosedError extends Error {
  constructor(what: string) {
    super(`The kernel connection closed before ${what} finished`);
    this.name = 'KernelConnectionClosedError';
  }
}

export const DEFAULT_EXECUTE_CONTENT: Omit<ExecuteRequestContent, 'code'> = {
  silent: false,
  store_history: true,
  user_expressions: {},
  allow_stdin: true,
  stop_on_error: true,
};

export class KernelClient {
  readonly session: string;
  /** Every message the kernel sends, shared among subscribers. */
  readonly messages$: Observable<BaseMessage>;
  /** The kernel's execution state from every iopub status message, whatever its parent. */
  readonly status$: Observable<KernelExecutionState>;

  private readonly _username: string;
  private readonly _newId: () => string;
  private readonly _replyGraceMs: number;
  private readonly _scheduler: SchedulerLike | undefined;

  constructor(private readonly _transport: KernelTransport, options: KernelClientOptions = {}) {
    this.session = options.session ?? randomId();
    this._username = options.username ?? 'quire';
    this._newId = options.newId ?? randomId;
    this._replyGraceMs = options.replyGraceMs ?? 2000;
    this._scheduler = options.scheduler;
    this.messages$ = _transport.messages$.pipe(share());
    this.status$ = this.messages$.pipe(
      filter((m) => m.channel === 'iopub' && m.header.msg_type === 'status'),
      map((m) => (m.content as { execution_state: KernelExecutionState }).execution_state),
    );
  }

  /**
   * Sends an execute_request when subscribed; emits each child message; completes on reply + idle.
   * A `status: error` reply is a normal emission, not an Observable error: errors are outputs.
   */
  execute(code: string, options: Partial<ExecuteRequestContent> = {}): Observable<BaseMessage> {
    return defer(() => {
      const request = this._create('execute_request', 'shell', { ...DEFAULT_EXECUTE_CONTENT, ...options, code });
      const id = request.header.msg_id;
      return new Observable<BaseMessage>((subscriber) => {
        let sawReply = false;
        let sawIdle = false;
        const sub = this.messages$.subscribe({
          next: (msg) => {
            if (parentId(msg) !== id) return;
            subscriber.next(msg);
            if (msg.header.msg_type === 'execute_reply' && msg.channel === 'shell') sawReply = true;
            else if (msg.channel === 'iopub' && msg.header.msg_type === 'status' &&
              (msg.content as { execution_state?: string }).execution_state === 'idle') {
              sawIdle = true;
              if (!sawReply) sub.add(timer(this._replyGraceMs, this._scheduler ?? asyncScheduler).subscribe(() => subscriber.complete()));
            }
            if (sawReply && sawIdle) subscriber.complete();
          },
          error: (error) => subscriber.error(error),
          complete: () => subscriber.error(new KernelConnectionClosedError(`execute_request ${id}`)),
        });
        // Listen first, then send, so no child can slip past.
        this._transport.send(request).catch((error: unknown) => subscriber.error(error));
        return sub;
      });
    });
  }

  /**
   * Sends a request and resolves with its reply (the first `*_reply` whose parent is the request),
   * e.g. complete_request, inspect_request, is_complete_request, kernel_info_request,
   * comm_info_request, or interrupt_request/shutdown_request on control.
   */
  request<R extends BaseMessage = BaseMessage>(
    msgType: string,
    content: unknown,
    channel: Channel = 'shell',
    options: RequestOptions = {},
  ): Promise<R> {
    const reply$ = new Observable<R>((subscriber) => {
      const request = this._create(msgType, channel, content, options);
      const id = request.header.msg_id;
      const sub: Subscription = this.messages$.subscribe({
        next: (msg) => {
          if (parentId(msg) !== id || msg.channel === 'iopub' || !msg.header.msg_type.endsWith('_reply')) return;
          subscriber.next(msg as R);
          subscriber.complete();
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.error(new KernelConnectionClosedError(`${msgType} ${id}`)),
      });
      this._transport.send(request).catch((error: unknown) => subscriber.error(error));
      return sub;
    });
    const timed$ = options.timeoutMs === undefined ? reply$ : reply$.pipe(timeout({ first: options.timeoutMs }));
    return firstValueFrom(timed$);
  }

  /** The kernel_info handshake; also how a session learns the kernel is ready. */
  kernelInfo(options: RequestOptions = {}): Promise<KernelInfoReplyMsg> {
    return this.request<KernelInfoReplyMsg>('kernel_info_request', {}, 'shell', options);
  }

  /** Answers an input_request (from `input()` or `getpass`) on the stdin channel. */
  inputReply(value: string, parentHeader: MessageHeader): Promise<void> {
    const reply = createMessage<InputReplyMsg>({
      msgType: 'input_reply',
      channel: 'stdin',
      content: { value },
      session: this.session,
      username: this._username,
      msgId: this._newId(),
      parentHeader,
    });
    return this._transport.send(reply);
  }

  /** Sends a message that has no reply (comm_msg, comm_close, ...). */
  send(msgType: string, content: unknown, channel: Channel = 'shell', options: RequestOptions = {}): Promise<BaseMessage> {
    const msg = this._create(msgType, channel, content, options);
    return this._transport.send(msg).then(() => msg);
  }

  private _create(msgType: string, channel: Channel, content: unknown, options: RequestOptions = {}): BaseMessage {
    // createMessage is typed per known message; requests built here may be any type, so widen.
    return createMessage({
      msgType,
      channel,
      content,
      session: this.session,
      username: this._username,
      msgId: options.msgId ?? this._newId(),
      metadata: options.metadata,
      buffers: options.buffers,
    } as unknown as Parameters<typeof createMessage<JupyterMessage>>[0]) as BaseMessage;
  }
}
