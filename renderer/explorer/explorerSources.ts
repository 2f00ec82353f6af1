/**
 * How the explorer epics open data sources and hand files to the user. The sources are live
 * handles (a parsed table, a worker, a kernel frame): the epics hold them for as long as the
 * explorer is open; only their shape (`SourceInfo`) enters the store. Tests pass their own.
 */
import { parseDataResource } from '../../src/explorer/dataresource';
import type { ExplorerKernel } from '../../src/explorer/protocol';
import { KernelDataSource, LocalDataSource, type ExplorerDataSource } from './dataSource';
import { downloadBlob } from './download';
import { WORKER_ROW_THRESHOLD, WorkerDataSource } from './workerDataSource';

/** The output's own rows as a source, and what the user should know about them. */
export interface LocalSource {
  source: ExplorerDataSource;
  warnings: readonly string[];
  /** Stops the worker, if the table lives in one. */
  dispose?(): void;
}

export interface ExplorerServices {
  /** Parses the output's rows: in the window for ordinary outputs, in a worker for big ones. Rejects when the output is not a table. */
  openLocal(resource: unknown): Promise<LocalSource>;
  /** The live frame in the kernel; rejects (ExplorerQueryError) when it is gone. */
  connectKernel(kernel: ExplorerKernel, frameId: string): Promise<ExplorerDataSource>;
  /** Saves a file for the user (the CSV export). */
  download(blob: Blob, name: string): void;
}

function rowsIn(resource: unknown): number {
  const data = (resource as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? data.length : 0;
}

function parseHere(resource: unknown): LocalSource {
  const table = parseDataResource(resource);
  return { source: new LocalDataSource(table), warnings: table.warnings };
}

/** Opens the output's rows: more than WORKER_ROW_THRESHOLD rows are parsed and queried in a worker, so nothing blocks the window. */
async function openLocal(resource: unknown): Promise<LocalSource> {
  if (rowsIn(resource) > WORKER_ROW_THRESHOLD && WorkerDataSource.supported) {
    try {
      const source = await WorkerDataSource.create(resource);
      return { source, warnings: source.warnings, dispose: () => source.dispose() };
    } catch {
      // A worker that cannot start still leaves the window's own parser.
    }
  }
  return parseHere(resource);
}

export const browserExplorerServices: ExplorerServices = {
  openLocal,
  connectKernel: (kernel, frameId) => KernelDataSource.connect(kernel, frameId),
  download: downloadBlob,
};
