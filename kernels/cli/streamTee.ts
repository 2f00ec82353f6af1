/**
 * `--stdout-file` / `--stderr-file`: copies the cells' stdout and stderr streams to files as they
 * arrive (papermill's tee), each written through at once so `tail -f` follows the run. The files
 * are created (emptied) when the run starts, so a file from an earlier run never passes for this
 * run's. `-` is Quire's own stdout.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeFsError } from '../files/atomicWrite';
import { STDIO_PATH } from './runArgs';

export type StreamName = 'stdout' | 'stderr';

export class StreamTee {
  private readonly _fds = new Map<StreamName, number>();
  private readonly _toStdout = new Set<StreamName>();
  private readonly _failed = new Set<StreamName>();

  /** Opens (truncates) the files; throws a clear error when one cannot be created. */
  constructor(files: Partial<Record<StreamName, string>>, private readonly _onError: (message: string) => void) {
    try {
      for (const [name, path] of Object.entries(files) as Array<[StreamName, string | undefined]>) {
        if (path === undefined) continue;
        if (path === STDIO_PATH) {
          this._toStdout.add(name);
          continue;
        }
        try {
          mkdirSync(dirname(path), { recursive: true });
          this._fds.set(name, openSync(path, 'w'));
        } catch (error) {
          throw new Error(`Cannot write --${name}-file ${path}: ${describeFsError(error)}`, { cause: error });
        }
      }
    } catch (error) {
      this.close();
      throw error;
    }
  }

  write(name: StreamName, text: string): void {
    if (this._toStdout.has(name)) {
      process.stdout.write(text);
      return;
    }
    const fd = this._fds.get(name);
    if (fd === undefined || this._failed.has(name)) return;
    try {
      writeSync(fd, text);
    } catch (error) {
      // One message, then the run goes on without this copy (the notebook still has the output).
      this._failed.add(name);
      this._onError(`Stopped copying ${name} to its file: ${describeFsError(error)}`);
    }
  }

  close(): void {
    for (const fd of this._fds.values()) closeSync(fd);
    this._fds.clear();
  }
}
