/**
 * All kernels of one host. Starting resolves the spec, allocates the connection, and hands over
 * to a `KernelSession`. The manager guarantees that quitting the host leaves no kernel behind:
 * on `exit` it SIGKILLs every kernel process group synchronously, and on SIGINT/SIGTERM it shuts
 * kernels down (≤ ~3 s) before letting the signal end the process.
 */
import { Emitter } from '../src/base/event';
import { Disposable, toDisposable } from '../src/base/lifecycle';
import type { KernelStatusEvent, StartKernelOptions } from '../src/host/contract';
import { ErrorCode, QuireError } from '../src/errors';
import { randomId } from '../src/jupyter/messages';
import { findKernelSpec, type FindKernelSpecsOptions, type KernelSpec } from './kernelspecs';
import { ensureRuntimeDir, writeConnectionFile } from './connectionFiles';
import { newConnectionInfo, type PrelaunchedKernel } from './launcher';
import { KernelSession } from './kernelSession';

export interface KernelManagerOptions {
  /** Where specs are searched (env, platform, extra environments). */
  specSearch?: FindKernelSpecsOptions;
  /** Connection files go here (default: Jupyter's runtime dir, else <tmp>/quire-runtime). */
  runtimeDir?: string;
  /** Default working directory for kernels. */
  defaultCwd?: string;
  /** Install SIGINT/SIGTERM handlers that shut kernels down before the host dies (default true). */
  handleSignals?: boolean;
  heartbeatMs?: number;
  heartbeatMisses?: number;
  heartbeatDeadMisses?: number;
}

export interface ManagerStartOptions extends StartKernelOptions {
  /** A spec object instead of a name lookup (the name in `specName` is then informational). */
  spec?: KernelSpec;
  env?: Record<string, string>;
  /**
   * A kernel process the caller already launched (e.g. `quire run` launches it before the
   * ZeroMQ code has loaded): the manager adopts it, handshakes and tracks it like its own.
   * Its spec and cwd win over `spec`/`specName` and `cwd`.
   */
  prelaunched?: PrelaunchedKernel;
}

export class KernelManager extends Disposable {
  private readonly _sessions = new Map<string, KernelSession>();
  /** Ids whose start completed (their status events are public). */
  private readonly _started = new Set<string>();
  private readonly _onDidChangeStatus = this._register(new Emitter<KernelStatusEvent>());
  /** Status changes of every kernel of this manager. */
  readonly onDidChangeStatus = this._onDidChangeStatus.event;
  private readonly _onDidStartKernel = this._register(new Emitter<KernelSession>());
  readonly onDidStartKernel = this._onDidStartKernel.event;

  constructor(private readonly _options: KernelManagerOptions = {}) {
    super();
    ProcessReaper.instance.attach(this, _options.handleSignals ?? true);
    this._register(toDisposable(() => ProcessReaper.instance.detach(this)));
  }

  async startKernel(options: ManagerStartOptions): Promise<KernelSession> {
    const search = { ...this._options.specSearch, environments: [...(this._options.specSearch?.environments ?? []), ...(options.environments ?? [])] };
    const pre = options.prelaunched;
    const spec = pre?.spec ?? options.spec ?? (await findKernelSpec(options.specName, search));
    const id = randomId();
    const connection = pre?.connection ?? (await newConnectionInfo(spec.name));
    const connectionFile = pre?.connectionFile ?? (await writeConnectionFile(connection, await ensureRuntimeDir(this._options.runtimeDir), id));
    // The session is tracked from the moment it exists, so a host exit during start kills it too.
    const session = await KernelSession.start({
      id, spec, connection, connectionFile, process: pre?.process,
      cwd: pre ? pre.cwd : options.cwd ?? this._options.defaultCwd,
      env: options.env,
      startTimeoutMs: (options.startTimeoutSec ?? 60) * 1000,
      heartbeatMs: this._options.heartbeatMs,
      heartbeatMisses: this._options.heartbeatMisses,
      heartbeatDeadMisses: this._options.heartbeatDeadMisses,
    }, (created) => {
      this._sessions.set(created.id, created);
      created.onDidChangeStatus((e) => {
        if (e.status === 'terminated') this._sessions.delete(e.kernelId);
        // Start-up transitions stay private until the start succeeded.
        if (this._started.has(e.kernelId)) this._onDidChangeStatus.fire(e);
      });
    }).catch((error: unknown) => {
      this._sessions.delete(id);
      throw error;
    });
    if (this.isDisposed) {
      session.dispose();
      throw new QuireError(ErrorCode.KernelStartFailed, 'The kernel manager was disposed during start');
    }
    this._started.add(session.id);
    this._onDidStartKernel.fire(session);
    return session;
  }

  /** Where this manager looks for kernelspecs. */
  get specSearchOptions(): FindKernelSpecsOptions {
    return { ...this._options.specSearch };
  }

  get(id: string): KernelSession | undefined {
    return this._sessions.get(id);
  }

  /** A session by id, or KERNEL_NOT_FOUND. */
  require(id: string): KernelSession {
    const session = this._sessions.get(id);
    if (!session) throw new QuireError(ErrorCode.KernelNotFound, `No running kernel '${id}'`, { kernelId: id });
    return session;
  }

  list(): KernelSession[] {
    return [...this._sessions.values()];
  }

  /** Pids (= process group ids) of every live kernel, for the exit hook. */
  pids(): number[] {
    return this.list().map((s) => s.pid).filter((pid): pid is number => typeof pid === 'number' && pid > 0);
  }

  async shutdownAll(): Promise<void> {
    await Promise.allSettled(this.list().map((s) => s.shutdown()));
  }

  override dispose(): void {
    for (const session of this.list()) session.dispose();
    this._sessions.clear();
    super.dispose();
  }
}

/**
 * Process-wide hooks, installed once for all managers: `exit` kills every kernel group
 * synchronously (nothing async runs there); SIGINT/SIGTERM first shut kernels down politely.
 */
class ProcessReaper {
  static readonly instance = new ProcessReaper();
  private readonly _managers = new Set<KernelManager>();
  private _signals = false;
  private _exitHooked = false;
  private _handling = false;

  attach(manager: KernelManager, handleSignals: boolean): void {
    this._managers.add(manager);
    if (!this._exitHooked) {
      this._exitHooked = true;
      process.on('exit', this._onExit);
    }
    if (handleSignals && !this._signals) {
      this._signals = true;
      process.on('SIGINT', this._onSignal);
      process.on('SIGTERM', this._onSignal);
      process.on('SIGHUP', this._onSignal);
    }
  }

  detach(manager: KernelManager): void {
    this._managers.delete(manager);
  }

  private readonly _onExit = (): void => {
    for (const manager of [...this._managers]) {
      // Disposal is synchronous: process groups SIGKILLed, sockets closed, connection files removed.
      try {
        manager.dispose();
      } catch {
        // exiting anyway
      }
    }
  };

  private readonly _onSignal = (signal: NodeJS.Signals): void => {
    if (this._handling) return;
    this._handling = true;
    const deadline = new Promise((resolve) => setTimeout(resolve, 3500).unref());
    void Promise.race([Promise.allSettled([...this._managers].map((m) => m.shutdownAll())), deadline]).finally(() => {
      this._onExit();
      process.off('SIGINT', this._onSignal);
      process.off('SIGTERM', this._onSignal);
      process.off('SIGHUP', this._onSignal);
      this._signals = false;
      // If someone else also listens (e.g. a server closing), let them decide when to exit;
      // otherwise re-raise so the host ends with the signal's usual status.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      this._handling = false;
    });
  };
}
