// What the shell adds on top of the host services: RPC round trip in memory vs over the browser
// host's WebSocket, a kernel execute round trip through the whole browser-host path vs the
// kernel client in-process, and `quire serve` start-to-URL. Writes bench-results/hostRpc.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { WebSocket } from 'ws';
import { connectHostClient, serveHost } from '../src/host/channels';
import type { HostApi } from '../src/host/contract';
import { createProtocolPair } from '../src/ipc/protocol';
import { createMessage, type BaseMessage, type ExecuteRequestMsg } from '../src/jupyter/messages';
import { createHost } from '../kernels/host/createHost';
import { KernelManager } from '../kernels/kernelManager';
import { HostServer, webSocketProtocol } from '../kernels/server/hostServer';

const CALLS = Number(process.env.BENCH_RPC_CALLS ?? 2000);
const EXECUTES = Number(process.env.BENCH_EXECUTES ?? 300);
const SERVE_TRIALS = Number(process.env.BENCH_SERVE_TRIALS ?? 5);

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))];
  return { n: s.length, p50: +q(0.5).toFixed(3), p95: +q(0.95).toFixed(3), max: +s[s.length - 1].toFixed(3) };
}

async function timeCalls(host: HostApi): Promise<number[]> {
  for (let i = 0; i < 50; i++) await host.files.getWorkspace();
  const out: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    await host.files.getWorkspace();
    out.push(performance.now() - t0);
  }
  return out;
}

/** execute_request → execute_reply and idle through host.kernels (the renderer's path; JupyterLab's completion rule). */
async function timeExecutes(host: HostApi, kernelId: string, count: number): Promise<number[]> {
  const waiting = new Map<string, () => void>();
  const seen = new Map<string, number>();
  const sub = host.kernels.onDidReceiveMessages((e) => {
    for (const m of e.messages) {
      const parent = (m.parent_header as { msg_id?: string }).msg_id;
      if (!parent) continue;
      const done = m.header.msg_type === 'execute_reply' || (m.header.msg_type === 'status' && (m.content as { execution_state: string }).execution_state === 'idle');
      if (!done) continue;
      const count = (seen.get(parent) ?? 0) + 1;
      seen.set(parent, count);
      if (count === 2) waiting.get(parent)?.();
    }
  });
  await host.kernels.listKernels();
  const out: number[] = [];
  for (let i = 0; i < count + 5; i++) {
    const msg = createMessage<ExecuteRequestMsg>({ channel: 'shell', msgType: 'execute_request', session: 'bench', content: { code: '1', silent: false, store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true } });
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      waiting.set(msg.header.msg_id, resolve);
      void host.kernels.sendMessage(kernelId, msg as BaseMessage);
    });
    if (i >= 5) out.push(performance.now() - t0);
  }
  sub.dispose();
  return out;
}

async function serveStartup(): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < SERVE_TRIALS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'quire-bench-serve-'));
    const t0 = performance.now();
    const child = spawn(process.execPath, ['bin/quire.js', 'serve', dir, '--no-browser'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'cfg') } });
    await new Promise<void>((resolve) => {
      let text = '';
      child.stdout!.on('data', (d) => {
        text += d;
        if (/token=[0-9a-f]+/.test(text)) resolve();
      });
    });
    out.push(performance.now() - t0);
    await new Promise((r) => {
      child.once('exit', r);
      child.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'quire-bench-rpc-'));
  const host = createHost({ root, shell: 'browser', configDir: join(root, 'cfg') });

  const [a, b] = createProtocolPair();
  const memServer = serveHost(a, host);
  const mem = connectHostClient(b, { native: false });
  const inMemory = await timeCalls(mem.host);

  const server = await HostServer.start({ host, staticDir: root });
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { origin: server.origin });
  await new Promise((r) => ws.once('open', r));
  const transport = webSocketProtocol(ws);
  const remote = connectHostClient(transport.protocol, { native: false });
  const overWebSocket = await timeCalls(remote.host);

  // Both paths on two live kernels, alternating blocks so both see the same machine load.
  const kernel = await remote.host.kernels.startKernel({ specName: 'python3' });
  const manager = new KernelManager({ handleSignals: false });
  const session = await manager.startKernel({ specName: 'python3' });
  const executeViaHost: number[] = [];
  const direct: number[] = [];
  const BLOCK = 50;
  for (let done = 0; done < EXECUTES; done += BLOCK) {
    executeViaHost.push(...(await timeExecutes(remote.host, kernel.id, BLOCK)));
    for (let i = 0; i < BLOCK + 5; i++) {
      const t0 = performance.now();
      await lastValueFrom(session.client.execute('1'));
      if (i >= 5) direct.push(performance.now() - t0);
    }
  }
  await remote.host.kernels.shutdown(kernel.id);
  await manager.shutdownAll();
  manager.dispose();

  ws.close();
  transport.dispose();
  memServer.dispose();
  await server.close();
  await host.shutdown();
  rmSync(root, { recursive: true, force: true });

  const startup = await serveStartup();
  const result = {
    rpcRoundTripMs: { inMemory: stats(inMemory), webSocket: stats(overWebSocket) },
    executeRoundTripMs: { browserHost: stats(executeViaHost), inProcessClient: stats(direct) },
    serveStartToUrlMs: stats(startup),
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/hostRpc.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log('| measure | p50 ms | p95 ms |');
  console.log('| --- | --- | --- |');
  const row = (name: string, s: { p50: number; p95: number }) => console.log(`| ${name} | ${s.p50} | ${s.p95} |`);
  row('RPC getWorkspace, in memory', result.rpcRoundTripMs.inMemory);
  row('RPC getWorkspace, WebSocket', result.rpcRoundTripMs.webSocket);
  row('execute "1" via browser host (ws → kernel → ws, reply + idle)', result.executeRoundTripMs.browserHost);
  row('execute "1" in-process KernelClient (reply + idle)', result.executeRoundTripMs.inProcessClient);
  row('quire serve start → URL printed', result.serveStartToUrlMs);
  process.exit(0);
}

void main();
