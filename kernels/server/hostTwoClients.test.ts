/**
 * One long-lived host, two clients: a host (createHost) served by HostServer as `quire serve` does,
 * and two pages connected over the real loopback WebSocket (token, Origin, RPC frames). Real
 * ipykernel kernels, real notebooks on disk. What one client does must never reach the other as
 * its own, and a client that goes away must take nothing of the host's with it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KernelMessagesEvent, KernelStatusEvent, RunInfo, RunningKernel, RunOutputEvent } from '../../src/host/contract';
import type { Cell, CodeCell, Notebook } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import type { SettingsState } from '../../src/settings/settings';
import { createHost, type QuireHost } from '../host/createHost';
import { connectTestClient, execute, executeRequest, parentId, processRunning, record, streamText, type TestHostClient } from '../testing/hostClient';
import { requirePython3Spec } from '../testing/realKernel';
import { HostServer } from './hostServer';

let dir: string;
let root: string;
let host: QuireHost;
let server: HostServer;
const cleanups: Array<() => Promise<void> | void> = [];

beforeEach(async () => {
  await requirePython3Spec();
  dir = mkdtempSync(join(tmpdir(), 'quire-two-clients-'));
  root = join(dir, 'workspace');
  mkdirSync(root);
  host = createHost({ root, shell: 'browser', configDir: join(dir, 'config'), dataDir: join(dir, 'data') });
  server = await HostServer.start({ host, staticDir: dir });
});

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  await server.close();
  await host.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

async function client(): Promise<TestHostClient> {
  const c = await connectTestClient(server);
  cleanups.push(() => c.close());
  return c;
}

/** Closes `c` and resolves once the host has seen it go (its subscriptions are gone). */
async function disconnect(c: TestHostClient): Promise<void> {
  const before = server.connectionCount;
  const gone = new Promise<void>((resolve) => {
    const sub = server.onDidDisconnect((open) => {
      if (open < before) {
        sub.dispose();
        resolve();
      }
    });
  });
  await c.close();
  await gone;
}

function writeNotebook(name: string, sources: string[]): string {
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: sources.map((source, i) => ({ id: `c${i}`, cell_type: 'code', execution_count: null, outputs: [], source, metadata: {} } as Cell)),
  };
  const path = join(root, name);
  writeFileSync(path, serializeNotebook(nb));
  return path;
}

/** Python that creates `mine`, then waits (up to 60 s) for `other`: both kernels are then mid-cell at once. */
const rendezvous = (mine: string, other: string) => [
  'import os, time',
  `open(${JSON.stringify(mine)}, "w").close()`,
  'deadline = time.time() + 60',
  `while not os.path.exists(${JSON.stringify(other)}):`,
  '    assert time.time() < deadline, "the other kernel never arrived"',
  '    time.sleep(0.01)',
].join('\n');

describe('one host, two WebSocket clients', () => {
  it('(a) each client runs code on its own kernel at the same time; every event names its kernel and outputs never cross', async () => {
    const a = await client();
    const b = await client();
    expect(server.connectionCount).toBe(2);
    const aMessages = record(a.remote.kernels.onDidReceiveMessages);
    const bMessages = record(b.remote.kernels.onDidReceiveMessages);
    const aStatus = record(a.remote.kernels.onDidChangeStatus);
    const bStatus = record(b.remote.kernels.onDidChangeStatus);
    cleanups.push(() => [aMessages, bMessages, aStatus, bStatus].forEach((r) => r.dispose()));
    const [kernelA, kernelB] = await Promise.all([
      a.remote.kernels.startKernel({ specName: 'python3' }),
      b.remote.kernels.startKernel({ specName: 'python3' }),
    ]);
    expect(kernelA.id).not.toBe(kernelB.id);
    expect(kernelA.pid).not.toBe(kernelB.pid);

    const code = (me: string, mine: string, other: string) => `${rendezvous(mine, other)}
for i in range(30):
    print("from-${me}", i, flush=True)
    time.sleep(0.002)
"result-${me}"`;
    const aReady = join(dir, 'a.ready');
    const bReady = join(dir, 'b.ready');
    const [runA, runB] = await Promise.all([
      execute(a.remote, aMessages, kernelA.id, code('A', aReady, bReady)),
      execute(b.remote, bMessages, kernelB.id, code('B', bReady, aReady)),
    ]);

    // Each client got its own execution's output, all of it, and nothing of the other's.
    const expected = (me: string) => Array.from({ length: 30 }, (_, i) => `from-${me} ${i}\n`).join('');
    expect(streamText(runA.replies)).toBe(expected('A'));
    expect(streamText(runB.replies)).toBe(expected('B'));
    const result = (replies: typeof runA.replies) => (replies.find((m) => m.header.msg_type === 'execute_result')?.content as { data: Record<string, string> }).data['text/plain'];
    expect(result(runA.replies)).toBe("'result-A'");
    expect(result(runB.replies)).toBe("'result-B'");

    // Both kernels were busy at once (the rendezvous), and each client heard every event with the
    // kernel it is about: a message answering a request sent to kernel A is never labelled B.
    const kernelOfRequest = new Map([[runA.request.header.msg_id, kernelA.id], [runB.request.header.msg_id, kernelB.id]]);
    for (const [name, log] of [['A', aMessages.items], ['B', bMessages.items]] as Array<[string, KernelMessagesEvent[]]>) {
      const seen = new Set<string>();
      for (const event of log) {
        expect([kernelA.id, kernelB.id], `client ${name}: an event of an unknown kernel`).toContain(event.kernelId);
        for (const msg of event.messages) {
          const sentTo = kernelOfRequest.get(parentId(msg) ?? '');
          if (sentTo) expect(event.kernelId, `client ${name}: a ${msg.header.msg_type} answering a request to ${sentTo}`).toBe(sentTo);
          if (msg.header.msg_type === 'stream') {
            const text = (msg.content as { text: string }).text;
            expect(text, `client ${name}: kernel ${event.kernelId} output`).toMatch(event.kernelId === kernelA.id ? /^(from-A \d+\n)+$/ : /^(from-B \d+\n)+$/);
          }
          seen.add(event.kernelId);
        }
      }
      // The host broadcasts every kernel's messages: a client tells its own by the kernel id.
      expect(seen.size, `client ${name} heard both kernels`).toBe(2);
    }
    // Status events name their kernel too; no kernel was reported dead or terminated.
    for (const log of [aStatus.items, bStatus.items] as KernelStatusEvent[][]) {
      expect(log.every((e) => e.kernelId === kernelA.id || e.kernelId === kernelB.id)).toBe(true);
      expect(log.filter((e) => e.status === 'dead' || e.status === 'terminated')).toEqual([]);
    }
    // A client's own kernel client keeps its state; the other kernel's namespace is separate.
    const probeA = await execute(a.remote, aMessages, kernelA.id, 'print("defined" if "deadline" in dir() else "missing", os.getpid())');
    expect(streamText(probeA.replies)).toBe(`defined ${kernelA.pid}\n`);
  }, 120_000);

  it('(b) a run client A started is seen by client B, and goes on to completion after A disconnects, its kernel untouched', async () => {
    const release = join(dir, 'release');
    const input = writeNotebook('long.ipynb', [
      'import os, time\nprint("cell one", os.getpid(), flush=True)',
      `deadline = time.time() + 60\nwhile not os.path.exists(${JSON.stringify(release)}):\n    assert time.time() < deadline\n    time.sleep(0.01)\nprint("released")`,
      'print("cell three")',
    ]);
    const a = await client();
    const b = await client();
    const bRuns = record(b.remote.runs.onDidChangeRun);
    const bOutputs = record(b.remote.runs.onDidRunOutput);
    const bStatus = record(b.remote.kernels.onDidChangeStatus);
    cleanups.push(() => [bRuns, bOutputs, bStatus].forEach((r) => r.dispose()));
    await b.remote.runs.listRuns(); // B's subscriptions are on the host once a later call returns

    const started = await a.remote.runs.startRun({ inputPath: input, parameters: {} });
    // B sees it listed, and its progress and outputs live.
    expect((await b.remote.runs.listRuns({ inputPath: input })).map((r) => r.runId)).toContain(started.runId);
    const firstOutput = await bOutputs.until((e: RunOutputEvent) => e.runId === started.runId && JSON.stringify(e.output).includes('cell one'), 'B to see the run\'s first output');
    const kernelPid = Number(/cell one (\d+)/.exec(JSON.stringify(firstOutput.output))![1]);
    expect(processRunning(kernelPid)).toBe(true);
    const running = await bRuns.until((r: RunInfo) => r.runId === started.runId && r.status === 'running' && r.currentCellIndex === 1, 'B to see the run in cell 2');
    expect(running.inputPath).toBe(input);
    const runKernel = (await b.remote.kernels.listKernels()).find((k) => k.pid === kernelPid);
    expect(runKernel, 'the run\'s kernel is listed to every client').toBeDefined();

    // A goes away mid-cell.
    await disconnect(a);
    expect(server.connectionCount).toBe(1);
    expect(processRunning(kernelPid), 'the run\'s kernel survived its starter\'s disconnect').toBe(true);
    expect((await b.remote.runs.getRun(started.runId)).status).toBe('running');

    writeFileSync(release, '');
    const done = await bRuns.until((r: RunInfo) => r.runId === started.runId && ['completed', 'failed', 'cancelled'].includes(r.status), 'the run to end');
    expect(done.status).toBe('completed');
    expect(done.completedCells).toBe(3);
    // Its kernel ended with the run (the run's own end), not with client A.
    const deaths = bStatus.items.filter((e) => e.kernelId === runKernel!.id && (e.status === 'dead' || e.status === 'terminated'));
    expect(deaths.every((e) => e.status === 'terminated')).toBe(true);
    const outputNotebook = JSON.parse(readFileSync(done.outputPath, 'utf8')) as Notebook;
    expect(JSON.stringify((outputNotebook.cells[1] as CodeCell).outputs)).toContain('released');
    expect(JSON.stringify((outputNotebook.cells[2] as CodeCell).outputs)).toContain('cell three');
    expect((await b.remote.runs.listRuns({ inputPath: input })).find((r) => r.runId === started.runId)?.status).toBe('completed');
  }, 120_000);

  it('(c) a client that disconnects loses nothing the host owns: its kernel keeps running (and its state), settings reach the other client', async () => {
    const a = await client();
    const b = await client();
    const aMessages = record(a.remote.kernels.onDidReceiveMessages);
    const bMessages = record(b.remote.kernels.onDidReceiveMessages);
    const bStatus = record(b.remote.kernels.onDidChangeStatus);
    const bSettings = record(b.remote.settings.onDidChange);
    cleanups.push(() => [aMessages, bMessages, bStatus, bSettings].forEach((r) => r.dispose()));
    await b.remote.settings.get(); // B's subscriptions are on the host once a later call returns

    const kernel = await a.remote.kernels.startKernel({ specName: 'python3' });
    await execute(a.remote, aMessages, kernel.id, 'x = 41');
    // A's settings edit reaches B.
    const updated = await a.remote.settings.update({ 'editor.fontSize': 17 });
    expect(updated.settings['editor.fontSize']).toBe(17);
    const heard = await bSettings.until((s: SettingsState) => s.settings['editor.fontSize'] === 17, 'B to hear A\'s settings update');
    expect(heard.settings['editor.fontSize']).toBe(17);

    await disconnect(a);
    // The host still has A's kernel (the renderer decides about shutdown, not the socket).
    expect(processRunning(kernel.pid!)).toBe(true);
    const listed = (await b.remote.kernels.listKernels()).find((k) => k.id === kernel.id);
    expect(listed?.status).toBe('idle');
    expect(bStatus.items.filter((e) => e.kernelId === kernel.id && (e.status === 'dead' || e.status === 'terminated'))).toEqual([]);
    // ... with its state: B can use it.
    const { replies } = await execute(b.remote, bMessages, kernel.id, 'print(x + 1)');
    expect(streamText(replies)).toBe('42\n');
    // The settings A wrote are the host's (and on disk), for B and for any client that comes later.
    expect((await b.remote.settings.get()).settings['editor.fontSize']).toBe(17);
    const c = await client();
    expect((await c.remote.settings.get()).settings['editor.fontSize']).toBe(17);
    expect((await c.remote.kernels.listKernels()).map((k) => k.id)).toContain(kernel.id);
    // And B's settings edit, after A left, still reaches the newcomer.
    const cSettings = record(c.remote.settings.onDidChange);
    cleanups.push(() => cSettings.dispose());
    await c.remote.settings.get();
    await b.remote.settings.update({ 'editor.fontSize': 18 });
    await cSettings.until((s: SettingsState) => s.settings['editor.fontSize'] === 18, 'C to hear B\'s settings update');
    // After all that, A's kernel is still there and still answers (a shutdown on disconnect would have ended it by now).
    expect((await execute(b.remote, bMessages, kernel.id, 'print(x + 2)')).replies.filter((m) => m.header.msg_type === 'stream').map((m) => (m.content as { text: string }).text)).toEqual(['43\n']);
    expect(processRunning(kernel.pid!)).toBe(true);
    expect(bStatus.items.filter((e) => e.kernelId === kernel.id && (e.status === 'dead' || e.status === 'terminated'))).toEqual([]);
  }, 120_000);

  it('settings edits of two clients at once both survive, and both clients end up with both', async () => {
    const a = await client();
    const b = await client();
    const aSettings = record(a.remote.settings.onDidChange);
    const bSettings = record(b.remote.settings.onDidChange);
    cleanups.push(() => [aSettings, bSettings].forEach((r) => r.dispose()));
    await Promise.all([a.remote.settings.get(), b.remote.settings.get()]);
    await Promise.all([a.remote.settings.update({ 'editor.fontSize': 19 }), b.remote.settings.update({ 'editor.wordWrap': true })]);
    const both = (s: SettingsState) => s.settings['editor.fontSize'] === 19 && s.settings['editor.wordWrap'] === true;
    await aSettings.until(both, 'A to hear both edits');
    await bSettings.until(both, 'B to hear both edits');
    expect(JSON.parse(readFileSync(join(dir, 'config', 'settings.json'), 'utf8'))).toMatchObject({ 'editor.fontSize': 19, 'editor.wordWrap': true });
  });

  it('a client that disconnects while its kernel is starting: the kernel still starts and the other client finds it', async () => {
    const a = await client();
    const b = await client();
    // The request frame goes before the close frame on the socket; a start takes far longer than the close.
    const starting = a.remote.kernels.startKernel({ specName: 'python3' });
    await disconnect(a);
    await expect(starting).rejects.toMatchObject({ code: 'RPC_CLOSED' });
    // No event announces a kernel another client started (nor a starting one): B asks until it is listed.
    const deadline = Date.now() + 60_000;
    let kernel: RunningKernel | undefined;
    while (!(kernel = (await b.remote.kernels.listKernels())[0])) {
      if (Date.now() > deadline) throw new Error('the orphaned kernel was not listed within 60 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(kernel.status).toBe('idle');
    expect(processRunning(kernel.pid!)).toBe(true);
    // Nobody's yet: whoever opens the notebook next may use it or shut it down.
    await b.remote.kernels.shutdown(kernel.id);
    expect(await b.remote.kernels.listKernels()).toEqual([]);
    expect(processRunning(kernel.pid!)).toBe(false);
  }, 60_000);

  it('(d) two clients save the same notebook from the same version: the second save fails with FILE_CHANGED_ON_DISK', async () => {
    const path = writeNotebook('shared.ipynb', ['x = 1']);
    const a = await client();
    const b = await client();
    const [docA, docB] = await Promise.all([a.remote.files.readNotebook(path), b.remote.files.readNotebook(path)]);
    expect(docA.contentHash).toBe(docB.contentHash);
    const edited = (doc: typeof docA, source: string): Notebook => ({ ...doc.notebook, cells: [{ ...doc.notebook.cells[0], source }] });

    // One after the other: A saves first, B's save from the old version is refused.
    const savedA = await a.remote.files.writeNotebook(path, edited(docA, 'x = "A"'), { expectedContentHash: docA.contentHash });
    await expect(b.remote.files.writeNotebook(path, edited(docB, 'x = "B"'), { expectedContentHash: docB.contentHash }))
      .rejects.toMatchObject({ code: 'FILE_CHANGED_ON_DISK' });
    expect(readFileSync(path, 'utf8')).toContain('x = \\"A\\"');

    // At the same time, from A's saved version: exactly one wins; the file holds the winner's notebook.
    const base = savedA.contentHash;
    const results = await Promise.allSettled([
      a.remote.files.writeNotebook(path, edited(docA, 'x = "A2"'), { expectedContentHash: base }),
      b.remote.files.writeNotebook(path, edited(docB, 'x = "B2"'), { expectedContentHash: base }),
    ]);
    const won = results.map((r) => r.status === 'fulfilled');
    expect(won.filter(Boolean)).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'FILE_CHANGED_ON_DISK' });
    expect(readFileSync(path, 'utf8')).toContain(won[0] ? 'x = \\"A2\\"' : 'x = \\"B2\\"');
    // The loser re-reads and saves on top of the winner.
    const fresh = await (won[0] ? b : a).remote.files.readNotebook(path);
    await (won[0] ? b : a).remote.files.writeNotebook(path, edited(fresh, 'x = "merged"'), { expectedContentHash: fresh.contentHash });
    expect(readFileSync(path, 'utf8')).toContain('x = \\"merged\\"');
    expect(existsSync(path)).toBe(true);
  });

  it('an execute_request names the kernel it goes to: a message sent to kernel A is answered by A only', async () => {
    // The routing is by the kernel id of sendMessage, not by the client: B may drive A's kernel
    // (a second window on the same notebook), and its answers come tagged with A's kernel id.
    const a = await client();
    const b = await client();
    const bMessages = record(b.remote.kernels.onDidReceiveMessages);
    cleanups.push(() => bMessages.dispose());
    await b.remote.kernels.listKernels();
    const kernel = await a.remote.kernels.startKernel({ specName: 'python3' });
    const request = executeRequest('1 + 1');
    const idle = bMessages.until((e) => e.messages.some((m) => parentId(m) === request.header.msg_id && m.header.msg_type === 'status'
      && (m.content as { execution_state?: string }).execution_state === 'idle'), 'the kernel to go idle');
    await b.remote.kernels.sendMessage(kernel.id, request);
    const event = await idle;
    expect(event.kernelId).toBe(kernel.id);
    await expect(b.remote.kernels.sendMessage('no-such-kernel', executeRequest('1'))).rejects.toMatchObject({ code: 'KERNEL_NOT_FOUND' });
  }, 60_000);
});
