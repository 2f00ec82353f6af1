/**
 * The kernel provider port: everything outside `kernels/local*` (the run engine, the host's kernel
 * service, later the explorer and remote hosts) reaches kernels only through these types. A
 * provider is a source of kernels — local ZeroMQ processes today (`kernels/localKernelProvider.ts`),
 * a Jupyter Server or Enterprise Gateway next — in the shape of JupyterLab's `IKernelConnection`:
 * the same handle whether the kernel is a child process or behind a server.
 *
 * Plain data and `Event`s only (no Node types, no rxjs): a remote provider implements it over
 * REST + WebSocket, a test over an in-memory script. Fields only a local process has (argv, pid,
 * the stderr tail, the connection file) are optional.
 */
import type { Event } from '../base/event';
import type { KernelId, KernelSpecInfo, KernelStatus, KernelStatusEvent, RunningKernel } from '../host/contract';
import type { BaseMessage } from '../jupyter/messages';

export interface KernelStartOptions {
  /** Working directory of the kernel (a remote provider: the kernel's path on the server). */
  cwd?: string;
  /** Extra environment variables for the kernel, over the spec's. */
  env?: Record<string, string>;
  /** Extra environment prefixes (venv/conda) to search for the spec (local only; others ignore it). */
  environments?: string[];
  /** Seconds to wait until the kernel answers kernel_info (default 60). */
  startTimeoutSec?: number;
  /**
   * A kernel for one unattended run (papermill-style), shut down after it: a provider may tune it
   * for that, e.g. the local one keeps IPython's history in memory as nbclient does.
   */
  oneShot?: boolean;
}

export interface KernelShutdownOptions {
  /**
   * How long the kernel may take to exit after shutdown_request before it is killed (local:
   * SIGKILL of its process group). Default: the provider's polite shutdown.
   */
  graceMs?: number;
}

/**
 * One kernel, started or attached by a provider: its message channel and its lifecycle. Every
 * client of the kernel (the renderer through the host API, a run, the explorer) shares it.
 */
export interface IKernelHandle {
  readonly id: KernelId;
  readonly status: KernelStatus;
  /** A JSON description for the host API (pid only for a local process). */
  describe(): RunningKernel;

  /** Sends a shell, control or stdin message (by `msg.channel`); buffers as ArrayBuffers. */
  send(msg: BaseMessage): Promise<void>;
  /** Every message the kernel sends, on every channel, as it arrives. */
  readonly onDidReceiveMessage: Event<BaseMessage>;
  /** Status changes after the start (dead and terminated carry a reason). */
  readonly onDidChangeStatus: Event<KernelStatusEvent>;
  /** True once the channel is closed for good (the kernel was shut down or the connection lost). */
  readonly closed: boolean;
  /** Fires once when the channel closes for good; `error` when it broke rather than ended. */
  readonly onDidClose: Event<{ error?: string }>;

  /** Interrupts the running request, as the kernelspec says (signal or interrupt_request). */
  interrupt(): Promise<void>;
  /** Restarts the kernel; the handle (and clients on it) stay valid. */
  restart(): Promise<void>;
  /** Shuts the kernel down and closes the channel. Safe to call twice. */
  shutdown(options?: KernelShutdownOptions): Promise<void>;
  /** Local process only: the last lines it wrote to stderr (for "why did it die"). */
  stderrTail?(): string[];
}

export interface IKernelProvider {
  /** Which provider this is, e.g. `local` (for logs and, later, kernel ids across providers). */
  readonly id: string;
  /** The kernelspecs this provider can start; broken ones included with their `problem`. */
  listSpecs(options?: { environments?: string[] }): Promise<KernelSpecInfo[]>;
  /**
   * Fires when the specs `listSpecs()` returns may have changed (a kernel was installed or removed).
   * Providers that cannot tell leave it out; clients then list again when asked.
   */
  readonly onDidChangeSpecs?: Event<void>;
  /**
   * Starts a kernel of spec `specName` and resolves once it answered kernel_info; rejects with
   * KERNELSPEC_NOT_FOUND, KERNELSPEC_BROKEN, KERNEL_START_FAILED or KERNEL_START_TIMEOUT.
   */
  start(specName: string, options?: KernelStartOptions): Promise<IKernelHandle>;
  /** Kernels this provider knows: the ones it started and (remote) the ones running on the server. */
  listKernels(): Promise<RunningKernel[]>;
  /** A handle on a known kernel (the same handle each time while it is open); undefined if unknown. */
  attach(kernelId: KernelId): Promise<IKernelHandle | undefined>;
  /** Handles open in this host (started or attached), oldest first. */
  openKernels(): IKernelHandle[];
  /** Fires when a handle opens (a start completed or an attach connected). */
  readonly onDidOpenKernel: Event<IKernelHandle>;
  /** Shuts down every kernel this provider started (attached remote kernels are only closed). */
  shutdownAll(): Promise<void>;
}
