/**
 * One client of a shared host: what an Electron window is served. The app has one host (one
 * KernelManager, run service, settings, recent files) and every window is a client of it; what is
 * the window's own stays per client:
 *
 * - `files.getWorkspace()` describes the client's workspace: its folder and the notebook it opens;
 * - `native` is its window's (dialogs parented to it, its title, the menu commands sent to it);
 * - the kernels it starts are its to stop: `close()` (the window closed or reloaded) shuts them
 *   down, and leaves runs and other clients' kernels alone. Kernels without a `cwd` start in the
 *   client's folder. Its notebook watches (watchNotebook) end with `close()` too.
 *
 * Everything else (kernel messages and statuses, runs, settings) is the shared host's: every client
 * sees every kernel and run, as pages of one `quire serve` do.
 */
import { ErrorCode, QuireError } from '../../src/errors';
import { trackNotebookWatches } from '../files/notebookWatcher';
import type {
  HostApi, IKernelService, INativeHostService, INotebookFileService, KernelId, WorkspaceInfo,
} from '../../src/host/contract';

export interface HostClient extends HostApi {
  readonly workspace: WorkspaceInfo;
  /**
   * Shuts down the kernels started through this client (waiting for starts still under way) and
   * resolves when they have stopped; never rejects. Safe to call twice.
   */
  close(): Promise<void>;
}

export interface HostClientOptions {
  workspace: WorkspaceInfo;
  native?: INativeHostService;
}

/**
 * `service` with some members replaced; every other member is the service's own, methods bound to
 * it (so state they keep stays on the service, which an `Object.create(service)` facade would split).
 */
export function withOverrides<T extends object>(service: T, overrides: Partial<T>): T {
  return new Proxy(service, {
    get(target, key) {
      if (Object.prototype.hasOwnProperty.call(overrides, key)) return overrides[key as keyof T];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The client's view of `shared` (see the file comment). */
export function createHostClient(shared: HostApi, options: HostClientOptions): HostClient {
  const { workspace, native } = options;
  const started = new Set<KernelId>();
  const starting = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  const kernels: IKernelService = withOverrides(shared.kernels, {
    startKernel: (startOptions) => {
      const start = (async () => {
        const kernel = await shared.kernels.startKernel({ ...startOptions, cwd: startOptions?.cwd ?? workspace.root });
        if (closing) {
          // close() began while it started: nobody is left to use it.
          await shared.kernels.shutdown(kernel.id).catch(() => undefined);
          throw new QuireError(ErrorCode.RpcClosed, 'The window closed while its kernel was starting');
        }
        started.add(kernel.id);
        return kernel;
      })();
      starting.add(start);
      void start.catch(() => undefined).finally(() => starting.delete(start));
      return start;
    },
    shutdown: async (kernelId) => {
      await shared.kernels.shutdown(kernelId);
      started.delete(kernelId);
    },
  });
  // The window's notebook watches end with it, as its kernels do.
  const watches = trackNotebookWatches(shared.files);
  const files: INotebookFileService = withOverrides(watches.files, {
    getWorkspace: async () => ({ ...workspace }),
  });

  return {
    workspace,
    kernels,
    files,
    runs: shared.runs,
    settings: shared.settings,
    ...(native ? { native } : {}),
    close() {
      closing ??= (async () => {
        watches.release();
        await Promise.allSettled([...starting]);
        const ids = [...started];
        started.clear();
        await Promise.allSettled(ids.map((id) => shared.kernels.shutdown(id)));
      })();
      return closing;
    },
  };
}
