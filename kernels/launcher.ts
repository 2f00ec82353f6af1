/**
 * Launching a kernel process: five free loopback ports, a fresh HMAC key (the 0600 connection
 * file: connectionFiles.ts), `{connection_file}`/`{resource_dir}` substituted into argv,
 * the spec's env over ours, and a detached spawn (its own process group, so interrupt and kill
 * reach the kernel's children too). stderr is kept in a ring buffer for "why did it die".
 * On POSIX every kernel gets a watchdog tied to this process by a pipe (see startWatchdog).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { connect, createServer } from 'node:net';
import type { Writable } from 'node:stream';
import { Emitter } from '../src/base/event';
import { Disposable, toDisposable } from '../src/base/lifecycle';
import { ErrorCode, QuireError } from '../src/errors';
import { ensureRuntimeDir, removeConnectionFile, writeConnectionFile } from './connectionFiles';
import type { KernelSpec } from './kernelspecs';
import type { ConnectionInfo } from './zmqChannels';

/** Keeps the last `capacity` lines written to a stream. */
export class LineRing {
  private readonly _lines: string[] = [];
  private _partial = '';
  constructor(private readonly _capacity = 100) {}

  write(chunk: string): void {
    const parts = (this._partial + chunk).split(/\r?\n/);
    this._partial = parts.pop() ?? '';
    for (const line of parts) this._push(line);
  }

  lines(): string[] {
    return this._partial ? [...this._lines, this._partial] : [...this._lines];
  }

  private _push(line: string): void {
    this._lines.push(line);
    if (this._lines.length > this._capacity) this._lines.shift();
  }
}

/** Reserves `count` distinct free TCP ports on 127.0.0.1 (bound together, then released). */
export async function allocatePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<import('node:net').Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  })));
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** True when nothing listens on `port` (a bind with SO_REUSEADDR, as ZeroMQ binds, succeeds). */
export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** New connection info: fresh ports and a random 32-byte hex key. */
export async function newConnectionInfo(kernelName?: string): Promise<ConnectionInfo> {
  const [shell, iopub, stdin, control, hb] = await allocatePorts(5);
  return {
    transport: 'tcp', ip: '127.0.0.1', shell_port: shell, iopub_port: iopub, stdin_port: stdin, control_port: control, hb_port: hb,
    key: randomBytes(32).toString('hex'), signature_scheme: 'hmac-sha256', kernel_name: kernelName,
  };
}

export interface LaunchOptions {
  spec: KernelSpec;
  connection: ConnectionInfo;
  connectionFile: string;
  cwd?: string;
  /** Extra environment for this launch, over the spec's env. */
  env?: Record<string, string>;
}

export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One kernel OS process. Dispose kills its whole process group. */
export class KernelProcess extends Disposable {
  private readonly _onDidExit = this._register(new Emitter<KernelExit>());
  readonly onDidExit = this._onDidExit.event;
  private readonly _stderr = new LineRing(100);
  private _exit: KernelExit | undefined;
  private _reaped = false;
  readonly exited: Promise<KernelExit>;

  /** The kernel's watchdog (see startWatchdog), ended with the kernel. */
  private readonly _watchdog: ChildProcess | undefined;

  constructor(readonly child: ChildProcess, options: { watchdog?: boolean } = {}) {
    super();
    const watchdog = options.watchdog && child.pid ? startWatchdog(child.pid) : undefined;
    this._watchdog = watchdog;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this._stderr.write(chunk));
    // Drain stdout so a chatty kernel never blocks on a full pipe; keep it with stderr for diagnostics.
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this._stderr.write(chunk));
    // 'exit' can come before the last stderr bytes are read; wait for the pipes to close (not
    // forever: a grandchild may hold them open) so the tail includes the kernel's last words.
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        // Leftover children of a dead kernel go with it; afterwards the group id may be reused by
        // an unrelated process, so it is never signalled again.
        signalGroup(this.pid, 'SIGKILL');
        this._reaped = true;
        watchdog?.kill('SIGKILL');
        void Promise.race([closed, new Promise<void>((r) => (timer = setTimeout(r, 200)))]).then(() => {
          clearTimeout(timer);
          this._exit = { code, signal };
          resolve(this._exit);
          this._onDidExit.fire(this._exit);
        });
      });
    });
    this._register(toDisposable(() => {
      this.killGroup('SIGKILL');
      this._watchdog?.kill('SIGKILL');
    }));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get exitInfo(): KernelExit | undefined {
    return this._exit;
  }

  /** The last ~100 lines of the kernel's stderr (and stdout). */
  stderrTail(): string[] {
    return this._stderr.lines();
  }

  /**
   * Signals the kernel's process group (its children too); falls back to the process itself.
   * Returns false when nothing was there to signal.
   */
  killGroup(signal: NodeJS.Signals): boolean {
    return !this._reaped && signalGroup(this.pid, signal);
  }

  /** Resolves true if the process exits within `ms`. */
  async waitForExit(ms: number): Promise<boolean> {
    if (this._exit) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const result = await Promise.race([this.exited.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return result;
  }
}

/** Signals a process group led by `pid` (POSIX) or the process (Windows). */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (pid <= 0) return false;
  try {
    // Kernels are spawned detached, so each leads its own group; no fallback to the bare pid,
    // which (once the group is gone) may belong to an unrelated process.
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while any process of group `pid` exists (signal 0 probes without killing). */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** argv with `{connection_file}` and `{resource_dir}` substituted, argv[0] resolved. */
export function kernelCommand(spec: KernelSpec, connectionFile: string): string[] {
  const argv = spec.argv.map((a) => a.replaceAll('{connection_file}', connectionFile).replaceAll('{resource_dir}', spec.resourceDir));
  if (spec.executable) argv[0] = spec.executable;
  return argv;
}

/** Our environment with the spec's env over it; `${VAR}` in spec values expands from ours (as jupyter_client does). */
export function kernelEnv(spec: KernelSpec, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  const expand = (value: string) => value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name: string) => base[name] ?? m);
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [k, v] of Object.entries(spec.env)) env[k] = expand(v);
  // ipykernel polls this parent pid and exits when it is gone: a second line of defence if we are SIGKILLed.
  env.JPY_PARENT_PID = String(process.pid);
  return { ...env, ...extra };
}

/** Spawns the kernel; resolves once the OS started it (rejects with KERNEL_START_FAILED otherwise). */
export async function launchKernel(options: LaunchOptions): Promise<KernelProcess> {
  const { spec } = options;
  if (spec.status === 'broken') {
    throw new QuireError(ErrorCode.KernelSpecBroken, `Kernel '${spec.name}' cannot start: ${spec.problem}`, { name: spec.name, problem: spec.problem });
  }
  const [command, ...args] = kernelCommand(spec, options.connectionFile);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: kernelEnv(spec, options.env),
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  // Right after the spawn (synchronous), so the window in which a dying host leaves an unguarded kernel is one system call.
  const kernel = new KernelProcess(child, { watchdog: process.platform !== 'win32' });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error) => reject(new QuireError(ErrorCode.KernelStartFailed, `Cannot start kernel '${spec.name}' (${command}): ${error.message}`, { name: spec.name, command })));
  });
  return kernel;
}

/**
 * A watchdog tied to this process, so a kernel never outlives a host that was SIGKILLed:
 * ipykernel's own parent check (JPY_PARENT_PID) only notices a parent that became PID 1, which
 * never happens under a child subreaper such as a systemd user session. The watchdog is a tiny
 * shell, our child in a session of its own (terminal signals do not reach it; it ignores INT,
 * TERM and HUP), blocked reading its stdin, a pipe whose other end only this process holds
 * (close-on-exec: no other child inherits it). When this process dies, however it dies, the read
 * ends at EOF and the watchdog SIGKILLs the kernel's process group (the kernel and its
 * children); while we live, we kill the watchdog when the kernel exits. It is outside the
 * kernel's group, so interrupts, pids and the group checks are the kernel's own, and it assumes
 * nothing about the kernel's language.
 */
export const WATCHDOG_SCRIPT = 'trap "" INT TERM HUP; read -r _; kill -s KILL -- "-$1"';

function startWatchdog(kernelPid: number): ChildProcess | undefined {
  try {
    const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'quire-kernel-watchdog', String(kernelPid)], {
      detached: true, stdio: ['pipe', 'ignore', 'ignore'],
    });
    watchdog.on('error', () => undefined);
    watchdog.stdin?.on('error', () => undefined);
    // Neither the watchdog nor its pipe keeps the host's event loop alive.
    watchdog.unref();
    (watchdog.stdin as (Writable & { unref?: () => void }) | null)?.unref?.();
    return watchdog;
  } catch {
    return undefined; // no /bin/sh: the kernel still has ipykernel's own parent check
  }
}

/**
 * Resolves once something accepts TCP connections on host:port, probing every `intervalMs` with a
 * plain connect (a refused loopback connect costs microseconds). Used to connect the ZeroMQ
 * sockets the moment the kernel has bound its ports, instead of letting five sockets retry.
 */
export function waitForPort(host: string, port: number, options: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
  const intervalMs = options.intervalMs ?? 10;
  return new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const deadline = options.timeoutMs === undefined ? undefined : setTimeout(() => finish(new QuireError(ErrorCode.KernelStartTimeout,
      `Nothing listened on ${host}:${port} within ${Math.round(options.timeoutMs! / 1000)} s`)), options.timeoutMs);
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => finish(options.signal?.reason ?? new Error('aborted'));
    const probe = () => {
      if (done) return;
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        finish();
      });
      socket.once('error', () => {
        socket.destroy();
        if (!done) timer = setTimeout(probe, intervalMs);
      });
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    probe();
  });
}

/** A kernel process launched before a manager existed, with what it was launched with. */
export interface PrelaunchedKernel {
  spec: KernelSpec;
  connection: ConnectionInfo;
  connectionFile: string;
  cwd?: string;
  process: KernelProcess;
}

/**
 * Launches a kernel without a manager: connection, connection file, spawn. Hand the result to
 * `KernelManager.startKernel({ prelaunched })` (kernelManager.ts), or dispose its process (and remove its file).
 * Lives here, not in the manager, so a caller can launch before ZeroMQ has loaded.
 */
export async function prelaunchKernel(spec: KernelSpec, options: { cwd?: string; runtimeDir?: string } = {}): Promise<PrelaunchedKernel> {
  const connection = await newConnectionInfo(spec.name);
  const connectionFile = await writeConnectionFile(connection, await ensureRuntimeDir(options.runtimeDir), randomUUID());
  try {
    return { spec, connection, connectionFile, cwd: options.cwd, process: await launchKernel({ spec, connection, connectionFile, cwd: options.cwd }) };
  } catch (error) {
    removeConnectionFile(connectionFile);
    throw error;
  }
}
