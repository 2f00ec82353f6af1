/**
 * An in-memory kernel provider for tests of code that reaches kernels through the provider port
 * (src/kernels/kernelProvider.ts): no process, no sockets. Each kernel answers the Jupyter
 * protocol in memory — kernel_info, execute (busy, execute_input, outputs, reply, idle, all
 * parented), interrupt_request — with what a test script says each cell's code does. It has no
 * stderr tail and no pid, like a remote kernel.
 */
import { Emitter } from '../../src/base/event';
import type { KernelId, KernelSpecInfo, KernelStatus, KernelStatusEvent, RunningKernel } from '../../src/host/contract';
import type { BaseMessage, Channel, JsonObject, MessageHeader } from '../../src/jupyter/messages';
import { createMessage, type JupyterMessage, randomId } from '../../src/jupyter/messages';
import { ErrorCode, QuireError } from '../../src/errors';
import type { IKernelHandle, IKernelProvider, KernelShutdownOptions, KernelStartOptions } from '../../src/kernels/kernelProvider';

/** What one execute_request does in the fake kernel. */
export type FakeCellBehaviour =
  | { kind: 'ok'; stdout?: string; result?: JsonObject }
  | { kind: 'error'; ename: string; evalue: string }
  /** Runs until interrupted, then fails with KeyboardInterrupt (as IPython does). */
  | { kind: 'hang' }
  /** The kernel dies while running the cell: status dead, no reply. */
  | { kind: 'die'; reason: string; stderrTail?: string[] };

export type FakeCellScript = (code: string, executionCount: number) => FakeCellBehaviour;

export const FAKE_SPEC: KernelSpecInfo = {
  name: 'fakelang', displayName: 'Fake', language: 'python', interruptMode: 'message', metadata: {}, status: 'ok',
};

export class FakeKernelHandle implements IKernelHandle {
  readonly id = randomId();
  readonly startedAt = new Date().toISOString();
  /** Every message sent to the kernel, in order. */
  readonly received: BaseMessage[] = [];
  readonly interrupts: number[] = [];
  shutdownCalls = 0;
  private readonly _onDidReceiveMessage = new Emitter<BaseMessage>();
  readonly onDidReceiveMessage = this._onDidReceiveMessage.event;
  private readonly _onDidChangeStatus = new Emitter<KernelStatusEvent>();
  readonly onDidChangeStatus = this._onDidChangeStatus.event;
  private readonly _onDidClose = new Emitter<{ error?: string }>();
  readonly onDidClose = this._onDidClose.event;
  private _status: KernelStatus = 'idle';
  private _closed = false;
  private _count = 0;
  /** The hanging cell's request, answered when an interrupt comes. */
  private _hanging: MessageHeader | undefined;

  constructor(readonly specName: string, readonly options: KernelStartOptions, private readonly _script: FakeCellScript) {}

  get status(): KernelStatus {
    return this._status;
  }

  get closed(): boolean {
    return this._closed;
  }

  describe(): RunningKernel {
    return { id: this.id, specName: this.specName, displayName: 'Fake', language: 'python', cwd: this.options.cwd ?? '/', status: this._status, startedAt: this.startedAt };
  }

  async send(msg: BaseMessage): Promise<void> {
    if (this._closed) throw new Error('The kernel connection is closed');
    this.received.push(msg);
    // Answer after the send resolved, as a real kernel would.
    queueMicrotask(() => this._answer(msg));
  }

  async interrupt(): Promise<void> {
    this.interrupts.push(Date.now());
    this._finishHanging();
  }

  async restart(): Promise<void> {
    this._setStatus('restarting');
    this._count = 0;
    this._setStatus('idle');
  }

  async shutdown(_options?: KernelShutdownOptions): Promise<void> {
    this.shutdownCalls++;
    if (this._closed) return;
    this._setStatus('terminated', 'shutdown');
    this._closed = true;
    this._onDidClose.fire({});
  }

  private _answer(msg: BaseMessage): void {
    if (this._closed || this._status === 'dead') return;
    const type = msg.header.msg_type;
    if (type === 'kernel_info_request') {
      this._busy(msg.header, () => this._reply(msg, 'kernel_info_reply', {
        status: 'ok', protocol_version: '5.3', implementation: 'fake', implementation_version: '1',
        language_info: { name: 'python', version: '3.99-fake', file_extension: '.py', mimetype: 'text/x-python' },
        banner: 'fake', help_links: [],
      }));
    } else if (type === 'interrupt_request') {
      this._finishHanging();
      this._reply(msg, 'interrupt_reply', { status: 'ok' });
    } else if (type === 'execute_request') {
      this._execute(msg);
    }
  }

  private _execute(msg: BaseMessage): void {
    const code = (msg.content as { code: string }).code;
    const count = ++this._count;
    const parent = msg.header;
    this._publish('status', { execution_state: 'busy' }, parent);
    this._publish('execute_input', { code, execution_count: count }, parent);
    const behaviour = this._script(code, count);
    switch (behaviour.kind) {
      case 'ok':
        if (behaviour.stdout) this._publish('stream', { name: 'stdout', text: behaviour.stdout }, parent);
        if (behaviour.result) this._publish('execute_result', { data: behaviour.result, metadata: {}, execution_count: count }, parent);
        this._reply(msg, 'execute_reply', { status: 'ok', execution_count: count, user_expressions: {}, payload: [] });
        this._publish('status', { execution_state: 'idle' }, parent);
        return;
      case 'error':
        this._fail(parent, count, behaviour.ename, behaviour.evalue);
        return;
      case 'hang':
        this._hanging = parent;
        return;
      case 'die':
        this._setStatus('dead', behaviour.reason, behaviour.stderrTail);
        return;
    }
  }

  private _finishHanging(): void {
    const parent = this._hanging;
    if (!parent) return;
    this._hanging = undefined;
    queueMicrotask(() => this._fail(parent, this._count, 'KeyboardInterrupt', ''));
  }

  private _fail(parent: MessageHeader, count: number, ename: string, evalue: string): void {
    const traceback = [`${ename}: ${evalue}`];
    this._publish('error', { ename, evalue, traceback }, parent);
    this._emit(this._message('execute_reply', 'shell', { status: 'error', execution_count: count, ename, evalue, traceback }, parent));
    this._publish('status', { execution_state: 'idle' }, parent);
  }

  private _busy(parent: MessageHeader, body: () => void): void {
    this._publish('status', { execution_state: 'busy' }, parent);
    body();
    this._publish('status', { execution_state: 'idle' }, parent);
  }

  private _reply(request: BaseMessage, msgType: string, content: unknown): void {
    this._emit(this._message(msgType, request.channel, content, request.header));
  }

  private _publish(msgType: string, content: unknown, parent: MessageHeader): void {
    this._emit(this._message(msgType, 'iopub', content, parent));
  }

  private _message(msgType: string, channel: Channel, content: unknown, parent: MessageHeader): BaseMessage {
    return createMessage({ msgType, channel, content, session: 'fake-kernel', username: 'kernel', parentHeader: parent } as unknown as Parameters<typeof createMessage<JupyterMessage>>[0]) as BaseMessage;
  }

  private _emit(msg: BaseMessage): void {
    if (!this._closed) this._onDidReceiveMessage.fire(msg);
  }

  private _setStatus(status: KernelStatus, reason?: string, stderrTail?: string[]): void {
    this._status = status;
    this._onDidChangeStatus.fire({ kernelId: this.id, status, ...(reason ? { reason } : {}), ...(stderrTail ? { stderrTail } : {}) });
  }
}

export class FakeKernelProvider implements IKernelProvider {
  readonly id = 'fake';
  /** Every kernel started, in order. */
  readonly started: FakeKernelHandle[] = [];
  readonly startRequests: Array<{ specName: string; options: KernelStartOptions }> = [];
  private readonly _onDidOpenKernel = new Emitter<IKernelHandle>();
  readonly onDidOpenKernel = this._onDidOpenKernel.event;

  constructor(private readonly _script: FakeCellScript, private readonly _specs: KernelSpecInfo[] = [FAKE_SPEC]) {}

  async listSpecs(): Promise<KernelSpecInfo[]> {
    return this._specs;
  }

  async start(specName: string, options: KernelStartOptions = {}): Promise<IKernelHandle> {
    this.startRequests.push({ specName, options });
    if (!this._specs.some((s) => s.name === specName)) {
      throw new QuireError(ErrorCode.KernelSpecNotFound, `No kernelspec named '${specName}' (found: ${this._specs.map((s) => s.name).join(', ')})`);
    }
    const handle = new FakeKernelHandle(specName, options, this._script);
    this.started.push(handle);
    this._onDidOpenKernel.fire(handle);
    return handle;
  }

  async listKernels(): Promise<RunningKernel[]> {
    return this.openKernels().map((h) => h.describe());
  }

  async attach(kernelId: KernelId): Promise<IKernelHandle | undefined> {
    return this.openKernels().find((h) => h.id === kernelId);
  }

  openKernels(): IKernelHandle[] {
    return this.started.filter((h) => !h.closed);
  }

  async shutdownAll(): Promise<void> {
    await Promise.all(this.openKernels().map((h) => h.shutdown()));
  }
}
