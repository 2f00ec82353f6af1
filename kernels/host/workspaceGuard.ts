import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { JsonValue } from '../../src/jupyter/messages';
import type { IKernelService, INotebookFileService, IRunService, RunRequest } from '../../src/host/contract';
import { Event } from '../../src/base/event';
import { ErrorCode, QuireError } from '../../src/errors';
import { anchorOutputTemplate } from '../../src/parameterize/runOutputLocation';

/**
 * Keeps a host's file, kernel and run services inside one workspace folder. The browser host
 * uses it: any page that gets the token must still not read or write outside the folder it was
 * started on. Symlinks are resolved before the check, so a link pointing out is refused too.
 */
export class WorkspaceGuard {
  private readonly _realRoot: string;

  constructor(readonly root: string) {
    this._realRoot = realpathNearest(resolve(root));
  }

  /** The absolute path for `path` (relative paths are taken from the root), or a thrown UNAUTHORIZED. */
  check(path: string): string {
    if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
      throw new QuireError(ErrorCode.InvalidArgument, 'A path must be a non-empty string');
    }
    const absolute = resolve(this.root, path);
    if (!this.contains(absolute)) {
      throw new QuireError(ErrorCode.Unauthorized, `${path} is outside the workspace folder ${this.root}`, { path, root: this.root });
    }
    return absolute;
  }

  /** True when `path` (after resolving symlinks of its existing part) lies in the root. */
  contains(path: string): boolean {
    const real = realpathNearest(resolve(this.root, path));
    const rel = relative(this._realRoot, real);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  }
}

/** realpath of the longest existing prefix, with the rest appended (for files not yet written). */
function realpathNearest(path: string): string {
  let head = path;
  const tail: string[] = [];
  for (;;) {
    try {
      return resolve(realpathSync.native(head), ...tail);
    } catch {
      const parent = dirname(head);
      if (parent === head) return path;
      tail.unshift(head.slice(parent.length).replace(/^[\\/]/, ''));
      head = parent;
    }
  }
}

/** The file service with every path argument checked; recent files outside the root are hidden. */
export function guardFileService(files: INotebookFileService, guard: WorkspaceGuard): INotebookFileService {
  return {
    getWorkspace: async () => files.getWorkspace(),
    readNotebook: async (path) => files.readNotebook(guard.check(path)),
    readNotebookHead: async (path, options) => files.readNotebookHead(guard.check(path), options),
    writeNotebook: async (path, notebook, options) => files.writeNotebook(guard.check(path), notebook, options),
    validateNotebook: async (notebook) => files.validateNotebook(notebook),
    stat: async (path) => files.stat(guard.check(path)),
    listDirectory: async (path, options) => files.listDirectory(guard.check(path), options),
    createNotebook: async (dir, name) => files.createNotebook(checkIn(guard, dir, name), name ?? undefined),
    createFolder: async (dir, name) => files.createFolder(checkIn(guard, dir, name), name ?? undefined),
    renamePath: async (from, to) => files.renamePath(guard.check(from), guard.check(to)),
    duplicate: async (path) => files.duplicate(guard.check(path)),
    trashPath: async (path) => files.trashPath(guard.check(path)),
    deletePath: async (path) => files.deletePath(guard.check(path)),
    readImage: async (path) => files.readImage(guard.check(path)),
    getRecentFiles: async () => (await files.getRecentFiles()).filter((p) => guard.contains(p)),
    addRecentFile: async (path) => files.addRecentFile(guard.check(path)),
    saveRecovery: async (path, entry) => files.saveRecovery(guard.check(path), entry),
    readRecovery: async (path) => files.readRecovery(guard.check(path)),
    discardRecovery: async (path) => files.discardRecovery(guard.check(path)),
    watchNotebook: async (path) => files.watchNotebook(guard.check(path)),
    unwatchNotebook: async (path) => files.unwatchNotebook(guard.check(path)),
    onDidChangeNotebookFile: Event.filter(files.onDidChangeNotebookFile, (change) => guard.contains(change.path)),
  };
}

/** The folder `dir`, checked, and the new entry `name` in it too (a name is one segment, but check anyway). */
function checkIn(guard: WorkspaceGuard, dir: string, name: string | undefined | null): string {
  const folder = guard.check(dir);
  if (typeof name === 'string' && name !== '') guard.check(join(folder, name));
  return folder;
}

/** The kernel service with kernels started only in folders inside the root. */
export function guardKernelService(kernels: IKernelService, guard: WorkspaceGuard): IKernelService {
  return {
    listKernelSpecs: async (options) => kernels.listKernelSpecs(options),
    findPythonInterpreters: async () => kernels.findPythonInterpreters(),
    startKernel: async (options) => kernels.startKernel({ ...options, cwd: options?.cwd === undefined ? guard.root : guard.check(options.cwd) }),
    listKernels: async () => kernels.listKernels(),
    sendMessage: async (id, msg) => kernels.sendMessage(id, msg),
    interrupt: async (id) => kernels.interrupt(id),
    restart: async (id) => kernels.restart(id),
    shutdown: async (id) => kernels.shutdown(id),
    onDidReceiveMessages: kernels.onDidReceiveMessages,
    onDidChangeStatus: kernels.onDidChangeStatus,
    onDidChangeKernelSpecs: kernels.onDidChangeKernelSpecs,
  };
}

/** The run service with input, output (after templating) and cwd kept inside the root. */
export function guardRunService(runs: IRunService, guard: WorkspaceGuard): IRunService {
  const checkRequest = (request: RunRequest): RunRequest => {
    if (typeof request !== 'object' || request === null) throw new QuireError(ErrorCode.InvalidArgument, 'A run request must be an object');
    const checked: RunRequest = { ...request, inputPath: guard.check(request.inputPath) };
    if (request.outputPath !== undefined) {
      checkTemplateParameters(request.outputPath, request.parameters ?? {});
      // Relative templates belong to the notebook's folder (as the run service and the app's
      // preview place them), not to the workspace root.
      checked.outputPath = guard.check(anchorOutputTemplate(request.outputPath, checked.inputPath));
    }
    checked.cwd = request.cwd === undefined ? undefined : guard.check(request.cwd);
    return checked;
  };
  return {
    startRun: async (request) => runs.startRun(checkRequest(request)),
    startBatch: async (requests, options) => {
      if (!Array.isArray(requests)) throw new QuireError(ErrorCode.InvalidArgument, 'startBatch takes an array of run requests');
      return runs.startBatch(requests.map(checkRequest), options);
    },
    cancelRun: async (id) => runs.cancelRun(id),
    // The run index lists runs from anywhere on this account: only those inside the root are shown.
    getRun: async (id) => {
      const info = await runs.getRun(id);
      if (!guard.contains(info.inputPath)) throw new QuireError(ErrorCode.RunNotFound, `No run '${id}'`, { runId: id });
      return info;
    },
    listRuns: async (filter) => (await runs.listRuns(filter)).filter((r) => guard.contains(r.inputPath)),
    onDidChangeRun: Event.filter(runs.onDidChangeRun, (info) => guard.contains(info.inputPath)),
    onDidRunOutput: runs.onDidRunOutput,
  };
}

/** A parameter substituted into an output path template must not add folders (`../x`). */
function checkTemplateParameters(template: string, parameters: Record<string, JsonValue>): void {
  for (const [, name] of template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    const value = parameters[name];
    if (value !== undefined && /[\\/]|^\.\.?$/.test(String(value))) {
      throw new QuireError(ErrorCode.Unauthorized, `Parameter ${name} would move the output path out of its folder`, { parameter: name });
    }
  }
}
