import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHostClient, serveHost } from '../../src/host/channels';
import type { HostApi, NotebookDocument } from '../../src/host/contract';
import { createProtocolPair } from '../../src/ipc/protocol';
import { ErrorCode, type QuireError } from '../../src/errors';
import { maxNotebookBytesFromEnv } from '../files/regularFile';
import { createHost, type QuireHost } from './createHost';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'quire-safety-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const notebookText = (source: string) =>
  JSON.stringify({ cells: [{ cell_type: 'markdown', id: 'a1', metadata: {}, source }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function rejection(promise: Promise<unknown>): Promise<QuireError> {
  try {
    await promise;
  } catch (error) {
    return error as QuireError;
  }
  throw new Error('expected a rejection');
}

/** A host with `count` RPC clients, as two windows or tabs on one host are. */
function hostWithClients(count: number, options: { maxNotebookBytes?: number } = {}) {
  const host: QuireHost = createHost({ root, shell: 'browser', configDir: join(root, '.config'), ...options });
  const connections = Array.from({ length: count }, () => {
    const [serverEnd, clientEnd] = createProtocolPair();
    const server = serveHost(serverEnd, host);
    const { host: remote, client } = connectHostClient(clientEnd, { native: false });
    return { remote: remote as HostApi, dispose: () => (client.dispose(), server.dispose(), serverEnd.close()) };
  });
  return {
    host,
    clients: connections.map((c) => c.remote),
    async dispose() {
      for (const c of connections) c.dispose();
      await host.shutdown();
    },
  };
}

describe('the host under two writers and hostile paths', () => {
  it('two clients saving the same file at once from the same version: exactly one wins, the other is told', async () => {
    const path = join(root, 'shared.ipynb');
    writeFileSync(path, notebookText('base'));
    const { clients, dispose } = hostWithClients(2);
    try {
      const docs = await Promise.all(clients.map((c) => c.files.readNotebook(path)));
      expect(docs[0].contentHash).toBe(sha256(readFileSync(path)));
      expect(docs[1].contentHash).toBe(docs[0].contentHash);
      const results = await Promise.allSettled(
        clients.map((c, i) => c.files.writeNotebook(path, { ...docs[i].notebook, cells: [{ ...docs[i].notebook.cells[0], source: `window ${i}` }] }, {
          expectedContentHash: docs[i].contentHash,
          expectedMtimeMs: docs[i].mtimeMs,
        })),
      );
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(won).toHaveLength(1);
      const lost = results[1 - won[0]] as PromiseRejectedResult;
      expect((lost.reason as QuireError).code).toBe(ErrorCode.FileChangedOnDisk);
      const saved = JSON.parse(readFileSync(path, 'utf8')) as { cells: Array<{ source: string }> };
      expect(saved.cells[0].source).toBe(`window ${won[0]}`);
      expect((results[won[0]] as PromiseFulfilledResult<{ contentHash: string }>).value.contentHash).toBe(sha256(readFileSync(path)));
    } finally {
      await dispose();
    }
  });

  it('a FIFO is refused at once (read, save, image) while other requests go on', async () => {
    const fifo = join(root, 'pipe.ipynb');
    const fifoPng = join(root, 'pipe.png');
    execFileSync('mkfifo', [fifo, fifoPng]);
    const { clients, dispose } = hostWithClients(1);
    const [client] = clients;
    try {
      const [readError, stat] = await Promise.all([rejection(client.files.readNotebook(fifo)), client.files.stat(root)]);
      expect(stat).toMatchObject({ exists: true, kind: 'directory' });
      expect(readError).toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'notAFile' } });
      expect(readError.message).toBe(`${fifo} is a named pipe (FIFO), not a notebook file; it was not opened.`);
      const notebook = JSON.parse(notebookText('x'));
      expect(await rejection(client.files.writeNotebook(fifo, notebook))).toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'notAFile' } });
      expect(await rejection(client.files.readImage(fifoPng))).toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'notAnImage' } });
      expect((await client.files.listDirectory(root)).map((e) => e.name)).not.toContain('pipe.ipynb');
    } finally {
      await dispose();
    }
  });

  it('a notebook over the size limit is refused with its size and the limit', async () => {
    const path = join(root, 'big.ipynb');
    writeFileSync(path, notebookText('y'.repeat(2 * 1024 * 1024)));
    const { clients, dispose } = hostWithClients(1, { maxNotebookBytes: 1024 * 1024 });
    try {
      const error = await rejection(clients[0].files.readNotebook(path));
      expect(error).toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'tooLarge', limit: 1024 * 1024 } });
      expect(error.message).toBe(`${path} is 2.0 MB; notebooks over 1 MB are not opened (QUIRE_MAX_NOTEBOOK_MB sets the limit in MB).`);
    } finally {
      await dispose();
    }
    expect(maxNotebookBytesFromEnv({})).toBe(100 * 1024 * 1024);
    expect(maxNotebookBytesFromEnv({ QUIRE_MAX_NOTEBOOK_MB: '250' })).toBe(250 * 1024 * 1024);
    expect(maxNotebookBytesFromEnv({ QUIRE_MAX_NOTEBOOK_MB: 'lots' })).toBe(100 * 1024 * 1024);
  });

  it('reading a large notebook does not stall the host: other requests keep being answered', async () => {
    // ~40 MB of short text lines: the slowest kind to parse per byte.
    const path = join(root, 'large.ipynb');
    const lines = Array.from({ length: 200 }, (_, k) => `line ${k} of some output text\n`);
    const cells = Array.from({ length: 5000 }, (_, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: i, source: [`x = ${i}`], outputs: [{ output_type: 'stream', name: 'stdout', text: lines }] }));
    writeFileSync(path, JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n');
    const { clients, host, dispose } = hostWithClients(1);
    // The reading window: a raw connection, so that parsing the big reply (which a browser does in
    // its own process) does not count against this process's event loop.
    const [serverEnd, clientEnd] = createProtocolPair();
    const server = serveHost(serverEnd, host);
    try {
      const started = performance.now();
      let done = false;
      const read = new Promise<string>((resolve) => clientEnd.onMessage((data) => resolve(data))).finally(() => (done = true));
      clientEnd.send(JSON.stringify({ t: 'req', id: 1, ch: 'files', m: 'readNotebook', a: [path] }));
      // The other window keeps asking while the read runs; record how long each answer took.
      const latencies: number[] = [];
      while (!done) {
        const asked = performance.now();
        await clients[0].files.stat(root);
        latencies.push(performance.now() - asked);
      }
      const reply = await read;
      const total = performance.now() - started;
      const doc = (JSON.parse(reply) as { r: NotebookDocument }).r;
      expect(doc.notebook.cells).toHaveLength(5000);
      expect(doc.contentHash).toBe(sha256(readFileSync(path)));
      const longest = Math.max(...latencies);
      console.log(`large read: ${Math.round(total)} ms for ${(readFileSync(path).length / 1e6).toFixed(0)} MB; ${latencies.length} other requests answered meanwhile, the slowest in ${Math.round(longest)} ms`);
      // Before the worker, one synchronous parse + stringify took most of the read: no answer in between.
      expect(latencies.length).toBeGreaterThan(5);
      expect(longest).toBeLessThan(total / 4);
    } finally {
      server.dispose();
      serverEnd.close();
      await dispose();
    }
  }, 120_000);
});
