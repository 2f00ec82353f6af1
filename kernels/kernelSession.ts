/**
 * One running kernel: a Disposable owning its process, its connection file and its sockets.
 * Lifecycle: starting → idle ⇄ busy → (restarting → idle) → terminated, or dead when the process
 * exits without being asked to. A kernel that misses heartbeats for ~1 s is `unresponsive` and
 * goes back to idle/busy when beats return (a loaded machine can delay them); only a long silence
 * (30 s by default) makes it dead. `dispose()` is the synchronous
 * last resort (SIGKILL of the process group); `shutdown()` is the polite path.
 */
import { Emitter } from '../src/base/event';
import { Disposable, toDisposable } from '../src/base/lifecycle';
import type { KernelStatus, KernelStatusEvent } from '../src/host/contract';
import { ErrorCode, QuireError } from '../src/errors';
import { KernelClient } from '../src/jupyter/kernelClient';
import { type KernelInfoReplyContent, randomId } from '../src/jupyter/messages';
import { waitForReady } from './kernelHandshake';
import { removeConnectionFile, rewriteConnectionFile } from './connectionFiles';
import { allocatePorts, KernelProcess, launchKernel, portFree, waitForPort } from './launcher';
import type { KernelSpec } from './kernelspecs';
import { ZmqChannels, type ConnectionInfo } from './zmqChannels';

export interface KernelSessionOptions {
  id?: string;
  spec: KernelSpec;
  connection: ConnectionInfo;
  connectionFile: string;
  cwd?: string;
  env?: Record<string, string>;
  /** Handshake timeout (default 60 s). */
  startTimeoutMs?: number;
  /** Heartbeat period, also each ping's timeout (default 500 ms). */
  heartbeatMs?: number;
  /** Consecutive misses that make the kernel `unresponsive` (default 2: reported ~1–1.5 s after it stopped). */
  heartbeatMisses?: number;
  /** Consecutive misses that make it dead (default 60: 30 s). */
  heartbeatDeadMisses?: number;
  /**
   * A process already launched with this spec, connection and connection file (see
   * KernelManager's `prelaunched`): the first start adopts it instead of launching one.
   */
  process?: KernelProcess;
}

export interface KernelShutdownOptions {
  /** Milliseconds to wait for the exit after shutdown_request before SIGKILL of the group (default: ~2 s, then SIGTERM, then SIGKILL). */
  graceMs?: number;
}

/** How long shutdown waits for each step before escalating. */
const POLITE_EXIT_MS = 2000;
const TERM_EXIT_MS = 1000;

export class KernelSession extends Disposable {
  readonly id: string;
  readonly spec: KernelSpec;
  readonly cwd: string | undefined;
  readonly connection: ConnectionInfo;
  readonly connectionFile: string;
  readonly channels: ZmqChannels;
  readonly client: KernelClient;
  readonly startedAt = new Date().toISOString();

  private readonly _onDidChangeStatus = this._register(new Emitter<KernelStatusEvent>());
  readonly onDidChangeStatus = this._onDidChangeStatus.event;
  private _status: KernelStatus = 'starting';
  private _process: KernelProcess | undefined;
  private _info: KernelInfoReplyContent | undefined;
  private _heartbeat: ReturnType<typeof setTimeout> | undefined;
  private _misses = 0;
  /** What the kernel was (idle/busy) when it became unresponsive, and became since by its status messages. */
  private _liveStatus: 'idle' | 'busy' = 'idle';
  /** Set while we stop the process on purpose, so its exit is not reported as a death. */
  private _stopping = false;
  /** True between a completed handshake and the next stop. */
  private _ready = false;
  private _shutdown: Promise<void> | undefined;
  /** A prelaunched process for the first start (options.process). */
  private _adopt: KernelProcess | undefined;
  /** Aborted on dispose: ends a handshake in progress. */
  private readonly _lifetime = new AbortController();

  private constructor(private readonly _options: KernelSessionOptions) {
    super();
    this.id = _options.id ?? randomId();
    this.spec = _options.spec;
    this.cwd = _options.cwd;
    this.connection = _options.connection;
    this.connectionFile = _options.connectionFile;
    this._adopt = _options.process;
    const session = randomId();
    this.channels = this._register(new ZmqChannels(this.connection, { identity: session, connect: false }));
    this.client = new KernelClient(this.channels, { session });
    const statusSub = this.client.status$.subscribe((state) => {
      if (state !== 'idle' && state !== 'busy') return;
      if (this._status === 'unresponsive') this._liveStatus = state;
      else if (this._status === 'idle' || this._status === 'busy') this._setStatus(state);
    });
    this._register(toDisposable(() => statusSub.unsubscribe()));
  }

  /** Synchronous last resort: SIGKILL of the process group, sockets closed, connection file removed. */
  override dispose(): void {
    if (this.isDisposed) return;
    this._adopt?.dispose();
    this._adopt = undefined;
    this._lifetime.abort(new QuireError(ErrorCode.KernelStartFailed, 'The kernel was shut down during start'));
    this._stopping = true;
    clearTimeout(this._heartbeat);
    this._process?.dispose();
    removeConnectionFile(this.connectionFile);
    this._setStatus('terminated', 'disposed');
    super.dispose();
  }

  /** Launches the process and resolves after the kernel_info handshake. On failure nothing is left running. */
  static async start(options: KernelSessionOptions, onCreated?: (session: KernelSession) => void): Promise<KernelSession> {
    const session = new KernelSession(options);
    // Lets the manager track (and, on host exit, kill) a kernel that is still starting.
    onCreated?.(session);
    try {
      await session._launchAndHandshake();
      return session;
    } catch (error) {
      session.dispose();
      throw error;
    }
  }

  get status(): KernelStatus {
    return this._status;
  }

  get pid(): number | undefined {
    return this._process?.pid;
  }

  /** The kernel_info_reply content of the last handshake. */
  get info(): KernelInfoReplyContent | undefined {
    return this._info;
  }

  /** The last lines the kernel wrote to stderr. */
  stderrTail(): string[] {
    return this._process?.stderrTail() ?? [];
  }

  /** SIGINT to the process group (interrupt_mode signal) or interrupt_request on control (message). */
  async interrupt(): Promise<void> {
    this._assertAlive('interrupt');
    if (this.spec.interruptMode === 'message') {
      await this.client.request('interrupt_request', {}, 'control', { timeoutMs: 5000 });
    } else if (!this._process?.killGroup('SIGINT')) {
      throw new QuireError(ErrorCode.KernelDied, 'The kernel process is gone');
    }
  }

  /**
   * Stops the kernel (shutdown_request restart=true, then kill if needed) and starts it again on
   * the same ports and key, so the sockets — and every client on them — stay valid. If another
   * program took one of the ports meanwhile, the kernel moves to fresh ports (the client follows:
   * the channels reconnect to whatever the connection now says).
   */
  async restart(): Promise<void> {
    if (this._status === 'terminated') throw new QuireError(ErrorCode.KernelNotFound, 'The kernel was shut down');
    this._setStatus('restarting');
    await this._stopProcess(true);
    try {
      await this._movePortsIfTaken();
      await this._launchAndHandshake();
    } catch (error) {
      // A restart that cannot complete leaves a dead kernel, not a half-started one.
      this._stopping = true;
      this._process?.killGroup('SIGKILL');
      this._setStatus('dead', `restart failed: ${error instanceof Error ? error.message : String(error)}`, this.stderrTail());
      throw error;
    }
  }

  /**
   * shutdown_request, up to ~2 s to exit, then SIGTERM, then SIGKILL of the group; releases everything.
   * With `graceMs`, the kernel gets that long after the request and then its group is SIGKILLed
   * (for one-shot runs whose results are already saved: a Python interpreter's teardown can take
   * a second on a loaded machine). The first call's options win.
   */
  shutdown(options: KernelShutdownOptions = {}): Promise<void> {
    this._shutdown ??= (async () => {
      try {
        await this._stopProcess(false, options.graceMs);
      } finally {
        this._setStatus('terminated', 'shutdown');
        this.dispose();
      }
    })();
    return this._shutdown;
  }

  /** Gives the connection fresh ports when any of its ports is taken (TCP only; the key stays). */
  private async _movePortsIfTaken(): Promise<void> {
    const c = this.connection;
    if (c.transport !== 'tcp') return;
    const ports = [c.shell_port, c.iopub_port, c.stdin_port, c.control_port, c.hb_port];
    const free = await Promise.all(ports.map((port) => portFree(port, c.ip)));
    if (free.every(Boolean)) return;
    const [shell, iopub, stdin, control, hb] = await allocatePorts(5, c.ip);
    Object.assign(c, { shell_port: shell, iopub_port: iopub, stdin_port: stdin, control_port: control, hb_port: hb });
    await rewriteConnectionFile(c, this.connectionFile);
  }

  private async _launchAndHandshake(): Promise<void> {
    this._stopping = false;
    if (this._status !== 'restarting') this._setStatus('starting');
    const adopted = this._adopt;
    this._adopt = undefined;
    const proc = adopted ?? await launchKernel({ spec: this.spec, connection: this.connection, connectionFile: this.connectionFile, cwd: this.cwd, env: this._options.env });
    if (proc.exitInfo) {
      // An adopted process that already ended: its exit event is past, so report it here.
      proc.dispose();
      throw new QuireError(ErrorCode.KernelStartFailed,
        `The kernel exited during start-up (code ${proc.exitInfo.code ?? proc.exitInfo.signal}):\n${proc.stderrTail().slice(-20).join('\n')}`, { stderrTail: proc.stderrTail() });
    }
    if (this.isDisposed) {
      proc.dispose();
      throw this._lifetime.signal.reason;
    }
    this._process = proc;
    const exitedEarly = new AbortController();
    proc.onDidExit((exit) => {
      exitedEarly.abort(new QuireError(ErrorCode.KernelStartFailed,
        `The kernel exited during start-up (code ${exit.code ?? exit.signal}):\n${proc.stderrTail().slice(-20).join('\n')}`,
        { stderrTail: proc.stderrTail() }));
      if (proc !== this._process || this._stopping) return;
      // What the kernel sent just before it died (the cell's busy, its last output) is read first.
      void this.channels.settled().then(() => {
        if (proc === this._process && !this._stopping) this._died(`the kernel process exited (${exit.signal ?? `code ${exit.code}`})`);
      });
    });
    const signal = AbortSignal.any([exitedEarly.signal, this._lifetime.signal]);
    const timeoutMs = this._options.startTimeoutMs ?? 60_000;
    const started = Date.now();
    // Connect the sockets the moment the kernel has bound its shell port (it binds all five together).
    await waitForPort(this.connection.ip, this.connection.shell_port, { signal, timeoutMs });
    this.channels.resume();
    const reply = await waitForReady(this.client, { timeoutMs: Math.max(1, timeoutMs - (Date.now() - started)), signal });
    this._info = reply.content;
    this._ready = true;
    this._setStatus('idle');
    this._misses = 0;
    this._scheduleHeartbeat();
  }

  private _scheduleHeartbeat(): void {
    const period = this._options.heartbeatMs ?? 500;
    const unresponsiveAt = this._options.heartbeatMisses ?? 2;
    const deadAt = Math.max(unresponsiveAt, this._options.heartbeatDeadMisses ?? 60);
    // A missed ping already waited a full period, so the next one goes out at once.
    this._heartbeat = setTimeout(async () => {
      const proc = this._process;
      const ok = await this.channels.ping(period);
      const status = this._status;
      if (this._stopping || proc !== this._process || (status !== 'idle' && status !== 'busy' && status !== 'unresponsive')) return;
      this._misses = ok ? 0 : this._misses + 1;
      if (ok && status === 'unresponsive') {
        this._setStatus(this._liveStatus);
      } else if (this._misses >= deadAt) {
        return this._died(`the kernel did not answer heartbeats for ${Math.round((this._misses * period) / 1000)} s`);
      } else if (this._misses >= unresponsiveAt && status !== 'unresponsive') {
        this._liveStatus = status;
        this._setStatus('unresponsive', `no heartbeat for ${this._misses * period} ms`);
      }
      this._scheduleHeartbeat();
    }, this._misses === 0 ? period : 0);
    this._heartbeat.unref?.();
  }

  private _died(reason: string): void {
    if (this._status === 'dead' || this._status === 'terminated') return;
    clearTimeout(this._heartbeat);
    // An exited kernel's ports refuse every reconnect: stop trying until a restart.
    if (this._process?.exitInfo) this.channels.suspend();
    this._setStatus('dead', reason, this.stderrTail());
  }

  /** Ends the current process: polite request, then SIGTERM, then SIGKILL of the group. */
  private async _stopProcess(restart: boolean, graceMs?: number): Promise<void> {
    this._stopping = true;
    clearTimeout(this._heartbeat);
    const proc = this._process;
    if (!proc) return;
    // A kernel that never finished its handshake, or is dead or unresponsive, gets no polite
    // request: go straight to SIGTERM.
    const polite = this._ready && !proc.exitInfo && this._status !== 'dead' && this._status !== 'unresponsive';
    this._ready = false;
    if (polite) {
      // The reply is not needed: the exit is what we wait for.
      this.client.request('shutdown_request', { restart }, 'control', { timeoutMs: POLITE_EXIT_MS }).catch(() => undefined);
    }
    if (graceMs !== undefined) {
      if (!(await proc.waitForExit(polite ? graceMs : 0))) {
        proc.killGroup('SIGKILL');
        await proc.waitForExit(TERM_EXIT_MS);
      }
    } else if (!(await proc.waitForExit(polite ? POLITE_EXIT_MS : 0))) {
      proc.killGroup('SIGTERM');
      if (!(await proc.waitForExit(TERM_EXIT_MS))) {
        proc.killGroup('SIGKILL');
        await proc.waitForExit(TERM_EXIT_MS);
      }
    }
    // Children the kernel left in its group (e.g. a subprocess it started) go with it.
    proc.killGroup('SIGKILL');
    proc.dispose();
    // Nothing listens on the ports until a relaunch binds them again.
    this.channels.suspend();
  }

  private _assertAlive(what: string): void {
    if (this._status === 'dead' || this._status === 'terminated') {
      throw new QuireError(ErrorCode.KernelDied, `Cannot ${what}: the kernel is ${this._status}`);
    }
  }

  private _setStatus(status: KernelStatus, reason?: string, stderrTail?: string[]): void {
    if (this._status === status || this._status === 'terminated') return;
    this._status = status;
    this._onDidChangeStatus.fire({ kernelId: this.id, status, reason, stderrTail });
  }
}
