/**
 * The local ZeroMQ kernel provider: `IKernelProvider` (src/kernels/kernelProvider.ts) over a
 * `KernelManager` and its `KernelSession`s. It adapts, it does not re-implement: processes,
 * sockets, handshakes, restarts and the no-kernel-outlives-the-host guarantee stay in the manager.
 * `adopt` takes a kernel process launched before ZeroMQ loaded (`quire run`'s early launch).
 */
import { Emitter } from '../src/base/event';
import { Disposable, toDisposable } from '../src/base/lifecycle';
import type { KernelId, KernelSpecInfo, KernelStatus, RunningKernel } from '../src/host/contract';
import type { BaseMessage } from '../src/jupyter/messages';
import type { IKernelHandle, IKernelProvider, KernelShutdownOptions, KernelStartOptions } from '../src/kernels/kernelProvider';
import { KernelManager, type KernelManagerOptions } from './kernelManager';
import type { KernelSession } from './kernelSession';
import { KernelSpecWatcher } from './kernelSpecWatcher';
import { findKernelSpec, findKernelSpecs, type FindKernelSpecsOptions, ipykernelRunSpec, kernelSearchDirs } from './kernelspecs';
import type { PrelaunchedKernel } from './launcher';

/** One local kernel session seen through the port. */
export class LocalKernelHandle extends Disposable implements IKernelHandle {
  private readonly _onDidReceiveMessage = this._register(new Emitter<BaseMessage>());
  readonly onDidReceiveMessage = this._onDidReceiveMessage.event;
  private readonly _onDidClose = this._register(new Emitter<{ error?: string }>());
  readonly onDidClose = this._onDidClose.event;
  private _closed = false;

  constructor(readonly session: KernelSession) {
    super();
    // The sockets' stream completes when the session is disposed (shutdown, death handled by the
    // session, host exit); that is the channel's end.
    const subscription = session.channels.messages$.subscribe({
      next: (msg) => this._onDidReceiveMessage.fire(msg),
      error: (error: unknown) => this._close(error instanceof Error ? error.message : String(error)),
      complete: () => this._close(),
    });
    this._register(toDisposable(() => subscription.unsubscribe()));
  }

  get id(): KernelId {
    return this.session.id;
  }

  get status(): KernelStatus {
    return this.session.status;
  }

  get onDidChangeStatus() {
    return this.session.onDidChangeStatus;
  }

  get closed(): boolean {
    return this._closed;
  }

  describe(): RunningKernel {
    return describeLocalKernel(this.session);
  }

  send(msg: BaseMessage): Promise<void> {
    return this.session.channels.send(msg);
  }

  interrupt(): Promise<void> {
    return this.session.interrupt();
  }

  restart(): Promise<void> {
    return this.session.restart();
  }

  shutdown(options?: KernelShutdownOptions): Promise<void> {
    return this.session.shutdown(options);
  }

  stderrTail(): string[] {
    return this.session.stderrTail();
  }

  private _close(error?: string): void {
    if (this._closed) return;
    this._closed = true;
    this._onDidClose.fire(error === undefined ? {} : { error });
    this.dispose();
  }
}

export class LocalKernelProvider extends Disposable implements IKernelProvider {
  readonly id = 'local';
  private readonly _handles = new Map<KernelId, LocalKernelHandle>();
  private readonly _onDidOpenKernel = this._register(new Emitter<IKernelHandle>());
  readonly onDidOpenKernel = this._onDidOpenKernel.event;
  private _specWatcher: KernelSpecWatcher | undefined;
  // The kernel folders are watched only while someone listens (the host's kernel service for a window).
  private readonly _onDidChangeSpecs = this._register(new Emitter<void>({
    onWillAddFirstListener: () => {
      this._specWatcher = new KernelSpecWatcher(() => kernelSearchDirs(this._search()).map((d) => d.dir), () => this._onDidChangeSpecs.fire());
    },
    onDidRemoveLastListener: () => {
      this._specWatcher?.dispose();
      this._specWatcher = undefined;
    },
  }));
  readonly onDidChangeSpecs = this._onDidChangeSpecs.event;

  /** A provider with a manager of its own (disposed with it). */
  static create(options: KernelManagerOptions = {}): LocalKernelProvider {
    const manager = new KernelManager(options);
    const provider = new LocalKernelProvider(manager);
    provider._register(manager);
    return provider;
  }

  /** Over an existing manager (the caller keeps owning it); its kernels started elsewhere show too. */
  constructor(readonly manager: KernelManager) {
    super();
    this._register(manager.onDidStartKernel((session) => this._open(session)));
    for (const session of manager.list()) this._open(session);
    this._register(toDisposable(() => {
      this._specWatcher?.dispose();
      for (const handle of this._handles.values()) handle.dispose();
      this._handles.clear();
    }));
  }

  listSpecs(options: { environments?: string[] } = {}): Promise<KernelSpecInfo[]> {
    return findKernelSpecs(this._search(options.environments));
  }

  async start(specName: string, options: KernelStartOptions = {}): Promise<IKernelHandle> {
    // A one-shot run's IPython kernel keeps its history in memory (nbclient's choice).
    const spec = options.oneShot ? ipykernelRunSpec(await findKernelSpec(specName, this._search(options.environments))) : undefined;
    const session = await this.manager.startKernel({
      specName, spec, cwd: options.cwd, env: options.env, environments: options.environments, startTimeoutSec: options.startTimeoutSec,
    });
    return this._open(session);
  }

  /**
   * Adopts a kernel process launched by `prelaunchKernel` (launcher.ts, no ZeroMQ): handshakes
   * and tracks it like one of its own. Not part of the port: only a local provider has processes.
   */
  async adopt(prelaunched: PrelaunchedKernel, options: { startTimeoutSec?: number } = {}): Promise<IKernelHandle> {
    const session = await this.manager.startKernel({ specName: prelaunched.spec.name, prelaunched, startTimeoutSec: options.startTimeoutSec });
    return this._open(session);
  }

  async listKernels(): Promise<RunningKernel[]> {
    return this.openKernels().map((h) => h.describe());
  }

  async attach(kernelId: KernelId): Promise<IKernelHandle | undefined> {
    return this._handles.get(kernelId);
  }

  openKernels(): IKernelHandle[] {
    return [...this._handles.values()];
  }

  shutdownAll(): Promise<void> {
    return this.manager.shutdownAll();
  }

  private _search(environments: string[] = []): FindKernelSpecsOptions {
    const search = this.manager.specSearchOptions;
    return { ...search, environments: [...(search.environments ?? []), ...environments] };
  }

  private _open(session: KernelSession): LocalKernelHandle {
    const existing = this._handles.get(session.id);
    if (existing) return existing;
    const handle = new LocalKernelHandle(session);
    if (handle.closed) return handle; // a session already gone
    this._handles.set(session.id, handle);
    handle.onDidClose(() => {
      if (this._handles.get(session.id) === handle) this._handles.delete(session.id);
    });
    this._onDidOpenKernel.fire(handle);
    return handle;
  }
}

/** The JSON description of a local kernel. */
export function describeLocalKernel(session: KernelSession): RunningKernel {
  return {
    id: session.id,
    specName: session.spec.name,
    displayName: session.spec.displayName,
    language: session.spec.language,
    cwd: session.cwd ?? process.cwd(),
    status: session.status,
    pid: session.pid,
    languageInfo: session.info?.language_info,
    implementation: session.info?.implementation,
    startedAt: session.startedAt,
  };
}
