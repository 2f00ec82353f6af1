/**
 * `quire run` arguments: papermill's options (including `-p NAME VALUE` pairs, which
 * node:util parseArgs cannot express), the parameter merge order, and batch specifications.
 */
import { readFileSync } from 'node:fs';
import { ErrorCode, QuireError } from '../../src/errors';
import { parseYamlParameters, resolveCliValue } from '../../src/parameterize/cliValues';
import type { ParameterValue, Parameters } from '../../src/parameterize/translators';
import { expandGrid } from '../run/batchRunner';

export interface RunArgs {
  positionals: string[];
  /** Sources in the order given; merged by `mergeParameters` in papermill's order. */
  params: Array<[string, string]>;
  raw: Array<[string, string]>;
  yaml: string[];
  files: string[];
  base64: string[];
  injectInputPath: boolean;
  injectOutputPath: boolean;
  kernel?: string;
  language?: string;
  cwd?: string;
  logOutput: boolean;
  progressBar?: boolean;
  logLevel: string;
  /** Files the cells' stdout / stderr streams are copied to (`-`: Quire's stdout). */
  stdoutFile?: string;
  stderrFile?: string;
  /** papermill's --engine; only its default engine exists here (see ENGINES). */
  engine?: string;
  /** papermill's --request-save-on-cell-execute (default on): write OUTPUT while the run goes. */
  requestSave: boolean;
  /** papermill's --autosave-cell-every, in seconds (default 30; 0: outputs never cause a write). */
  autosaveCellEvery: number;
  startTimeout: number;
  executionTimeout?: number;
  prepareOnly: boolean;
  reportMode: boolean;
  overwrite: boolean;
  helpNotebook: boolean;
  typeCheck: boolean;
  batch?: string;
  grid: boolean;
  concurrency?: number;
  help: boolean;
}

const usageError = (message: string) => new QuireError(ErrorCode.InvalidArgument, message);

/**
 * Engine names `--engine` accepts: papermill's default (`nbclient`) and Quire's own name for the
 * same engine. papermill's engine plugins are Python classes; Quire cannot load them.
 */
export const ENGINES = ['nbclient', 'quire'] as const;

/** `-` in place of a path: the notebook comes from stdin / goes to stdout. */
export const STDIO_PATH = '-';

function number(flag: string, text: string | undefined, integer = false): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw usageError(`${flag} needs a ${integer ? 'whole ' : ''}number of seconds, not '${text ?? ''}'`);
  }
  return value;
}

function path(flag: string, text: string): string {
  if (text.trim() === '') throw usageError(`${flag} needs a file path`);
  return text;
}

function engine(name: string): string {
  if ((ENGINES as readonly string[]).includes(name)) return name;
  throw usageError(
    `--engine ${name}: no such engine. quire run has one engine, papermill's default (nbclient, also called quire); ` +
    "papermill's engine plugins (entry point group papermill.engine) are Python code Quire cannot load",
  );
}

/** Parses argv after `run`. Unknown options are errors (a typo must not silently run). */
export function parseRunArgs(argv: string[]): RunArgs {
  const args: RunArgs = {
    positionals: [], params: [], raw: [], yaml: [], files: [], base64: [], injectInputPath: false, injectOutputPath: false,
    logOutput: false, logLevel: 'INFO', startTimeout: 60, prepareOnly: false, reportMode: false, overwrite: false,
    helpNotebook: false, typeCheck: true, grid: false, help: false, requestSave: true, autosaveCellEvery: 30,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw usageError(`${flag} needs a value`);
      return argv[++i];
    };
    const pair = (): [string, string] => {
      if (i + 2 >= argv.length) throw usageError(`${flag} needs NAME VALUE`);
      i += 2;
      return [argv[i - 1], argv[i]];
    };
    switch (flag) {
      case '-p': case '--parameters': args.params.push(pair()); break;
      case '-r': case '--parameters_raw': case '--parameters-raw': args.raw.push(pair()); break;
      case '-y': case '--parameters_yaml': case '--parameters-yaml': args.yaml.push(value()); break;
      case '-f': case '--parameters_file': case '--parameters-file': args.files.push(value()); break;
      case '-b': case '--parameters_base64': case '--parameters-base64': args.base64.push(value()); break;
      case '--inject-input-path': args.injectInputPath = true; break;
      case '--inject-output-path': args.injectOutputPath = true; break;
      case '--inject-paths': args.injectInputPath = args.injectOutputPath = true; break;
      case '-k': case '--kernel': args.kernel = value(); break;
      case '-l': case '--language': args.language = value(); break;
      case '--cwd': args.cwd = value(); break;
      case '--log-output': args.logOutput = true; break;
      case '--no-log-output': args.logOutput = false; break;
      case '--progress-bar': args.progressBar = true; break;
      case '--no-progress-bar': args.progressBar = false; break;
      case '--log-level': args.logLevel = value().toUpperCase(); break;
      case '--stdout-file': args.stdoutFile = path(flag, value()); break;
      case '--stderr-file': args.stderrFile = path(flag, value()); break;
      case '--engine': args.engine = engine(value()); break;
      case '--request-save-on-cell-execute': args.requestSave = true; break;
      case '--no-request-save-on-cell-execute': args.requestSave = false; break;
      case '--autosave-cell-every': args.autosaveCellEvery = number(flag, value(), true); break;
      case '--start-timeout': case '--start_timeout': args.startTimeout = number(flag, value()); break;
      case '--execution-timeout': case '--execution_timeout': args.executionTimeout = number(flag, value()); break;
      case '--prepare-only': args.prepareOnly = true; break;
      case '--prepare-execute': args.prepareOnly = false; break;
      case '--report-mode': args.reportMode = true; break;
      case '--no-report-mode': case '--not-report-mode': args.reportMode = false; break;
      case '--overwrite': args.overwrite = true; break;
      case '--help-notebook': args.helpNotebook = true; break;
      case '--no-type-check': args.typeCheck = false; break;
      case '--batch': args.batch = value(); break;
      case '--grid': args.grid = true; break;
      case '--concurrency': case '-j': args.concurrency = number(flag, value(), true); break;
      case '-h': case '--help': args.help = true; break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw usageError(`Unknown option ${arg} (see quire run --help)`);
        args.positionals.push(arg);
    }
  }
  return args;
}

export interface StdioState {
  /** stdin is a pipe (papermill's INPUT_PIPED: a FIFO, as from `cat nb.ipynb | quire run ...`). */
  inputPiped: boolean;
  stdoutIsTerminal: boolean;
}

/**
 * INPUT and OUTPUT as papermill reads its two positionals: `-` is stdin/stdout; with stdin piped,
 * a single path is OUTPUT; with stdout not a terminal (or stdin piped), a missing OUTPUT is stdout.
 */
export function resolveRunPaths(positionals: string[], stdio: StdioState): { input: string; output: string } {
  if (positionals.length > 2) throw usageError(`too many arguments: ${positionals.slice(2).join(' ')} (see quire run --help)`);
  const [first, second] = positionals;
  if (first === undefined && !stdio.inputPiped) throw usageError('missing INPUT notebook (see quire run --help)');
  if (second === undefined && stdio.stdoutIsTerminal && !stdio.inputPiped) {
    throw usageError("missing OUTPUT path (or '-' for stdout; see quire run --help)");
  }
  if (stdio.inputPiped && first !== undefined && second === undefined) return { input: STDIO_PATH, output: first };
  return { input: first ?? STDIO_PATH, output: second ?? STDIO_PATH };
}

function readYamlFile(path: string): Parameters {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new QuireError(ErrorCode.NotFound, `Cannot read parameters file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return parseYamlParameters(text, path);
}

/** papermill's merge order (later wins): inject paths → -b → -f → -y → -p → -r. */
export function mergeParameters(args: RunArgs, inputPath: string, outputPath: string): Parameters {
  const merged: Parameters = {};
  if (args.injectInputPath) merged.PAPERMILL_INPUT_PATH = inputPath;
  if (args.injectOutputPath) merged.PAPERMILL_OUTPUT_PATH = outputPath;
  for (const b64 of args.base64) Object.assign(merged, parseYamlParameters(Buffer.from(b64, 'base64').toString('utf8'), '-b'));
  for (const file of args.files) Object.assign(merged, readYamlFile(file));
  for (const text of args.yaml) Object.assign(merged, parseYamlParameters(text, '-y'));
  for (const [name, value] of args.params) merged[name] = resolveCliValue(value);
  for (const [name, value] of args.raw) merged[name] = value;
  return merged;
}

/**
 * The parameter sets of a batch. A batch file is YAML with any of:
 *   parameters: {shared: 1}        # every run gets these (lowest precedence)
 *   runs: [{a: 1}, {a: 2}]         # explicit parameter sets
 *   grid: {a: [1, 2], b: [x, y]}   # every combination (added after `runs`)
 *   concurrency: 2                 # default for --concurrency
 * Command-line parameters apply to every run, over `parameters`, under each run's own values.
 * With `--grid` (no file), each list-valued command-line parameter is an axis instead.
 */
export function batchParameterSets(args: RunArgs, shared: Parameters): { sets: Parameters[]; concurrency?: number } {
  if (args.batch) {
    const spec = readYamlFile(args.batch) as { parameters?: unknown; runs?: unknown; grid?: unknown; concurrency?: unknown };
    const unknownKeys = Object.keys(spec).filter((k) => !['parameters', 'runs', 'grid', 'concurrency'].includes(k));
    if (unknownKeys.length) throw usageError(`${args.batch}: unknown key(s) ${unknownKeys.join(', ')}; expected parameters, runs, grid, concurrency`);
    const base = { ...asMapping(spec.parameters ?? {}, `${args.batch}: parameters`), ...shared };
    const runs = spec.runs === undefined ? [] : asList(spec.runs, `${args.batch}: runs`).map((r, i) => asMapping(r, `${args.batch}: runs[${i}]`));
    const grid = spec.grid === undefined ? [] : expandGrid(asAxes(asMapping(spec.grid, `${args.batch}: grid`), args.batch));
    const sets = [...runs, ...grid].map((set) => ({ ...base, ...set }));
    if (sets.length === 0) throw usageError(`${args.batch} defines no runs (add 'runs:' or 'grid:')`);
    const concurrency = spec.concurrency === undefined ? undefined : Number(spec.concurrency);
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) throw usageError(`${args.batch}: concurrency must be a positive whole number`);
    return { sets, concurrency };
  }
  const axes: Record<string, ParameterValue[]> = {};
  const scalars: Parameters = {};
  for (const [name, value] of Object.entries(shared)) {
    if (Array.isArray(value)) axes[name] = value;
    else scalars[name] = value;
  }
  if (Object.keys(axes).length === 0) throw usageError('--grid needs at least one list-valued parameter, e.g. -y "alpha: [0.1, 0.5]"');
  return { sets: expandGrid(axes).map((set) => ({ ...scalars, ...set })) };
}

function asMapping(value: unknown, what: string): Parameters {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw usageError(`${what} must be a mapping of parameter names to values`);
  return value as Parameters;
}
function asList(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw usageError(`${what} must be a list`);
  return value;
}
function asAxes(grid: Parameters, file: string): Record<string, ParameterValue[]> {
  for (const [name, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0) throw usageError(`${file}: grid.${name} must be a non-empty list of values`);
  }
  return grid as Record<string, ParameterValue[]>;
}
