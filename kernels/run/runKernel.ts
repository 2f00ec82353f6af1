/**
 * What the run engine needs from a kernel: the kernel engineer's KernelManager/KernelSession
 * satisfy these structurally. Keeping the port this small lets the engine stay one readable
 * orchestrator and lets the host service pass its own KernelManager in.
 */
import type { Event } from '../../src/base/event';
import type { KernelStatus, StartKernelOptions } from '../../src/host/contract';
import type { KernelClient } from '../../src/jupyter/kernelClient';
import type { KernelSpec } from '../kernelspecs';

export interface RunKernelStatusEvent {
  status: KernelStatus;
  reason?: string;
  stderrTail?: string[];
}

export interface RunKernelSession {
  readonly client: KernelClient;
  readonly onDidChangeStatus: Event<RunKernelStatusEvent>;
  interrupt(): Promise<void>;
  /** `graceMs`: how long the kernel may take to exit after shutdown_request before its group is killed. */
  shutdown(options?: { graceMs?: number }): Promise<void>;
  /** The last lines the kernel process wrote to stderr. */
  stderrTail(): string[];
}

export interface RunKernelStartOptions extends StartKernelOptions {
  /** The resolved spec to launch (the engine adds arguments, see ipykernelRunSpec). */
  spec?: KernelSpec;
}

export interface RunKernelLauncher {
  /** Starts a kernel and resolves after its kernel_info handshake. */
  startKernel(options: RunKernelStartOptions): Promise<RunKernelSession>;
}

/**
 * What nbclient does for IPython kernels: keep the history in memory
 * (`--HistoryManager.hist_file=:memory:`). Each cell then skips a SQLite write, and parallel
 * batch kernels do not contend for one history file.
 */
export function ipykernelRunSpec(spec: KernelSpec): KernelSpec {
  const isIPyKernel = spec.argv.some((a) => /(^|[/\\])ipykernel(_launcher)?$/.test(a) || a === 'ipykernel_launcher');
  if (!isIPyKernel || spec.argv.some((a) => a.startsWith('--HistoryManager.hist_file'))) return spec;
  return { ...spec, argv: [...spec.argv, '--HistoryManager.hist_file=:memory:'] };
}
