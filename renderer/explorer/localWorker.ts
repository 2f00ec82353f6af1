/**
 * A worker that holds a big local table (an output with many rows from a producer without a live
 * frame) and answers the data-source questions off the window's thread: parsing, sorting,
 * filtering, summaries and chart aggregation never block the UI.
 */
import { parseDataResource } from '../../src/explorer/dataresource';
import { LocalDataSource } from './dataSource';
import type { WorkerReply, WorkerRequest } from './workerProtocol';

let source: LocalDataSource | undefined;

const scope = self as unknown as { onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null; postMessage(reply: WorkerReply): void };

scope.onmessage = (event) => {
  const request = event.data;
  void (async (): Promise<unknown> => {
    if (request.op === 'load') {
      source = new LocalDataSource(parseDataResource(request.resource));
      return { columns: source.columns, rowCount: source.totalRows, warnings: source.table.warnings };
    }
    if (!source) throw new Error('No table loaded');
    switch (request.op) {
      case 'count': return source.count(request.view);
      case 'rows': return source.rows(request.view, request.offset, request.limit);
      case 'summary': return source.summary(request.view);
      case 'chart': return source.chart(request.view, request.request);
      case 'csv': return source.csv(request.view);
    }
  })().then(
    (result) => scope.postMessage({ id: request.id, ok: true, result }),
    (error: unknown) => scope.postMessage({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
};
