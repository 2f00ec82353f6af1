/**
 * Worker thread entry: reads, parses and validates one large notebook off the host's main thread
 * and sends back the document already as JSON text (see readNotebookOffThread.ts), so neither the
 * parse nor the RPC's JSON.stringify of a 100 MB notebook holds up the host's other requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isQuireError } from '../../src/errors';
import { readNotebookFile } from './notebookFiles';

const { path, maxBytes } = workerData as { path: string; maxBytes: number };
try {
  const { text: _text, notebook, warnings, ...meta } = await readNotebookFile(path, { maxBytes });
  const json = JSON.stringify({ ...meta, notebook, warnings });
  parentPort!.postMessage({ ok: true, meta, json });
} catch (error) {
  parentPort!.postMessage({
    ok: false,
    error: isQuireError(error) ? { code: error.code, message: error.message, details: error.details } : { message: error instanceof Error ? error.message : String(error) },
  });
}
