/**
 * `IKernelService` over a kernel provider (`IKernelProvider`, src/kernels/kernelProvider.ts): what
 * the renderer sees of kernels, through the host RPC. It knows no processes or sockets.
 * Messages leave in batches, one event per kernel per macrotask (collected while ZeroMQ delivers
 * a burst, flushed with setImmediate), and at most one batch per FLUSH_INTERVAL_MS while they keep
 * coming; adjacent stream messages of a request are joined into one. An output flood then costs
 * the RPC, the browser and the renderer some sixty messages a second, not one per printed line. Binary buffers cross as base64 strings (src/ipc/protocol.ts).
 */
import { Emitter } from '../../src/base/event';
import { Disposable, type IDisposable, toDisposable } from '../../src/base/lifecycle';
import type {
  IKernelService, KernelId, KernelMessagesEvent, KernelSpecInfo, KernelSpecsChangedEvent, KernelStatusEvent, PythonInterpreterInfo, RunningKernel, StartKernelOptions,
} from '../../src/host/contract';
import { ErrorCode, QuireError } from '../../src/errors';
import type { BaseMessage, Channel } from '../../src/jupyter/messages';
import { coalesceStreamMessages } from '../../src/jupyter/outputs';
import type { IKernelHandle, IKernelProvider } from '../../src/kernels/kernelProvider';
import { findPythonInterpreters } from '../pythonInterpreters';

export interface KernelServiceOptions {
  /** Default: the interpreters on this process's PATH. */
  findPythonInterpreters?: () => Promise<PythonInterpreterInfo[]>;
}

const SENDABLE: ReadonlySet<Channel> = new Set(['shell', 'control', 'stdin']);
/**
 * The least time between two batches. ZeroMQ hands messages over one per macrotask, so without it
 * a flood leaves one message per batch; the first message after a quiet spell still goes at once.
 */
export const FLUSH_INTERVAL_MS = 16;

export class KernelService extends Disposable implements IKernelService {
  private readonly _onDidReceiveMessages = this._register(new Emitter<KernelMessagesEvent>());
  readonly onDidReceiveMessages = this._onDidReceiveMessages.event;
  private readonly _onDidChangeStatus = this._register(new Emitter<KernelStatusEvent>());
  readonly onDidChangeStatus = this._onDidChangeStatus.event;

  // The provider's spec watch runs only while a client listens; the list is compared so that noise
  // in a watched folder (an apt-get run touching /usr/share) says nothing.
  private _specsSubscription: IDisposable | undefined;
  private _lastSpecs: Promise<string> | undefined;
  private readonly _onDidChangeKernelSpecs = this._register(new Emitter<KernelSpecsChangedEvent>({
    onWillAddFirstListener: () => {
      const onDidChangeSpecs = this._provider.onDidChangeSpecs;
      if (!onDidChangeSpecs) return;
      this._lastSpecs = this._provider.listSpecs().then((specs) => JSON.stringify(specs), () => '');
      this._specsSubscription = onDidChangeSpecs(() => void this._specsMayHaveChanged().catch(() => undefined));
    },
    onDidRemoveLastListener: () => {
      this._specsSubscription?.dispose();
      this._specsSubscription = undefined;
      this._lastSpecs = undefined;
    },
  }));
  readonly onDidChangeKernelSpecs = this._onDidChangeKernelSpecs.event;

  private _interpreters: Promise<PythonInterpreterInfo[]> | undefined;
  private readonly _pending = new Map<KernelId, BaseMessage[]>();
  private _flush: { cancel(): void } | undefined;
  private _lastFlush = -Infinity;
  private readonly _subscriptions = new Map<KernelId, IDisposable[]>();

  /**
   * `findPythonInterpreters` looks at the host machine's PATH (kernels/pythonInterpreters.ts), not at
   * the provider: it says what to install here when no kernel was found.
   */
  constructor(private readonly _provider: IKernelProvider, private readonly _options: KernelServiceOptions = {}) {
    super();
    // Kernels started by others on the same provider (e.g. runs) are visible too.
    this._register(_provider.onDidOpenKernel((handle) => this._watch(handle)));
    for (const handle of _provider.openKernels()) this._watch(handle);
    this._register(toDisposable(() => {
      this._specsSubscription?.dispose();
      this._flush?.cancel();
      for (const id of [...this._subscriptions.keys()]) this._unwatch(id);
    }));
  }

  /**
   * The default listing also serves as "check again": a change it finds (a folder the watch could
   * not see) is told to every listening client.
   */
  async listKernelSpecs(options: { environments?: string[] } = {}): Promise<KernelSpecInfo[]> {
    if (options?.environments?.length) return this._provider.listSpecs({ environments: options.environments });
    return this._specsMayHaveChanged();
  }

  /** Calls while a search runs share it: each search starts a process per interpreter. */
  findPythonInterpreters(): Promise<PythonInterpreterInfo[]> {
    this._interpreters ??= (this._options.findPythonInterpreters ?? findPythonInterpreters)().finally(() => { this._interpreters = undefined; });
    return this._interpreters;
  }

  async startKernel(options: StartKernelOptions): Promise<RunningKernel> {
    if (!options || typeof options.specName !== 'string' || !options.specName) {
      throw new QuireError(ErrorCode.InvalidArgument, 'startKernel needs a specName');
    }
    const handle = await this._provider.start(options.specName, {
      cwd: options.cwd, environments: options.environments, startTimeoutSec: options.startTimeoutSec,
    });
    return handle.describe();
  }

  async listKernels(): Promise<RunningKernel[]> {
    return this._provider.listKernels();
  }

  async sendMessage(kernelId: KernelId, msg: BaseMessage): Promise<void> {
    const handle = await this._require(kernelId);
    if (!msg || typeof msg !== 'object' || !msg.header || typeof msg.header.msg_type !== 'string' || !SENDABLE.has(msg.channel)) {
      throw new QuireError(ErrorCode.InvalidArgument, 'sendMessage needs a Jupyter message on the shell, control or stdin channel');
    }
    const buffers = (msg.buffers ?? []).map((b) => (typeof b === 'string' ? toArrayBuffer(Buffer.from(b, 'base64')) : b));
    await handle.send({ ...msg, buffers });
  }

  async interrupt(kernelId: KernelId): Promise<void> {
    await (await this._require(kernelId)).interrupt();
  }

  async restart(kernelId: KernelId): Promise<RunningKernel> {
    const handle = await this._require(kernelId);
    await handle.restart();
    return handle.describe();
  }

  async shutdown(kernelId: KernelId): Promise<void> {
    await (await this._require(kernelId)).shutdown();
  }

  /**
   * Lists the specs and, while clients listen, compares with the last list and tells them of a
   * change. Listings run one after another, so each is compared with the one before it.
   */
  private _specsMayHaveChanged(): Promise<KernelSpecInfo[]> {
    const previous = this._lastSpecs;
    if (!previous) return this._provider.listSpecs();
    const listed = previous.then(async (before) => {
      const specs = await this._provider.listSpecs();
      return { specs, now: JSON.stringify(specs), before };
    });
    this._lastSpecs = listed.then(({ specs, now, before }) => {
      if (now !== before) this._onDidChangeKernelSpecs.fire({ specs });
      return now;
    }, async () => previous);
    return listed.then(({ specs }) => specs);
  }

  /** The open handle of a kernel, or KERNEL_NOT_FOUND. */
  private async _require(kernelId: KernelId): Promise<IKernelHandle> {
    const handle = typeof kernelId === 'string' ? await this._provider.attach(kernelId) : undefined;
    if (!handle) throw new QuireError(ErrorCode.KernelNotFound, `No running kernel '${kernelId}'`, { kernelId });
    return handle;
  }

  private _watch(handle: IKernelHandle): void {
    const id = handle.id;
    if (this._subscriptions.has(id)) return;
    this._subscriptions.set(id, [
      handle.onDidReceiveMessage((msg) => this._enqueue(id, msg)),
      handle.onDidChangeStatus((e) => {
        if (e.status === 'terminated') this._unwatch(id);
        // Messages the kernel sent before it changed (died, restarted) arrive before the change does.
        if (this._flush) {
          this._flush.cancel();
          this._deliver();
        }
        this._onDidChangeStatus.fire(e);
      }),
      // A channel that broke ends without a terminated status.
      handle.onDidClose(() => this._unwatch(id)),
    ]);
  }

  private _unwatch(id: KernelId): void {
    for (const d of this._subscriptions.get(id) ?? []) d.dispose();
    this._subscriptions.delete(id);
  }

  private _enqueue(kernelId: KernelId, msg: BaseMessage): void {
    let batch = this._pending.get(kernelId);
    if (!batch) this._pending.set(kernelId, (batch = []));
    batch.push(msg.buffers?.length ? { ...msg, buffers: msg.buffers.map(toBase64) } : msg);
    if (this._flush) return;
    const wait = this._lastFlush + FLUSH_INTERVAL_MS - performance.now();
    if (wait > 0) {
      const timer = setTimeout(() => this._deliver(), wait);
      this._flush = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(() => this._deliver());
      this._flush = { cancel: () => clearImmediate(immediate) };
    }
  }

  private _deliver(): void {
    this._flush = undefined;
    this._lastFlush = performance.now();
    const batches = [...this._pending];
    this._pending.clear();
    // Adjacent prints of one request travel as one message: a flood's lines would otherwise cost
    // the RPC, the browser and the renderer a JSON message each.
    for (const [kernelId, messages] of batches) this._onDidReceiveMessages.fire({ kernelId, messages: coalesceStreamMessages(messages) });
  }
}

/** Same alphabet as src/ipc/protocol.ts encodeBase64, at native speed. */
function toBase64(buffer: ArrayBuffer | string): string {
  return typeof buffer === 'string' ? buffer : Buffer.from(buffer).toString('base64');
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
