/**
 * A tiny "host" for the no-kernel-left-behind tests: starts a python3 kernel through a
 * KernelManager, prints `{"pid":N}` and then leaves the way argv[2] says:
 *   exit    – process.exit(0) (the synchronous 'exit' hook must kill the kernel group)
 *   throw   – an uncaught exception
 *   signal  – waits to be sent SIGTERM/SIGINT (the signal handler shuts kernels down)
 *   early   – process.exit(0) while the kernel is still starting
 */
import { KernelManager } from '../kernelManager';
import { requirePython3Spec } from './realKernel';

const mode = process.argv[2] ?? 'exit';
const manager = new KernelManager();
if (mode === 'early') {
  // Exit while the kernel is still starting (spawned, handshake not done).
  void manager.startKernel({ specName: 'python3', spec: await requirePython3Spec() }).catch(() => undefined);
  const timer = setInterval(() => {
    const starting = manager.list()[0];
    if (!starting?.pid) return;
    clearInterval(timer);
    process.stdout.write(`${JSON.stringify({ pid: starting.pid, connectionFile: starting.connectionFile, status: starting.status })}\n`);
    process.exit(0);
  }, 1);
} else {
  const session = await manager.startKernel({ specName: 'python3', spec: await requirePython3Spec() });
  process.stdout.write(`${JSON.stringify({ pid: session.pid, connectionFile: session.connectionFile })}\n`);
}
if (mode === 'exit') process.exit(0);
if (mode === 'throw') setTimeout(() => { throw new Error('host crashed'); }, 10);
if (mode === 'signal') setInterval(() => undefined, 1000);
