import { statSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, lastValueFrom, tap, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event } from '../src/base/event';
import type { KernelStatusEvent } from '../src/host/contract';
import { KernelClient } from '../src/jupyter/kernelClient';
import type { BaseMessage, MessageHeader } from '../src/jupyter/messages';
import { parentId } from '../src/jupyter/messages';
import { groupAlive, signalGroup } from './launcher';
import { KernelManager } from './kernelManager';
import type { KernelSession } from './kernelSession';
import type { KernelSpec } from './kernelspecs';
import { pidAlive, requirePython3Spec, run, waitUntil } from './testing/realKernel';

const types = (messages: BaseMessage[]) => messages.map((m) => `${m.channel}:${m.header.msg_type}`);
const content = <T>(m: BaseMessage | undefined) => m?.content as T;
const signalGroupQuietly = (pid: number, signal: NodeJS.Signals) => void signalGroup(pid, signal);
const nextStatus = (session: KernelSession, status: string) =>
  Event.toPromise(Event.filter(session.onDidChangeStatus, (e: KernelStatusEvent) => e.status === status));

describe('KernelSession with a real ipykernel', () => {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'quire-runtime-'));
  let spec: KernelSpec;
  let manager: KernelManager;
  let session: KernelSession;

  beforeAll(async () => {
    spec = await requirePython3Spec();
    manager = new KernelManager({ runtimeDir, handleSignals: false });
    session = await manager.startKernel({ specName: 'python3', spec });
  });
  afterAll(() => {
    manager?.dispose();
    rmSync(runtimeDir, { recursive: true, force: true });
  });

  /**
   * After an error (KeyboardInterrupt included) ipykernel aborts requests that reach it before its
   * abort window closes (stop_on_error), replying `aborted`; a fast client can land in it. The
   * kernel is usable once a request is not aborted.
   */
  async function runAfterAbort(code: string): Promise<unknown> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const messages = await run(session.client, code);
      const reply = content<{ status: string }>(messages.find((m) => m.header.msg_type === 'execute_reply'));
      if (reply.status !== 'aborted') return content<{ data: object }>(messages.find((m) => m.header.msg_type === 'execute_result'))?.data;
    }
    throw new Error(`'${code}' was aborted 5 times in a row`);
  }

  it('starts: handshake done, status idle, connection file 0600 in the runtime dir', () => {
    expect(session.status).toBe('idle');
    expect(session.info?.implementation).toBe('ipython');
    expect(session.info?.language_info.name).toBe('python');
    expect(session.connectionFile.startsWith(runtimeDir)).toBe(true);
    expect(statSync(session.connectionFile).mode & 0o777).toBe(0o600);
    expect(manager.list()).toEqual([session]);
  });

  it('stream, display_data and execute_result arrive in order with the right parent', async () => {
    const messages = await run(session.client, 'print("hello")\nfrom IPython.display import display\ndisplay({"text/plain": "shown"}, raw=True)\n6 * 7');
    const iopub = messages.filter((m) => m.channel === 'iopub');
    expect(types(iopub)).toEqual(['iopub:status', 'iopub:execute_input', 'iopub:stream', 'iopub:display_data', 'iopub:execute_result', 'iopub:status']);
    const request = parentId(messages[0]);
    expect(messages.every((m) => parentId(m) === request)).toBe(true);
    expect(content<{ text: string }>(iopub[2]).text).toBe('hello\n');
    expect(content<{ data: object }>(iopub[3]).data).toEqual({ 'text/plain': 'shown' });
    expect(content<{ data: object }>(iopub[4]).data).toEqual({ 'text/plain': '42' });
    const reply = messages.find((m) => m.header.msg_type === 'execute_reply');
    expect(content<{ status: string }>(reply).status).toBe('ok');
  });

  it('an error yields an error reply with a traceback and an iopub error', async () => {
    const messages = await run(session.client, '1 / 0');
    const reply = content<{ status: string; ename: string; traceback: string[] }>(messages.find((m) => m.header.msg_type === 'execute_reply'));
    expect(reply.status).toBe('error');
    expect(reply.ename).toBe('ZeroDivisionError');
    expect(reply.traceback.join('\n')).toContain('ZeroDivisionError');
    expect(types(messages)).toContain('iopub:error');
  });

  it('answers input() through stdin', async () => {
    const messages = await lastValueFrom(session.client.execute('name = input("who? ")\nprint("hi", name)').pipe(
      tap((m) => {
        if (m.header.msg_type === 'input_request') void session.client.inputReply('Ada', m.header as MessageHeader);
      }),
      toArray(),
    ));
    const ask = messages.find((m) => m.header.msg_type === 'input_request');
    expect(ask?.channel).toBe('stdin');
    expect(content<{ prompt: string }>(ask).prompt).toBe('who? ');
    const out = messages.filter((m) => m.header.msg_type === 'stream').map((m) => content<{ text: string }>(m).text).join('');
    expect(out).toBe('hi Ada\n');
  });

  it('interrupt during time.sleep(30) returns KeyboardInterrupt in under 1 s and the kernel stays usable', async () => {
    // Interrupt once the kernel is really inside time.sleep: ipykernel swallows a SIGINT that lands
    // while IPython is still preparing the cell (and then sends no execute_reply at all).
    const execution = firstValueFrom(session.client.execute('import time\nprint("sleeping", flush=True)\ntime.sleep(30)').pipe(toArray()));
    await firstValueFrom(session.client.messages$.pipe(filter((m) => m.header.msg_type === 'stream')));
    const t0 = performance.now();
    await session.interrupt();
    const messages = await execution;
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeLessThan(1000);
    const reply = content<{ status: string; ename: string }>(messages.find((m) => m.header.msg_type === 'execute_reply'));
    expect(reply).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt' });
    expect(await runAfterAbort('2 + 2')).toEqual({ 'text/plain': '4' });
  });

  it('an interrupt ipykernel swallows (SIGINT while IPython prepares a big cell: no execute_reply) still ends the execution', async () => {
    const client = new KernelClient(session.channels, { replyGraceMs: 300 });
    const big = `${'x = 1\n'.repeat(50_000)}import time\ntime.sleep(30)`;
    const execution = firstValueFrom(client.execute(big).pipe(toArray()));
    await firstValueFrom(client.messages$.pipe(filter((m) => m.header.msg_type === 'execute_input')));
    await session.interrupt();
    const messages = await execution;
    expect(types(messages)).toEqual(['iopub:status', 'iopub:execute_input', 'iopub:status']); // no reply came
    expect(await runAfterAbort('3 + 3')).toEqual({ 'text/plain': '6' });
  });

  it('restart: a fresh process on the same connection, state gone, same client still works', async () => {
    await run(session.client, 'survivor = 1');
    const oldPid = session.pid!;
    const statuses: string[] = [];
    const sub = session.onDidChangeStatus((e) => statuses.push(e.status));
    await session.restart();
    sub.dispose();
    expect(statuses[0]).toBe('restarting');
    expect(statuses.at(-1)).toBe('idle');
    expect(session.pid).not.toBe(oldPid);
    expect(pidAlive(oldPid)).toBe(false);
    const messages = await run(session.client, 'survivor');
    expect(content<{ ename: string }>(messages.find((m) => m.header.msg_type === 'execute_reply')).ename).toBe('NameError');
  });

  it('shutdown leaves no process (group) and removes the connection file', async () => {
    const pid = session.pid!;
    const file = session.connectionFile;
    expect(groupAlive(pid)).toBe(true);
    await session.shutdown();
    expect(session.status).toBe('terminated');
    expect(pidAlive(pid)).toBe(false);
    expect(groupAlive(pid)).toBe(false);
    expect(existsSync(file)).toBe(false);
    expect(manager.list()).toEqual([]);
  });
});

describe('KernelSession shutdown with a short grace (one-shot runs)', () => {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'quire-runtime-'));
  let manager: KernelManager;
  afterAll(() => {
    manager?.dispose();
    rmSync(runtimeDir, { recursive: true, force: true });
  });

  it('shutdown({ graceMs: 0 }) kills the group at once: the kernel and a child it started are gone, the file removed', async () => {
    manager = new KernelManager({ runtimeDir, handleSignals: false });
    const session = await manager.startKernel({ specName: 'python3', spec: await requirePython3Spec() });
    const pid = session.pid!;
    const file = session.connectionFile;
    const messages = await run(session.client, "import subprocess; child = subprocess.Popen(['sleep', '60']); print(child.pid)");
    const childPid = Number(content<{ text: string }>(messages.find((m) => m.header.msg_type === 'stream'))?.text.trim());
    expect(pidAlive(childPid)).toBe(true);
    await session.shutdown({ graceMs: 0 });
    expect(session.status).toBe('terminated');
    expect(pidAlive(pid)).toBe(false);
    // The SIGKILLed child is reaped by init, not by us: give it a moment.
    await waitUntil(() => !pidAlive(childPid) && !groupAlive(pid), 2000, 'the kernel\'s child (its group) to be gone');
    expect(existsSync(file)).toBe(false);
    expect(manager.list()).toEqual([]);
  });
});

describe('KernelSession with interrupt_mode message, then death', () => {
  let manager: KernelManager;
  let session: KernelSession;
  beforeAll(async () => {
    const spec = { ...(await requirePython3Spec()), interruptMode: 'message' as const };
    // A fast heartbeat and a short silence to death so the frozen-kernel test takes about a second.
    manager = new KernelManager({ handleSignals: false, heartbeatMs: 300, heartbeatDeadMisses: 4 });
    session = await manager.startKernel({ specName: 'python3', spec });
  });
  afterAll(() => {
    if (session?.pid) signalGroupQuietly(session.pid, 'SIGCONT');
    manager?.dispose();
  });

  it('interrupts with interrupt_request on control', async () => {
    const execution = firstValueFrom(session.client.execute('import time\nprint("sleeping", flush=True)\ntime.sleep(30)').pipe(toArray()));
    await firstValueFrom(session.client.messages$.pipe(filter((m) => m.header.msg_type === 'stream')));
    const t0 = performance.now();
    await session.interrupt();
    const messages = await execution;
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(content<{ ename: string }>(messages.find((m) => m.header.msg_type === 'execute_reply')).ename).toBe('KeyboardInterrupt');
  });

  it('a frozen kernel (SIGSTOP) is unresponsive, then dead after a long silence; restart from dead works', async () => {
    const unresponsive = nextStatus(session, 'unresponsive');
    const dead = nextStatus(session, 'dead');
    const frozenPid = session.pid!;
    signalGroupQuietly(frozenPid, 'SIGSTOP');
    expect((await unresponsive).reason).toMatch(/^no heartbeat for \d+ ms$/);
    const event = await dead;
    expect(event.reason).toMatch(/^the kernel did not answer heartbeats for \d+ s$/);
    signalGroupQuietly(frozenPid, 'SIGCONT');
    await session.restart();
    expect(session.status).toBe('idle');
    expect(pidAlive(frozenPid)).toBe(false);
    const messages = await run(session.client, '1 + 1');
    expect(content<{ status: string }>(messages.find((m) => m.header.msg_type === 'execute_reply')).status).toBe('ok');
  });

  it('a kernel that calls os._exit(1) is reported dead within 2 s with its stderr', async () => {
    // ipykernel pipes fd 2 through a forwarding thread that os._exit kills; sys.stderr.fileno() is
    // its copy of the real stderr (what subprocesses write to).
    const dead = nextStatus(session, 'dead');
    void session.client.execute('import os, sys\nos.write(sys.stderr.fileno(), b"last words before dying\\n")\nos._exit(1)').subscribe({ error: () => undefined });
    const t0 = performance.now();
    const event = await dead;
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(event.reason).toMatch(/exited \(code 1\)/);
    expect(event.stderrTail?.join('\n')).toContain('last words before dying');
    expect(session.status).toBe('dead');
    await expect(session.interrupt()).rejects.toMatchObject({ code: 'KERNEL_DIED' });
    const pid = session.pid!;
    await session.shutdown();
    await waitUntil(() => !groupAlive(pid), 2000, 'the dead kernel group to be gone');
  });

  it('a restart after another program took one of the ports moves the kernel to fresh ports; the same client works', async () => {
    session = await manager.startKernel({ specName: 'python3', spec: await requirePython3Spec() });
    const dead = nextStatus(session, 'dead');
    void session.client.execute('import os\nos._exit(1)').subscribe({ error: () => undefined });
    await dead;
    const takenPort = session.connection.shell_port;
    const squatter = createServer();
    await new Promise<void>((resolve, reject) => {
      squatter.once('error', reject);
      squatter.listen(takenPort, '127.0.0.1', resolve);
    });
    try {
      await session.restart();
      expect(session.status).toBe('idle');
      expect(session.connection.shell_port).not.toBe(takenPort);
      const onDisk = JSON.parse(readFileSync(session.connectionFile, 'utf8')) as { shell_port: number; key: string };
      expect(onDisk.shell_port).toBe(session.connection.shell_port);
      expect(onDisk.key).toBe(session.connection.key);
      const messages = await run(session.client, '40 + 2');
      expect(content<{ status: string }>(messages.find((m) => m.header.msg_type === 'execute_reply')).status).toBe('ok');
    } finally {
      squatter.close();
      await session.shutdown();
    }
  });
});
