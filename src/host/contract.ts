/**
 * The typed host API: the renderer's only door to the outside world. One contract, two
 * transports (Electron IPC, loopback WebSocket). Rules: every method returns a Promise; every
 * event is an `onX` property; arguments and results are JSON data (no classes or functions).
 */
import type { Event } from '../base/event';
import type { BaseMessage, JsonObject, JsonValue, LanguageInfo } from '../jupyter/messages';
import type { Cell, Notebook, NotebookMetadata, Output } from '../jupyter/nbformat';
import type { JsonLocation } from '../errors';
import type { Settings, SettingsState } from '../settings/settings';

// --- kernels ----------------------------------------------------------------------------------

export type KernelId = string;

export interface KernelSpecInfo {
  /** The spec's directory name, e.g. `python3`. */
  name: string;
  displayName: string;
  language: string;
  /** The command line (local specs; a remote provider may not say). */
  argv?: string[];
  env?: Record<string, string>;
  interruptMode: 'signal' | 'message';
  metadata: JsonObject;
  /** The folder holding kernel.json (local specs). */
  resourceDir?: string;
  /** Where a local spec was found: `JUPYTER_PATH`, `user`, `system`, or `environment` (a venv/conda prefix). */
  source?: 'JUPYTER_PATH' | 'user' | 'system' | 'environment';
  status: 'ok' | 'broken';
  /** Why a broken spec cannot start, e.g. its interpreter does not exist. */
  problem?: string;
  /** argv[0] resolved to an absolute path (PATH, or an environment's bin/), when it exists. */
  executable?: string;
  /** Resource dirs of same-named specs later in the search path that this one hides. */
  shadows?: string[];
}

/** `unresponsive`: no heartbeat for about a second; it goes back to idle/busy when beats return. */
export type KernelStatus = 'starting' | 'idle' | 'busy' | 'restarting' | 'unresponsive' | 'dead' | 'terminated';

export interface RunningKernel {
  id: KernelId;
  specName: string;
  displayName: string;
  language: string;
  cwd: string;
  status: KernelStatus;
  pid?: number;
  /** From the kernel_info handshake. */
  languageInfo?: LanguageInfo;
  implementation?: string;
  startedAt: string;
}

export interface StartKernelOptions {
  specName: string;
  /** Working directory of the kernel process; defaults to the host's workspace root. */
  cwd?: string;
  /** Extra environment prefixes (venv/conda) to search for the spec. */
  environments?: string[];
  /** Seconds to wait for the kernel_info handshake (default 60). */
  startTimeoutSec?: number;
}

export interface KernelStatusEvent {
  kernelId: KernelId;
  status: KernelStatus;
  /** Why it changed, for unresponsive, dead and terminated kernels. */
  reason?: string;
  /** The last lines the kernel wrote to stderr, when it died. */
  stderrTail?: string[];
}

/** Messages are delivered in batches (one per host tick) so that output floods stay cheap. */
export interface KernelMessagesEvent {
  kernelId: KernelId;
  messages: BaseMessage[];
}

/** A Python interpreter on the host's PATH, and what to type to give it a Jupyter kernel. */
export interface PythonInterpreterInfo {
  /** As found on PATH (what the user types). */
  path: string;
  /** With symlinks resolved. */
  realPath: string;
  /** `sys.version`'s first word, e.g. `3.11.2`. */
  version: string;
  hasIpykernel: boolean;
  inVenv: boolean;
  /**
   * Shell commands to run in order: install ipykernel (apt-get for Debian's python3, pip otherwise)
   * and register its kernelspec; only the registration when it has ipykernel.
   */
  installCommands: string[];
}

/** The kernelspecs after a change on disk (the default search, as `listKernelSpecs()` returns them). */
export interface KernelSpecsChangedEvent {
  specs: KernelSpecInfo[];
}

export interface IKernelService {
  listKernelSpecs(options?: { environments?: string[] }): Promise<KernelSpecInfo[]>;
  /**
   * Every distinct `python3`, `python3.X` and `python` on the host's PATH that runs (each asked
   * with a 5 s limit), in PATH order, for the "no kernel was found" advice.
   */
  findPythonInterpreters(): Promise<PythonInterpreterInfo[]>;
  /** Starts a kernel and resolves once its kernel_info handshake succeeded. */
  startKernel(options: StartKernelOptions): Promise<RunningKernel>;
  listKernels(): Promise<RunningKernel[]>;
  /** Sends a shell, control or stdin message (by `msg.channel`). Replies arrive on onDidReceiveMessages. */
  sendMessage(kernelId: KernelId, msg: BaseMessage): Promise<void>;
  /** Interrupts by signal or interrupt_request, as the kernelspec says. */
  interrupt(kernelId: KernelId): Promise<void>;
  restart(kernelId: KernelId): Promise<RunningKernel>;
  shutdown(kernelId: KernelId): Promise<void>;
  readonly onDidReceiveMessages: Event<KernelMessagesEvent>;
  readonly onDidChangeStatus: Event<KernelStatusEvent>;
  /**
   * When the list of kernelspecs changed: a kernel was installed (`ipykernel install --user`,
   * apt-get), edited or removed while the host runs. Fires only for an actual change of the list.
   */
  readonly onDidChangeKernelSpecs: Event<KernelSpecsChangedEvent>;
}

// --- files ------------------------------------------------------------------------------------

export interface NotebookDocument {
  path: string;
  notebook: Notebook;
  /** Modification time when read; pass it back to writeNotebook to detect changes on disk. */
  mtimeMs: number;
  size: number;
  /**
   * SHA-256 (hex) of the bytes read. Pass it back as `expectedContentHash` so a save notices any
   * change on disk, also one that kept the mtime.
   */
  contentHash?: string;
  /** Problems the schema found that did not stop reading (the notebook still opens). */
  warnings: ValidationProblem[];
}

/**
 * The first cells of a notebook file, read without reading or parsing the rest (readNotebookHead):
 * enough for a first screen while the whole file is still being read. For display only: the cells
 * are not validated or repaired and carry no content hash, so a head is never a document that can
 * be edited or saved; the NotebookDocument of readNotebook is.
 */
export interface NotebookHead {
  path: string;
  /** Whole cells from the start of the file, as written there. */
  cells: Cell[];
  /** `cells` is every cell of the file. */
  complete: boolean;
  /** Present when the file has them before its cells (Jupyter writes them after: sorted keys). */
  metadata?: NotebookMetadata;
  nbformat?: number;
  nbformat_minor?: number;
  /** The file's size and modification time when the head was read. */
  size: number;
  mtimeMs: number;
}

export interface ReadNotebookHeadOptions {
  /** At most this many cells (default 50). */
  maxCells?: number;
  /** Read at most this many bytes from the start of the file (default 2 MB); cells beyond are left out. */
  maxBytes?: number;
}

export interface ValidationProblem {
  message: string;
  location: JsonLocation;
  /** Absent: the notebook breaks the schema. `warning`: worth saying, but valid (e.g. a newer nbformat minor). */
  severity?: 'warning';
}

export interface WriteNotebookOptions {
  /** When set and the file's mtime differs, the write fails with FILE_CHANGED_ON_DISK. */
  expectedMtimeMs?: number;
  /**
   * SHA-256 (hex) of the file as this client last read or wrote it. When set and the file's bytes
   * differ, the write fails with FILE_CHANGED_ON_DISK; when set and the file is gone (deleted or
   * renamed), it fails with FILE_DELETED instead of recreating it.
   */
  expectedContentHash?: string;
  /** When false and the file exists, the write fails with FILE_EXISTS. Default true. */
  overwrite?: boolean;
  /**
   * Replace an existing file even though it is not a readable notebook. Without it such a write fails
   * with WRITE_FAILED and `details.reason: 'existingFileNotNotebook'`; ask the user before setting it.
   */
  replaceUnparseable?: boolean;
}

export interface FileStat {
  path: string;
  exists: boolean;
  kind?: 'file' | 'directory';
  mtimeMs?: number;
  size?: number;
  /** SHA-256 (hex) of the bytes written, returned by writeNotebook. */
  contentHash?: string;
}

export interface DirectoryEntry {
  name: string;
  path: string;
  kind: 'file' | 'directory';
  isNotebook: boolean;
  mtimeMs: number;
}

/** Where `trashPath` put an entry. */
export interface TrashResult {
  /** The path that was trashed. */
  path: string;
  /** Where it is now, e.g. `~/.local/share/Trash/files/a.2.ipynb`. */
  trashedTo: string;
  /** The trash folder used (the home trash, or a disk's `.Trash-$uid`). */
  trash: string;
}

export interface ListDirectoryOptions {
  /** Also list files that are not notebooks (hidden ones stay hidden). Default false. */
  allFiles?: boolean;
}

export interface WorkspaceInfo {
  /** The folder the host serves; the browser host's file picker stays inside it. */
  root: string;
  /** A notebook or folder to open at start (`quire serve PATH`, `npm start -- PATH`). */
  openPath?: string;
  homeDir: string;
  platform: string;
  /** Which shell hosts the renderer. */
  shell: 'electron' | 'browser';
}

/** An image file's bytes, for showing it (markdown `![plot](figures/plot.png)`). */
export interface ImageFileContent {
  /** From the file's content: image/png, image/jpeg, image/gif, image/webp, image/svg+xml, image/bmp or image/x-icon. */
  mime: string;
  dataBase64: string;
}

/**
 * Unsaved edits of one notebook, journaled while they are not on disk so that a closed page, a
 * crashed browser or a restarted app loses nothing: the next open of the notebook offers them back.
 */
export interface RecoveryEntry {
  /** The notebook's absolute path (the host sets it from the path it was asked about). */
  path: string;
  notebook: Notebook;
  /** The file's mtime and content hash the edits were based on: the restored save checks them. */
  mtimeMs?: number;
  contentHash?: string;
  /** When the entry was written (epoch ms, the page's clock). */
  savedAt: number;
}

/** What `watchNotebook` found on disk when the watch began. */
export interface NotebookWatchState {
  /** The absolute path watched (events carry this path). */
  path: string;
  exists: boolean;
  mtimeMs?: number;
  /** SHA-256 (hex) of the bytes, as readNotebook and writeNotebook report it. */
  contentHash?: string;
}

/** A watched notebook changed on disk (`changed`: its bytes differ from the last ones known) or is gone. */
export interface NotebookFileChange {
  path: string;
  kind: 'changed' | 'deleted';
  /** For `changed`: the new bytes' modification time and SHA-256 (hex). */
  mtimeMs?: number;
  contentHash?: string;
}

export interface INotebookFileService {
  getWorkspace(): Promise<WorkspaceInfo>;
  /**
   * Fails with NOTEBOOK_PARSE_ERROR / NOTEBOOK_UNSUPPORTED_VERSION (details.location) without touching
   * the file; INVALID_ARGUMENT with `details.reason` `notAFile` (a folder, FIFO, socket or device) or
   * `tooLarge` (over the host's limit, default 100 MB: `details.size`, `details.limit`).
   */
  readNotebook(path: string): Promise<NotebookDocument>;
  /**
   * The first cells of a notebook, for showing them before readNotebook of a large file answers: only
   * the start of the file is read and only whole cells in it are parsed. Null when that start does not
   * look like a notebook (readNotebook says why). Fails as readNotebook does for the path itself
   * (NOT_FOUND; INVALID_ARGUMENT `notAFile`, `tooLarge`; UNAUTHORIZED outside the browser host's
   * workspace).
   */
  readNotebookHead(path: string, options?: ReadNotebookHeadOptions): Promise<NotebookHead | null>;
  /**
   * Atomic write in Jupyter's canonical form; returns the new mtime and contentHash. Saves of one file
   * are serialized (also across processes), so of two saves from the same version with
   * `expectedContentHash`, the second fails with FILE_CHANGED_ON_DISK.
   */
  writeNotebook(path: string, notebook: Notebook, options?: WriteNotebookOptions): Promise<FileStat>;
  validateNotebook(notebook: Notebook): Promise<ValidationProblem[]>;
  stat(path: string): Promise<FileStat>;
  /** Folders and notebooks (every regular file with `allFiles`), hidden names skipped, folders first, natural order. */
  listDirectory(path: string, options?: ListDirectoryOptions): Promise<DirectoryEntry[]>;
  /**
   * Creates an empty notebook (nbformat 4.5, one code cell) in the folder `dir`: named `name`
   * (`.ipynb` added when missing; FILE_EXISTS when taken), else the first free of `Untitled.ipynb`,
   * `Untitled1.ipynb`, … taken with an exclusive create, so two calls at once get two names.
   * NOT_FOUND when `dir` does not exist; INVALID_ARGUMENT `reason: 'badName'` for a name that is
   * not one path segment.
   */
  createNotebook(dir: string, name?: string): Promise<FileStat>;
  /** Creates a folder in `dir`: `name` (FILE_EXISTS when taken), else `Untitled Folder`, `Untitled Folder 1`, … */
  createFolder(dir: string, name?: string): Promise<FileStat>;
  /**
   * Renames or moves a file or folder; never replaces: FILE_EXISTS when `to` exists, NOT_FOUND when
   * `from` does not, INVALID_ARGUMENT for the workspace root or a folder into itself. Waits for a
   * save of the same notebook in progress; a later save of the old path fails with FILE_DELETED.
   */
  renamePath(from: string, to: string): Promise<FileStat>;
  /** Copies a file beside itself as JupyterLab does: `a.ipynb` → `a-Copy1.ipynb`, `a-Copy2.ipynb`, … (folders: INVALID_ARGUMENT). */
  duplicate(path: string): Promise<FileStat>;
  /**
   * Moves a file or folder to the system trash (freedesktop Trash spec on Linux, `~/.Trash` on
   * macOS). NOT_FOUND when missing; WRITE_FAILED with `details.reason: 'noTrash'` (and `why`) when
   * there is no trash for it (Windows, another disk without one): ask, then `deletePath`.
   */
  trashPath(path: string): Promise<TrashResult>;
  /**
   * Deletes for good, for when there is no trash and the user said so: a file or an empty folder
   * (a folder with content: INVALID_ARGUMENT `reason: 'notEmpty'`). NOT_FOUND when missing.
   */
  deletePath(path: string): Promise<void>;
  /**
   * Reads an image for display: only PNG, JPEG, GIF, WebP, SVG, BMP and ICO files (by name and
   * content), at most 20 MB. Fails with NOT_FOUND, or INVALID_ARGUMENT and `details.reason`
   * `notAnImage` / `tooLarge`; in the browser host, UNAUTHORIZED outside the workspace. SVG comes back
   * as written: show it only through `<img>` (where it cannot run scripts) or sanitize it first.
   */
  readImage(path: string): Promise<ImageFileContent>;
  getRecentFiles(): Promise<string[]>;
  addRecentFile(path: string): Promise<void>;
  /**
   * Keeps `entry` as the unsaved edits of the notebook at `path` (its `path` field is ignored): one
   * file per notebook under the user's data folder, written atomically and readable by the user only.
   * Fails with INVALID_ARGUMENT for an entry that is not a notebook or is over the size limit;
   * in the browser host, UNAUTHORIZED outside the workspace.
   */
  saveRecovery(path: string, entry: RecoveryEntry): Promise<void>;
  /** The kept edits of the notebook at `path`, or null (none, or an entry that does not read back). */
  readRecovery(path: string): Promise<RecoveryEntry | null>;
  /** Forgets the kept edits of the notebook at `path` (saved or discarded); none is fine. */
  discardRecovery(path: string): Promise<void>;
  /**
   * Starts telling onDidChangeNotebookFile about changes of the notebook at `path` on disk, and says
   * what is there now (compare its hash with the one read: a change may have come in between).
   * Watches are counted: each needs its unwatchNotebook (a client that goes away has its watches
   * ended). NOT_FOUND when the notebook's folder does not exist; UNAUTHORIZED outside the browser
   * host's workspace.
   */
  watchNotebook(path: string): Promise<NotebookWatchState>;
  /** Ends one watchNotebook of `path`, with the same path string; one that was not watched is fine. */
  unwatchNotebook(path: string): Promise<void>;
  /**
   * A watched notebook's bytes changed (another program, another window's save through this host:
   * its hash is the new one, compare it with your own) or the file is gone. Fires only when the hash
   * differs from the last one the host knew, a short time (about 100 ms) after the change settled.
   * Every client gets every watched path's events: filter by `path`.
   */
  readonly onDidChangeNotebookFile: Event<NotebookFileChange>;
}

// --- runs (papermill-style) -------------------------------------------------------------------

export type RunStatus = 'queued' | 'starting' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface RunRequest {
  inputPath: string;
  /** A path template: `{notebook}`, any `{parameter}`, `{timestamp}`, `{run_id}`. */
  outputPath?: string;
  parameters: Record<string, JsonValue>;
  kernelName?: string;
  language?: string;
  cwd?: string;
  startTimeoutSec?: number;
  executionTimeoutSec?: number;
  reportMode?: boolean;
  /** Replace an existing output notebook; otherwise an existing output is an error. */
  overwrite?: boolean;
}

export interface RunError {
  cellIndex?: number;
  executionCount?: number | null;
  ename: string;
  evalue: string;
  message: string;
}

/**
 * The process that ran a run: a Quire app (this host or another window's: `app`) or `quire run`
 * in a terminal or scheduler (`cli`), with its pid and machine, as the run index records them.
 */
export interface RunOrigin {
  host: 'app' | 'cli';
  pid: number;
  hostname: string;
}

export interface RunInfo {
  runId: string;
  inputPath: string;
  outputPath: string;
  parameters: Record<string, JsonValue>;
  kernelName: string;
  status: RunStatus;
  startTime?: string;
  endTime?: string;
  durationSec?: number;
  /** Cells counted as papermill does (all cells). */
  totalCells: number;
  completedCells: number;
  currentCellIndex?: number;
  error?: RunError;
  /** Values recorded with scrapbook's glue, by name. */
  scraps?: Record<string, JsonValue>;
  /** Where it ran; absent for a run known only from its output notebook. */
  origin?: RunOrigin;
}

export interface RunOutputEvent {
  runId: string;
  cellIndex: number;
  output: Output;
}

export interface IRunService {
  startRun(request: RunRequest): Promise<RunInfo>;
  /** Runs several parameter sets, at most `concurrency` at once (default: the number of cores). */
  startBatch(requests: RunRequest[], options?: { concurrency?: number }): Promise<RunInfo[]>;
  cancelRun(runId: string): Promise<void>;
  getRun(runId: string): Promise<RunInfo>;
  /** Runs known to the host, newest first; with inputPath, only that notebook's runs. */
  listRuns(filter?: { inputPath?: string }): Promise<RunInfo[]>;
  readonly onDidChangeRun: Event<RunInfo>;
  readonly onDidRunOutput: Event<RunOutputEvent>;
}

// --- settings ---------------------------------------------------------------------------------

/**
 * The user's settings file (`settings.json` in the config folder). One service per host; every
 * client of the host sees the same state, and an edit of the file on disk reaches them too.
 */
export interface ISettingsService {
  /** The settings in force, the file's problems, its path, and whether it can be written. */
  get(): Promise<SettingsState>;
  /**
   * Sets the given keys and writes the file atomically, keeping every other key (unknown ones too).
   * Fails with INVALID_ARGUMENT for unknown keys or bad values (nothing changes), and with
   * WRITE_FAILED when the file does not parse (`details.reason: 'unparseable'`, the file is left
   * as it is) or cannot be written (`details.reason: 'writeFailed'`); in both WRITE_FAILED cases
   * the change still applies for this session (onDidChange says so with `saveError`).
   */
  update(partial: Partial<Settings>): Promise<SettingsState>;
  /** After an update from any client, and after the file changed on disk. */
  readonly onDidChange: Event<SettingsState>;
}

// --- native (Electron only) -------------------------------------------------------------------

export interface FileDialogOptions {
  title?: string;
  defaultPath?: string;
  filters?: Array<{ name: string; extensions: string[] }>;
}

export interface DocumentState {
  path?: string;
  title: string;
  edited: boolean;
}

/** Only the Electron shell provides this; the renderer checks `host.native` before using it. */
export interface INativeHostService {
  showOpenDialog(options: FileDialogOptions): Promise<string | undefined>;
  showSaveDialog(options: FileDialogOptions): Promise<string | undefined>;
  openExternal(url: string): Promise<void>;
  setDocumentState(state: DocumentState): Promise<void>;
  /** Menu items and OS events (open-file) arrive as commands from the command registry. */
  readonly onDidRequestCommand: Event<{ command: string; args?: JsonValue }>;
}

// --- lifecycle (browser host) ----------------------------------------------------------------

/** The host's own comings and goings, for pages that must act before it goes (`quire serve`). */
export interface ILifecycleService {
  /**
   * The host is stopping (SIGTERM/SIGINT): save what is unsaved now, then close the connection.
   * The host waits a short, bounded time for its pages to close before it exits.
   */
  readonly onWillShutdown: Event<{ reason: string }>;
}

export interface HostApi {
  kernels: IKernelService;
  files: INotebookFileService;
  runs: IRunService;
  settings: ISettingsService;
  native?: INativeHostService;
  /** Only the browser host provides this; Electron's window close has its own path. */
  lifecycle?: ILifecycleService;
}
