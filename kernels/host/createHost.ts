import { homedir, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { userConfigDir } from './configDir';
import type { IDisposable } from '../../src/base/lifecycle';
import type {
  HostApi, IKernelService, INativeHostService, INotebookFileService, IRunService, WorkspaceInfo,
} from '../../src/host/contract';
import { KernelManager } from '../kernelManager';
import { LocalKernelProvider } from '../localKernelProvider';
import { KernelService } from './kernelService';
import { NotebookFileService } from './notebookService';
import { RunIndex } from '../runIndex/runIndex';
import { RunService } from './runService';
import { SettingsService } from './settingsService';
import { createHostClient, type HostClient, withOverrides } from './hostClient';
import { guardFileService, guardKernelService, guardRunService, WorkspaceGuard } from './workspaceGuard';

/** How a host is wired. One host serves every connection of one shell process. */
export interface CreateHostOptions {
  /** The workspace folder (kernels start here; the browser host's files stay inside it). */
  root: string;
  /** A notebook or folder to open at start. */
  openPath?: string;
  shell: 'electron' | 'browser';
  /** Where settings, recent files and other state live; default `userConfigDir()` (configDir.ts). */
  configDir?: string;
  /** Electron's dialogs and menus; the browser host has none. */
  native?: INativeHostService;
  /** Keep paths inside `root`. Default: true for the browser host, false for Electron. */
  restrictToRoot?: boolean;
  /** Larger notebooks are refused (default: `QUIRE_MAX_NOTEBOOK_MB`, else 100 MB). */
  maxNotebookBytes?: number;
  /** Quire's per-user data folder (run index in `run-index/`, unsaved-edit journal in `recovery/`); default `quireDataDir()`. */
  dataDir?: string;
}

/** One client's own part of the workspace (see hostClient.ts). */
export interface ConnectClientOptions {
  /** The client's folder (its `getWorkspace().root`, its kernels' default cwd); default the host's root. */
  root?: string;
  /** The notebook or folder the client opens (its `getWorkspace().openPath`). */
  openPath?: string;
  /** The client's window's dialogs and menus. */
  native?: INativeHostService;
}

/** A client of the host that can read its notebook ahead (see QuireHost.readAheadOpenNotebook). */
export interface QuireHostClient extends HostClient {
  readAheadOpenNotebook(): void;
}

/** The host services plus their owner's controls. */
export interface QuireHost extends HostApi, IDisposable {
  readonly workspace: WorkspaceInfo;
  /**
   * A client view for one window of a host that serves several (Electron: one host per app, each
   * window a client): its own workspace answer, `native`, and kernels that stop with `close()`.
   */
  connectClient(options: ConnectClientOptions): QuireHostClient;
  /**
   * Shuts every kernel down gracefully (clients' `close()` under way included), then disposes the
   * host. Safe to call twice.
   */
  shutdown(): Promise<void>;
  /**
   * Starts reading the notebook the page will open (`openPath`, when it is a `.ipynb`), so its first
   * request finds it parsed. Shells call it once the page is on its way (the browser or window is
   * starting), when the process would otherwise idle.
   */
  readAheadOpenNotebook(): void;
  /**
   * Settles when the start-up cleaning of save leftovers (in the workspace root and the opened
   * notebook's folder) is done; it runs in the background and never fails.
   */
  readonly leftoversCleaned: Promise<void>;
}

/** Default folder for Quire's own state and settings (see configDir.ts). */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return userConfigDir(env);
}

/**
 * Builds the kernel, file, run and settings services and wires them into one HostApi. Every shell (Electron
 * main, `quire serve`, tests) serves this object with `serveHost(protocol, host)`; nothing here
 * knows about transports.
 */
export function createHost(options: CreateHostOptions): QuireHost {
  const root = resolve(options.root);
  const workspace: WorkspaceInfo = {
    root,
    ...(options.openPath ? { openPath: resolve(root, options.openPath) } : {}),
    homeDir: homedir(),
    platform: platform(),
    shell: options.shell,
  };
  const _configDir = options.configDir ?? defaultConfigDir();

  // One KernelManager per host: interactive kernels and run kernels alike stop with the host.
  const manager = new KernelManager({ defaultCwd: root });
  // Everything else reaches kernels through the provider port (src/kernels/kernelProvider.ts).
  const provider = new LocalKernelProvider(manager);
  const kernels: IKernelService & IDisposable = new KernelService(provider);
  const fileService = new NotebookFileService({
    root,
    openPath: options.openPath,
    shell: options.shell,
    configDir: _configDir,
    restrictToRoot: options.restrictToRoot ?? options.shell === 'browser',
    maxNotebookBytes: options.maxNotebookBytes,
    ...(options.dataDir ? { recoveryDir: join(options.dataDir, 'recovery') } : {}),
  });
  // Temp and lock files that killed saves left (see saveLeftovers.ts), where this host works.
  const cleanFolders = new Set([root, ...(workspace.openPath ? [workspace.openPath.endsWith('.ipynb') ? dirname(workspace.openPath) : workspace.openPath] : [])]);
  const leftoversCleaned = Promise.all([...cleanFolders].map((folder) => fileService.cleanLeftovers(folder))).then(() => undefined);
  const files: INotebookFileService & Partial<IDisposable> = fileService;
  const runs: IRunService & Partial<IDisposable> = new RunService({
    provider, runIndex: new RunIndex(options.dataDir ? { path: join(options.dataDir, 'run-index', 'runs.jsonl') } : {}), watchRunIndexMs: 500,
  });
  const settings = new SettingsService({ configDir: _configDir });

  // The workspace description is the host's own knowledge, whatever the file service says.
  const filesWithWorkspace: INotebookFileService = withOverrides(files, {
    getWorkspace: async () => ({ ...workspace }),
  });

  const restrict = options.restrictToRoot ?? options.shell === 'browser';
  const guard = restrict ? new WorkspaceGuard(root) : undefined;
  let disposed = false;
  let shuttingDown: Promise<void> | undefined;
  /** Clients' close() calls still shutting their kernels down. */
  const closing = new Set<Promise<void>>();

  const dispose = () => {
    if (disposed) return;
    disposed = true;
    for (const service of [settings, runs, files, kernels, provider, manager]) service.dispose?.();
  };

  const services: HostApi = {
    kernels: guard ? guardKernelService(kernels, guard) : kernels,
    files: guard ? guardFileService(filesWithWorkspace, guard) : filesWithWorkspace,
    runs: guard ? guardRunService(runs, guard) : runs,
    settings,
  };

  return {
    workspace,
    ...services,
    ...(options.native ? { native: options.native } : {}),
    leftoversCleaned,
    connectClient(clientOptions) {
      const clientRoot = resolve(root, clientOptions.root ?? root);
      const openPath = clientOptions.openPath ? resolve(clientRoot, clientOptions.openPath) : undefined;
      const client = createHostClient(services, {
        workspace: { root: clientRoot, ...(openPath ? { openPath } : {}), homeDir: workspace.homeDir, platform: workspace.platform, shell: workspace.shell },
        ...(clientOptions.native ? { native: clientOptions.native } : {}),
      });
      if (openPath) void fileService.cleanLeftovers(openPath.endsWith('.ipynb') ? dirname(openPath) : openPath);
      return {
        ...client,
        readAheadOpenNotebook() {
          if (openPath?.endsWith('.ipynb')) void fileService.readAhead(openPath);
        },
        close() {
          const done = client.close();
          closing.add(done);
          void done.finally(() => closing.delete(done));
          return done;
        },
      };
    },
    readAheadOpenNotebook() {
      if (workspace.openPath?.endsWith('.ipynb')) void fileService.readAhead(workspace.openPath);
    },
    shutdown() {
      shuttingDown ??= (async () => {
        try {
          await Promise.allSettled([...closing]);
          await manager.shutdownAll();
        } finally {
          dispose();
        }
      })();
      return shuttingDown;
    },
    dispose,
  };
}
