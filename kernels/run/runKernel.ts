/**
 * What the run engine needs from a kernel: the kernel engineer's KernelManager/KernelSession
 * satisfy these structurally. Keeping the port this small lets the engine stay one readable
 * orchestrator and lets the host service pass its own KernelManager in.
 */
import type { Event } from '../../src/base/event';
import type { KernelStatus, StartKernelOptions } from '../../src/host/contract';
import type { KernelClient } from '../../src/jupyter/kernelClient';

export interface RunKernelStatusEvent {
  status: KernelStatus;
  reason?: string;
  stderrTail?: string[];
}

export interface RunKernelSession {
  readonly client: KernelClient;
  readonly onDidChangeStatus: Event<RunKernelStatusEvent>;
  interrupt(): Promise<void>;
  shutdown(): Promise<void>;
  /** The last lines the kernel process wrote to stderr. */
  stderrTail(): string[];
}

export interface RunKernelLauncher {
  /** Starts a kernel and resolves after its kernel_info handshake. */
  startKernel(options: StartKernelOptions): Promise<RunKernelSession>;
}
