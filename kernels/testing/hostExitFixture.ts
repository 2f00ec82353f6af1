/**
 * A tiny "host" for the no-kernel-left-behind tests: starts a python3 kernel through a
 * KernelManager, prints `{"pid":N}` and then leaves the way argv[2] says:
 *   exit    – process.exit(0) (the synchronous 'exit' hook must kill the kernel group)
 *   throw   – an uncaught exception
 *   signal  – waits to be sent SIGTERM/SIGINT (the signal handler shuts kernels down)
 *   early   – process.exit(0) while the kernel is still starting
 *   child   – like signal, after the kernel started a subprocess (`childPid` in the line)
 *   sleep   – like signal, but the "kernel" is `/bin/sleep` (launchKernel: no handshake, not Python)
 */
import { KernelManager } from '../kernelManager';
import { launchKernel } from '../launcher';
import { requirePython3Spec, run } from './realKernel';

const mode = process.argv[2] ?? 'exit';
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
if (mode === 'sleep') {
  const spec = { ...(await requirePython3Spec()), name: 'sleep', language: 'none', argv: ['/bin/sleep', '600'], executable: undefined };
  const proc = await launchKernel({ spec, connection: undefined as never, connectionFile: '/nonexistent' });
  print({ pid: proc.pid });
  setInterval(() => undefined, 1000);
} else {
  const manager = new KernelManager();
  if (mode === 'early') {
    // Exit while the kernel is still starting (spawned, handshake not done).
    void manager.startKernel({ specName: 'python3', spec: await requirePython3Spec() }).catch(() => undefined);
    const timer = setInterval(() => {
      const starting = manager.list()[0];
      if (!starting?.pid) return;
      clearInterval(timer);
      print({ pid: starting.pid, connectionFile: starting.connectionFile, status: starting.status });
      process.exit(0);
    }, 1);
  } else {
    const session = await manager.startKernel({ specName: 'python3', spec: await requirePython3Spec() });
    let childPid: number | undefined;
    if (mode === 'child') {
      const messages = await run(session.client, 'import subprocess\nchild = subprocess.Popen(["sleep", "600"])\nprint(child.pid)');
      const stream = messages.find((m) => m.header.msg_type === 'stream')?.content as { text: string } | undefined;
      childPid = Number(stream?.text.trim());
    }
    print({ pid: session.pid, connectionFile: session.connectionFile, childPid });
  }
  if (mode === 'exit') process.exit(0);
  if (mode === 'throw') setTimeout(() => { throw new Error('host crashed'); }, 10);
  if (mode === 'signal' || mode === 'child') setInterval(() => undefined, 1000);
}
