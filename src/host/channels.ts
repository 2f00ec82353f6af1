import { ChannelClient, ChannelServer } from '../ipc/channel';
import { assertRemotable, ProxyChannel, type Remote, type TypedChannelDescriptor } from '../ipc/proxy';
import type { IMessagePassingProtocol } from '../ipc/protocol';
import type { HostApi, IKernelService, ILifecycleService, INativeHostService, INotebookFileService, IRunService, ISettingsService } from './contract';

/** Channel names on the wire. */
export const HostChannel = {
  kernels: 'kernels',
  files: 'files',
  runs: 'runs',
  settings: 'settings',
  native: 'native',
  lifecycle: 'lifecycle',
} as const;

/** The Electron IPC channel that carries every RPC frame (one fixed, prefixed name). */
export const ELECTRON_RPC_CHANNEL = 'nb:rpc';

// The allow-lists the server dispatches to, with each method's maximum argument count. `satisfies`
// makes a method added to the contract but missing here a compile error.
export const kernelServiceDescriptor = {
  methods: { listKernelSpecs: 1, findPythonInterpreters: 0, startKernel: 1, listKernels: 0, sendMessage: 2, interrupt: 1, restart: 1, shutdown: 1 },
  events: ['onDidReceiveMessages', 'onDidChangeStatus', 'onDidChangeKernelSpecs'],
} as const satisfies TypedChannelDescriptor<IKernelService>;

export const fileServiceDescriptor = {
  methods: {
    getWorkspace: 0, readNotebook: 1, readNotebookHead: 2, writeNotebook: 3, validateNotebook: 1, stat: 1, listDirectory: 2, readImage: 1,
    getRecentFiles: 0, addRecentFile: 1, saveRecovery: 2, readRecovery: 1, discardRecovery: 1,
    createNotebook: 2, createFolder: 2, renamePath: 2, duplicate: 1, trashPath: 1, deletePath: 1,
    watchNotebook: 1, unwatchNotebook: 1,
  },
  events: ['onDidChangeNotebookFile'],
} as const satisfies TypedChannelDescriptor<INotebookFileService>;

export const runServiceDescriptor = {
  methods: { startRun: 1, startBatch: 2, cancelRun: 1, getRun: 1, listRuns: 1 },
  events: ['onDidChangeRun', 'onDidRunOutput'],
} as const satisfies TypedChannelDescriptor<IRunService>;

export const settingsServiceDescriptor = {
  methods: { get: 0, update: 1 },
  events: ['onDidChange'],
} as const satisfies TypedChannelDescriptor<ISettingsService>;

export const nativeHostDescriptor = {
  methods: { showOpenDialog: 1, showSaveDialog: 1, openExternal: 1, setDocumentState: 1 },
  events: ['onDidRequestCommand'],
} as const satisfies TypedChannelDescriptor<INativeHostService>;

export const lifecycleDescriptor = {
  methods: {},
  events: ['onWillShutdown'],
} as const satisfies TypedChannelDescriptor<ILifecycleService>;

assertRemotable<IKernelService>(true);
assertRemotable<ILifecycleService>(true);
assertRemotable<INotebookFileService>(true);
assertRemotable<IRunService>(true);
assertRemotable<ISettingsService>(true);
assertRemotable<INativeHostService>(true);

/** Serves a host's services on one connection. Returns the server (dispose it to detach). */
export function serveHost(protocol: IMessagePassingProtocol, host: HostApi): ChannelServer {
  const server = new ChannelServer(protocol);
  ProxyChannel.fromService(server, HostChannel.kernels, kernelServiceDescriptor, host.kernels);
  ProxyChannel.fromService(server, HostChannel.files, fileServiceDescriptor, host.files, requireStringPath);
  ProxyChannel.fromService(server, HostChannel.runs, runServiceDescriptor, host.runs);
  ProxyChannel.fromService(server, HostChannel.settings, settingsServiceDescriptor, host.settings);
  if (host.native) ProxyChannel.fromService(server, HostChannel.native, nativeHostDescriptor, host.native);
  if (host.lifecycle) ProxyChannel.fromService(server, HostChannel.lifecycle, lifecycleDescriptor, host.lifecycle);
  return server;
}

/** The renderer's HostApi over a connection. `native` and `lifecycle` are present only when the host says so. */
export function connectHostClient(protocol: IMessagePassingProtocol, options: { native: boolean; lifecycle?: boolean }): { host: HostApi; client: ChannelClient } {
  const client = new ChannelClient(protocol);
  const host: HostApi = {
    kernels: ProxyChannel.toService<IKernelService>(client, HostChannel.kernels, kernelServiceDescriptor),
    files: ProxyChannel.toService<INotebookFileService>(client, HostChannel.files, fileServiceDescriptor),
    runs: ProxyChannel.toService<IRunService>(client, HostChannel.runs, runServiceDescriptor),
    settings: ProxyChannel.toService<ISettingsService>(client, HostChannel.settings, settingsServiceDescriptor),
  };
  if (options.native) host.native = ProxyChannel.toService<INativeHostService>(client, HostChannel.native, nativeHostDescriptor);
  if (options.lifecycle) host.lifecycle = ProxyChannel.toService<ILifecycleService>(client, HostChannel.lifecycle, lifecycleDescriptor);
  return { host, client };
}

/** Remote<T> is structurally T for remotable services; this keeps the HostApi shape one type. */
export type RemoteHostApi = { [K in keyof HostApi]: Remote<NonNullable<HostApi[K]>> };

function requireStringPath(method: string, args: unknown[]): string | undefined {
  const takesPath = [
    'readNotebook', 'readNotebookHead', 'writeNotebook', 'stat', 'listDirectory', 'readImage', 'addRecentFile', 'saveRecovery', 'readRecovery', 'discardRecovery',
    'createNotebook', 'createFolder', 'renamePath', 'duplicate', 'trashPath', 'deletePath', 'watchNotebook', 'unwatchNotebook',
  ];
  if (takesPath.includes(method) && typeof args[0] !== 'string') return 'the first argument must be a path string';
  if (method === 'renamePath' && typeof args[1] !== 'string') return 'the second argument must be a path string';
  if ((method === 'createNotebook' || method === 'createFolder') && args[1] !== undefined && args[1] !== null && typeof args[1] !== 'string') return 'the name must be a string';
  return undefined;
}
