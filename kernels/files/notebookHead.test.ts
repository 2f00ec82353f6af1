/**
 * readNotebookHead: the first cells of real notebook files, read from the start of the file only,
 * equal to what the whole read gives for those cells; through the RPC of a browser host too.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors';
import { createProtocolPair } from '../../src/ipc/protocol';
import { connectHostClient, serveHost } from '../../src/host/channels';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import type { Cell, Notebook } from '../../src/jupyter/nbformat';
import { scanNotebookHead } from '../../src/jupyter/notebookHead';
import { createHost } from '../host/createHost';
import { readNotebookFile, readNotebookHeadFile } from './notebookFiles';

let base: string;
let root: string;

/** A notebook like a run leaves: text, a 30 kB image, non-ASCII text, escapes, NaN-free numbers. */
function bigNotebook(cells: number): Notebook {
  const png = Buffer.alloc(30_000, 7).toString('base64');
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    cells: Array.from({ length: cells }, (_, i): Cell => (i % 3 === 0
      ? { cell_type: 'markdown', id: `m${i}`, metadata: {}, source: [`## Größe ${i} — "quoted" \\ {braces} [brackets]\n`, 'text'] }
      : { cell_type: 'code', id: `c${i}`, metadata: { tags: ['t'] }, execution_count: i, source: [`x = ${i}.0\n`, 'print("}]")'],
        outputs: i % 3 === 1
          ? [{ output_type: 'stream', name: 'stdout', text: [`${i} ✓ }\n`] }]
          : [{ output_type: 'display_data', metadata: {}, data: { 'image/png': png, 'text/plain': ['<Figure>'] } }] })),
  };
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'quire-head-'));
  root = join(base, 'work');
  mkdirSync(root);
  writeFileSync(join(root, 'big.ipynb'), serializeNotebook(bigNotebook(300)));
  writeFileSync(join(root, 'small.ipynb'), serializeNotebook(bigNotebook(4)));
  writeFileSync(join(root, 'empty.ipynb'), serializeNotebook({ ...bigNotebook(0), cells: [] }));
  // Members before the cells, compact, as another writer may do it.
  writeFileSync(join(root, 'unsorted.ipynb'), JSON.stringify({ metadata: { kernelspec: { name: 'python3', display_name: 'P', language: 'python' } }, nbformat: 4, nbformat_minor: 4,
    cells: [{ cell_type: 'code', metadata: {}, execution_count: null, source: 'a', outputs: [] }, { cell_type: 'raw', metadata: {}, source: 'b' }] }));
  writeFileSync(join(root, 'notes.txt.ipynb'), 'not a notebook at all');
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'secret.ipynb'), serializeNotebook(bigNotebook(2)));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('readNotebookHeadFile (real files)', () => {
  it('gives the first cells exactly as the whole read does, from the start of the file only', async () => {
    const path = join(root, 'big.ipynb');
    const whole = await readNotebookFile(path);
    const head = await readNotebookHeadFile(path, { maxCells: 40 });
    expect(head).not.toBeNull();
    expect(head!.cells).toHaveLength(40);
    expect(head!.complete).toBe(false);
    expect(head!.cells).toEqual(whole.notebook.cells.slice(0, 40));
    expect(head!.size).toBe(whole.size);
    expect(head!.mtimeMs).toBe(whole.mtimeMs);
    // Sorted keys put metadata after the cells: the head does not have it.
    expect(head!.metadata).toBeUndefined();
  });

  it('stops at the byte budget: only whole cells, none cut in half, also inside a multi-byte character', async () => {
    const path = join(root, 'big.ipynb');
    const whole = await readNotebookFile(path);
    for (const maxBytes of [500, 4_000, 60_000, 100_001, 100_002, 100_003]) {
      const head = await readNotebookHeadFile(path, { maxCells: 1000, maxBytes });
      if (head === null) {
        expect(maxBytes).toBeLessThan(1000); // not even the first cell fits
        continue;
      }
      expect(head.cells.length).toBeGreaterThan(0);
      expect(head.cells.length).toBeLessThan(300);
      expect(head.cells).toEqual(whole.notebook.cells.slice(0, head.cells.length));
    }
  });

  it('says when it has every cell; reads members before the cells; an empty list', async () => {
    const small = await readNotebookHeadFile(join(root, 'small.ipynb'));
    expect(small!.complete).toBe(true);
    expect(small!.cells).toEqual((await readNotebookFile(join(root, 'small.ipynb'))).notebook.cells);
    const unsorted = await readNotebookHeadFile(join(root, 'unsorted.ipynb'));
    expect(unsorted).toMatchObject({ complete: true, nbformat: 4, nbformat_minor: 4, metadata: { kernelspec: { name: 'python3' } } });
    expect(unsorted!.cells.map((c) => c.cell_type)).toEqual(['code', 'raw']);
    expect(await readNotebookHeadFile(join(root, 'empty.ipynb'))).toMatchObject({ cells: [], complete: true });
  });

  it('is null for text that is not a notebook, and refuses what readNotebook refuses', async () => {
    expect(await readNotebookHeadFile(join(root, 'notes.txt.ipynb'))).toBeNull();
    await expect(readNotebookHeadFile(join(root, 'missing.ipynb'))).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(readNotebookHeadFile(root)).rejects.toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'notAFile' } });
    const fifo = join(base, 'pipe.ipynb');
    execFileSync('mkfifo', [fifo]);
    await expect(readNotebookHeadFile(fifo)).rejects.toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'notAFile' } });
    await expect(readNotebookHeadFile(join(root, 'big.ipynb'), { maxFileBytes: 1000 })).rejects.toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'tooLarge' } });
  });
});

describe('scanNotebookHead', () => {
  it('skips strings with escaped quotes and brackets, and refuses what is not a notebook object', () => {
    const text = '{"cells": [{"source": "a\\\\\\"]}{", "x": [1, {"y": "]"}]}, {"source": "b"}], "nbformat": 4}';
    expect(scanNotebookHead(text, 10)).toEqual({ cells: [{ source: 'a\\"]}{', x: [1, { y: ']' }] }, { source: 'b' }], complete: true, before: {} });
    expect(scanNotebookHead(text, 1)).toMatchObject({ cells: [{ source: 'a\\"]}{' }], complete: false });
    expect(scanNotebookHead('[1, 2]', 5)).toBeNull();
    expect(scanNotebookHead('{"nbformat": 4}', 5)).toBeNull();
    expect(scanNotebookHead('{"cells": [{"a": tru}]}', 5)).toBeNull();
  });
});

describe('readNotebookHead through a browser host', () => {
  it('answers over the RPC with absolute paths, and refuses paths outside the workspace', async () => {
    const host = createHost({ root, shell: 'browser', configDir: mkdtempSync(join(base, 'config-')), dataDir: mkdtempSync(join(base, 'data-')) });
    const [serverEnd, clientEnd] = createProtocolPair();
    const server = serveHost(serverEnd, host);
    const { host: remote, client } = connectHostClient(clientEnd, { native: false });
    try {
      const head = await remote.files.readNotebookHead('big.ipynb', { maxCells: 5 });
      expect(head!.path).toBe(join(root, 'big.ipynb'));
      expect(head!.cells.map((c) => c.id)).toEqual(['m0', 'c1', 'c2', 'm3', 'c4']);
      const doc = await remote.files.readNotebook('big.ipynb');
      expect(head!.cells).toEqual(doc.notebook.cells.slice(0, 5));
      await expect(remote.files.readNotebookHead(join(base, 'outside', 'secret.ipynb'))).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
      await expect(remote.files.readNotebookHead(42 as unknown as string)).rejects.toThrow(/path string/);
      // Silly options are clamped, not trusted.
      const clamped = await remote.files.readNotebookHead('big.ipynb', { maxCells: -3, maxBytes: Number.NaN });
      expect(clamped!.cells).toHaveLength(50);
    } finally {
      client.dispose();
      server.dispose();
      await host.dispose?.();
    }
  });
});
