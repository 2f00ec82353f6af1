/**
 * A tiny "host" for the no-kernel-left-behind tests: starts a python3 kernel through a
 * KernelManager, prints `{"pid":N}` and then leaves the way argv[2] says:
 *   exit    – process.exit(0) (the synchronous 'exit' hook must kill the kernel group)
 *   throw   – an uncaught exception
 *   signal  – waits to be sent SIGTERM/SIGINT (the signal handler shuts kernels down)
 */
import { KernelManager } from '../kernelManager';
import { requirePython3Spec } from './realKernel';

const mode = process.argv[2] ?? 'exit';
const manager = new KernelManager();
const session = await manager.startKernel({ specName: 'python3', spec: await requirePython3Spec() });
process.stdout.write(`${JSON.stringify({ pid: session.pid, connectionFile: session.connectionFile })}\n`);
if (mode === 'exit') process.exit(0);
if (mode === 'throw') setTimeout(() => { throw new Error('host crashed'); }, 10);
if (mode === 'signal') setInterval(() => undefined, 1000);
