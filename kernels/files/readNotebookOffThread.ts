/**
 * Large notebooks are read in a worker thread. Parsing (our location-keeping JSON parser plus the
 * schema check) takes about a second per 15-70 MB, and JSON.stringify for the RPC frame as long
 * again; on the host's main thread that would stall every other request and page load meanwhile.
 * The worker returns the document as JSON text, attached to the result (src/ipc/channel.ts
 * `withJson`) so the RPC sends it as it is; in-process callers that touch `notebook` or `warnings`
 * parse it then, once.
 */
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { ErrorCode, QuireError } from '../../src/errors';
import type { NotebookDocument } from '../../src/host/contract';
import { withJson } from '../../src/ipc/channel';
import { readNotebookFile, type NotebookFile } from './notebookFiles';

/** Files at least this large are read in a worker. */
export const OFF_THREAD_MIN_BYTES = 2 * 1024 * 1024;

type WorkerReply =
  | { ok: true; meta: Omit<NotebookDocument, 'notebook' | 'warnings'>; json: string }
  | { ok: false; error: { code?: string; message: string; details?: Record<string, unknown> } };

/** Starts the worker: the bundled .js beside this code, or (run from sources) the .ts through tsx. */
function startWorker(workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./notebookReadWorker.js', here), { workerData });
  const entry = JSON.stringify(new URL('./notebookReadWorker.ts', here).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); })`, { eval: true, workerData });
}

function readInWorker(path: string, maxBytes: number): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const worker = startWorker({ path, maxBytes });
    worker.once('message', (reply: WorkerReply) => {
      resolve(reply);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the notebook reader stopped (exit code ${code})`)));
  });
}

/** A document whose notebook and warnings are parsed from `json` when first used. */
function lazyDocument(meta: Omit<NotebookDocument, 'notebook' | 'warnings'>, json: string): NotebookDocument {
  let parsed: NotebookDocument | undefined;
  const full = () => (parsed ??= JSON.parse(json) as NotebookDocument);
  const document = { ...meta } as NotebookDocument;
  Object.defineProperty(document, 'notebook', { enumerable: true, get: () => full().notebook });
  Object.defineProperty(document, 'warnings', { enumerable: true, get: () => full().warnings });
  return withJson(document, json);
}

/**
 * Reads a notebook as readNotebookFile does; files of OFF_THREAD_MIN_BYTES and more in a worker
 * thread (they come back without `text`). Same errors as readNotebookFile.
 */
export async function readNotebookOffThread(path: string, maxBytes: number): Promise<NotebookDocument | NotebookFile> {
  const size = await stat(path).then((s) => (s.isFile() ? s.size : 0), () => 0);
  if (size < OFF_THREAD_MIN_BYTES) return readNotebookFile(path, { maxBytes });
  let reply: WorkerReply;
  try {
    reply = await readInWorker(path, maxBytes);
  } catch {
    // No worker (e.g. its file is missing from a build): read here rather than not at all.
    return readNotebookFile(path, { maxBytes });
  }
  if (!reply.ok) throw new QuireError((reply.error.code ?? ErrorCode.Unknown) as ErrorCode, reply.error.message, reply.error.details);
  return lazyDocument(reply.meta, reply.json);
}
