import { fstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { ErrorCode, isQuireError } from '../../src/errors';
import { randomId } from '../../src/jupyter/messages';
import { inferNotebookParameters } from '../../src/parameterize/inferParameters';
import type { Parameters } from '../../src/parameterize/translators';
import { findKernelSpec, ipykernelRunSpec } from '../kernelspecs';
import { removeConnectionFile } from '../connectionFiles';
import { prelaunchKernel, type PrelaunchedKernel } from '../launcher';
import { defaultConcurrency, formatBatchSummary, runWithConcurrency } from '../run/batchRunner';
import { RunExitCode } from '../run/errors';
import type { RunNotebookIo } from '../run/notebookIo';
import type { OutputClaim } from '../run/outputClaim';
import { runKernelName } from '../run/prepareRun';
import { checkRunPlan, claimPlannedRuns, planRunsFor, type RunPlan } from '../run/runPlanner';
import { recordRun } from '../runIndex/recordRun';
import { RunIndex } from '../runIndex/runIndex';
import { cancelOnSignals } from './cancelOnSignals';
import { type CliCommand, err, out } from './command';
import { type CliListener, cliListener, LEVELS, type Log, logger, progressWanted, reportResult } from './runConsole';
import { formatNotebookParameters } from './paramsCommand';
import { batchParameterSets, mergeParameters, parseRunArgs, resolveRunPaths, type RunArgs, STDIO_PATH, type StdioState } from './runArgs';
import { StdioNotebookIo } from './stdioNotebookIo';
import { StreamTee } from './streamTee';

const HELP = `Usage: quire run [OPTIONS] INPUT [OUTPUT]

Runs a notebook like papermill: injects parameters after the cell tagged 'parameters', runs every
cell in a fresh kernel, and writes OUTPUT (during the run too) with papermill's metadata.
INPUT is never modified. OUTPUT may be a template: {notebook}, any {parameter} ({p[key]} and
{p[0]} index dicts and lists), {timestamp}, {run_id}, {index} (batch position), papermill's
{pm[run_uuid]}, {pm[current_datetime_utc]}, {pm[current_datetime_local]} (strftime specs such
as {pm[current_datetime_utc]:%Y%m%d} work), and {pm.run_uuid} etc. A missing name is an error
before anything starts.

Pipes, as papermill: '-' as INPUT reads the notebook from stdin, '-' as OUTPUT writes it to
stdout. With stdin a pipe, a single path is OUTPUT; with stdout not a terminal, a missing OUTPUT
is stdout. When OUTPUT is stdout, the notebook is written once, at the end (also after a failure),
stdout carries nothing else, the log level INFO becomes ERROR and the progress bar is off unless
asked for:   cat in.ipynb | quire run -p n 3 | jq .metadata.papermill

Parameters (merged in this order, later wins: -b, -f, -y, -p, -r):
  -p, --parameters NAME VALUE   True/False/None, int (007 is 7), float (nan, inf), else a string
  -r, --parameters_raw NAME VALUE   always a string
  -y, --parameters_yaml YAML    YAML mapping (lists/dicts allowed; dates stay strings)
  -f, --parameters_file FILE    YAML file
  -b, --parameters_base64 B64   base64-encoded YAML
  --inject-input-path / --inject-output-path / --inject-paths
                                add PAPERMILL_INPUT_PATH / PAPERMILL_OUTPUT_PATH
  --no-type-check               allow values that do not fit the parameter's inferred type

Execution:
  -k, --kernel NAME             kernelspec to start (default: the notebook's)
  -l, --language LANG           language for the parameter translator
  --cwd DIR                     working directory of the kernel (default: the current one)
  --engine NAME                 nbclient (papermill's default) or quire: the same, only engine
  --start-timeout N             seconds to wait for the kernel to start (default 60)
  --execution-timeout N         per-cell limit in seconds (the cell is interrupted; the run fails)
  --prepare-only                inject parameters and write OUTPUT without running
  --report-mode                 hide code cells' source in OUTPUT
  --overwrite                   replace an existing OUTPUT (default: refuse)

Saving OUTPUT while the run goes (a crash leaves a partial record):
  --request-save-on-cell-execute / --no-request-save-on-cell-execute
                                default on: write at the start, after cell starts and ends (at
                                most every 0.5 s) and at the end; off: only at the end
  --autosave-cell-every N       outputs inside a long cell write at most every N s (default 30;
                                0: only cell ends do); N doubles when a write takes over N/4 s

Output and logs (everything but OUTPUT on stdout goes to stderr):
  --log-output                  print cell outputs (stderr streams as warnings) while running
  --stdout-file FILE            copy the cells' stdout stream to FILE ('-': Quire's stdout)
  --stderr-file FILE            copy the cells' stderr stream to FILE
  --progress-bar / --no-progress-bar   papermill's bar, counting every cell; a
                                '#papermill_description=NAME' comment in a cell relabels it.
                                Default: on when stderr is a terminal, unless --log-output or
                                OUTPUT is stdout; --progress-bar draws it anywhere
  --log-level LEVEL             NOTSET, DEBUG, INFO (default), WARNING, ERROR, CRITICAL
  --help-notebook               print the notebook's inferred parameters and exit

Batches (each run its own kernel and output; a summary table at the end):
  --batch FILE.yaml             YAML with any of:  parameters: {shared: 1}
                                  runs: [{a: 1}, {a: 2}]     (explicit sets)
                                  grid: {a: [1, 2], b: [x, y]}   (every combination)
                                  concurrency: 2
                                command-line parameters apply to every run (under each run's own)
  --grid                        without a file: each list-valued -y/-f parameter is an axis,
                                e.g. -y 'alpha: [0.1, 0.5]' -y 'region: [eu, us]' → 4 runs
  -j, --concurrency N           runs at once (default: number of cores)
  OUTPUT must give each run its own path, e.g. 'out/{notebook}_{alpha}_{region}.ipynb' or '{index}'.

Run index: every run is listed by 'quire runs' (added when it starts, updated when it ends, also
after a failure or cancel); an index that cannot be written is a warning, never a failed run.

Exit status: 0 success (also sys.exit(0) in a cell); 1 a cell raised, timed out, or bad input;
2 INPUT/OUTPUT missing or too many arguments; 138 the kernel died; 130 cancelled (Ctrl+C, SIGTERM or SIGHUP:
interrupt, then shut down; OUTPUT records it); 73 OUTPUT could not be created or written (checked before any
kernel starts; a failed save during the run stops it). Without --overwrite, OUTPUT is claimed with an
exclusive create before anything starts: of two runs with one OUTPUT, the second is refused.`;


/**
 * After a run's output is saved, its kernel gets this long to exit after shutdown_request before
 * its process group is SIGKILLed: a Python teardown can take a second on a loaded machine, and
 * nothing of the run is left to save (docs/runs.md, "Kernel shutdown").
 */
const RUN_SHUTDOWN_GRACE_MS = 300;

/**
 * How long `quire run` waits for a kernel it launched early, and then killed, to be gone: the
 * command returns only once the process has exited (SIGKILL cannot be refused; this bounds a
 * process the OS is slow to reap).
 */
const EARLY_KERNEL_EXIT_WAIT_MS = 10_000;

/** What papermill checks at start-up: is stdin a pipe (a FIFO), is stdout a terminal. */
function detectStdio(): StdioState {
  let inputPiped = false;
  try {
    inputPiped = fstatSync(0).isFIFO();
  } catch {
    // no stdin at all
  }
  return { inputPiped, stdoutIsTerminal: Boolean(process.stdout.isTTY) };
}

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run a notebook with parameters, papermill-compatible (also batches)',
  usage: 'run INPUT OUTPUT [-p NAME VALUE]... [--batch FILE]',
  async run(argv) {
    const args = parseRunArgs(argv);
    if (args.help) {
      out(HELP);
      return 0;
    }
    const stdio = detectStdio();
    const io = new StdioNotebookIo();
    if (args.helpNotebook) {
      const input = args.positionals[0] ?? (stdio.inputPiped ? STDIO_PATH : undefined);
      if (!input) {
        err('quire run: missing INPUT notebook (see quire run --help)');
        return 2;
      }
      const nb = await io.read(input);
      const { lines, found } = formatNotebookParameters(input, inferNotebookParameters(nb));
      out(['Usage: quire run [OPTIONS] INPUT OUTPUT', '', ...lines].join('\n'));
      return found ? 0 : 1;
    }
    let paths: { input: string; output: string };
    try {
      paths = resolveRunPaths(args.positionals, stdio);
    } catch (error) {
      err(`quire run: ${(error as Error).message}`);
      return 2;
    }
    const toStdout = paths.output === STDIO_PATH;
    const logLevel = toStdout && args.logLevel === 'INFO' ? 'ERROR' : args.logLevel; // stdout is the notebook's (papermill)
    const level = LEVELS[logLevel];
    if (level === undefined) throw new Error(`--log-level must be one of ${Object.keys(LEVELS).join(', ')}`);
    for (const [flag, file] of [['--stdout-file', args.stdoutFile], ['--stderr-file', args.stderrFile]] as const) {
      if (toStdout && file === STDIO_PATH) throw new Error(`${flag} -: stdout carries the output notebook; give ${flag} a file`);
    }
    const batch = Boolean(args.batch) || args.grid;
    if (batch) {
      if (toStdout) throw new Error('a batch writes one notebook per run: give OUTPUT as a template, e.g. out/{notebook}_{index}.ipynb');
      if (args.stdoutFile || args.stderrFile) throw new Error('--stdout-file and --stderr-file are for single runs, not --batch/--grid');
      return runBatch(args, io, paths.input, paths.output, level);
    }
    return runSingle(args, io, paths.input, paths.output, level);
  },
};

const samePath = (a: string, b: string) => a !== STDIO_PATH && b !== STDIO_PATH && resolve(a) === resolve(b);

/** The plan's problems only `quire run` has: --stdout-file/--stderr-file naming a notebook or each other. */
function teeProblems(args: RunArgs, input: string, plan: RunPlan): string[] {
  const problems: string[] = [];
  for (const run of plan.runs) {
    for (const [flag, file] of [['--stdout-file', args.stdoutFile], ['--stderr-file', args.stderrFile]] as const) {
      if (file !== undefined && (samePath(file, input) || samePath(file, run.outputPath))) problems.push(`${flag} ${file} is the ${samePath(file, input) ? 'input' : 'output'} notebook`);
    }
  }
  if (args.stdoutFile !== undefined && samePath(args.stdoutFile, args.stderrFile ?? STDIO_PATH)) {
    problems.push(`--stdout-file and --stderr-file are the same file (${args.stdoutFile}); papermill would interleave them, give two files`);
  }
  return problems;
}

/** The runs of one input and template (the run planner: kernels/run/runPlanner.ts, shared with the app). */
function planCliRuns(args: RunArgs, input: string, template: string, sets: Parameters[], withOutputPath?: (outputPath: string) => Parameters): RunPlan {
  return planRunsFor(sets.map((parameters) => ({ inputPath: input, outputTemplate: template, parameters, overwrite: args.overwrite })), {
    now: new Date(), newRunId: randomId, ...(withOutputPath ? { withOutputPath: (_: Parameters, outputPath: string) => withOutputPath(outputPath) } : {}),
  });
}

/**
 * The engine and the local kernel provider pull in ZeroMQ and rxjs, the slowest part of loading
 * `quire run`: they are imported once the kernel process is on its way (see launchEarly).
 */
async function loadEngine() {
  const [{ LocalKernelProvider }, { executeNotebook }] = await Promise.all([import('../localKernelProvider'), import('../run/executeNotebook')]);
  return { LocalKernelProvider, executeNotebook };
}

interface EarlyKernel {
  name: string;
  prelaunched: PrelaunchedKernel;
  /**
   * Removes the exit hook; kills the process unless a session adopted it (and then shut it down),
   * resolves once it has exited, and removes its connection file.
   */
  release(): Promise<void>;
}

/**
 * Launches the run's kernel process before the engine's code has loaded and while the plan is
 * checked: Python's start-up is the longest step of a short run. Resolves undefined when it cannot
 * (no kernelspec, spawn failure): the run then starts its kernel itself and reports the problem.
 * Until a session adopts it, the process is killed if the CLI exits.
 */
async function launchEarly(args: RunArgs, io: RunNotebookIo, input: string, cwd: string, log: Log): Promise<EarlyKernel | undefined> {
  if (args.prepareOnly) return undefined;
  log('debug', 'Launching the kernel early, while the run is checked');
  try {
    const name = runKernelName(await io.read(input), args.kernel);
    const prelaunched = await prelaunchKernel(ipykernelRunSpec(await findKernelSpec(name)), { cwd });
    const pid = prelaunched.process.pid;
    log('debug', `Launched kernel ${name} early (pid ${pid})`);
    const kill = () => prelaunched.process.dispose();
    process.once('exit', kill);
    return {
      name,
      prelaunched,
      release: async () => {
        process.off('exit', kill);
        kill(); // a no-op once the adopting session shut it down
        const gone = await prelaunched.process.waitForExit(EARLY_KERNEL_EXIT_WAIT_MS);
        removeConnectionFile(prelaunched.connectionFile);
        log(gone ? 'debug' : 'warning', gone ? `Kernel process ${pid} has exited` : `Kernel process ${pid} was killed but had not exited after ${EARLY_KERNEL_EXIT_WAIT_MS / 1000} s`);
      },
    };
  } catch {
    return undefined;
  }
}

/** Writes what the run saved to `-` to stdout, once. */
function flushStdout(io: StdioNotebookIo): void {
  const text = io.takeStdout();
  if (text !== undefined) process.stdout.write(text);
}

/** A refused claim: said once; exit 73 when the output cannot be written, 1 when it is taken. */
function claimRefused(error: unknown): number {
  err(`quire run: ${error instanceof Error ? error.message : String(error)}`);
  return isQuireError(error) && error.code === ErrorCode.WriteFailed ? RunExitCode.outputWriteFailed : RunExitCode.failed;
}

/** Where `quire run` records its runs (docs/runIndex.md); one that cannot be written is a warning, never a failed run. */
const openRunIndex = () => new RunIndex({ warn: (m) => err(`quire run: warning: ${m} (the run goes on: its output notebook is its record)`) });

/** The engine's save options from papermill's flags; stdout gets one write at the end (papermill). */
function saveOptions(args: RunArgs, outputPath: string) {
  return { saveDuringRun: args.requestSave && outputPath !== STDIO_PATH, outputSaveIntervalMs: args.autosaveCellEvery * 1000 };
}

async function runSingle(args: RunArgs, io: StdioNotebookIo, input: string, template: string, level: number): Promise<number> {
  const cwd = args.cwd ? resolve(args.cwd) : process.cwd();
  const log = logger(level);
  // The output path first: a template naming a missing key is refused before any kernel starts.
  // It may use parameters, and --inject-output-path needs the path: resolve with a first merge.
  const plan = planCliRuns(args, input, template, [mergeParameters(args, input, template)], (outputPath) => mergeParameters(args, input, outputPath));
  const [{ outputPath, parameters, runId }] = plan.runs;
  let claims: OutputClaim[];
  try {
    // The outputs are taken before any kernel starts (an exclusive create, or a write test with --overwrite).
    claims = await claimPlannedRuns(plan);
  } catch (error) {
    return claimRefused(error);
  }
  const early = launchEarly(args, io, input, cwd, log);
  const controller = new AbortController();
  const stopSignals = cancelOnSignals(controller);
  let provider: InstanceType<Awaited<ReturnType<typeof loadEngine>>['LocalKernelProvider']> | undefined;
  let tee: StreamTee | undefined;
  let listener: CliListener | undefined;
  try {
    await checkRunPlan(plan, { io, typeCheck: args.typeCheck, claimed: true, extraProblems: teeProblems(args, input, plan) });
    const { LocalKernelProvider, executeNotebook } = await loadEngine();
    provider = LocalKernelProvider.create({ handleSignals: false });
    const pre = await early;
    const kernel = pre && { name: pre.name, handle: provider.adopt(pre.prelaunched, { startTimeoutSec: args.startTimeout }) };
    kernel?.handle.catch(() => undefined); // observed by the run
    if (args.stdoutFile !== undefined || args.stderrFile !== undefined) tee = new StreamTee({ stdout: args.stdoutFile, stderr: args.stderrFile }, (m) => log('error', m));
    listener = cliListener(args, log, progressWanted(args, outputPath), tee);
    const recorded = { runId, notebook: input, output: outputPath, parameters, host: 'cli' as const, kernelName: pre?.name ?? args.kernel };
    const options = {
      inputPath: input, outputPath, parameters, kernelName: args.kernel, language: args.language, cwd,
      startTimeoutSec: args.startTimeout, executionTimeoutSec: args.executionTimeout, reportMode: args.reportMode, prepareOnly: args.prepareOnly,
      overwrite: true, typeCheck: false, provider, kernel, signal: controller.signal, shutdownGraceMs: RUN_SHUTDOWN_GRACE_MS,
      io, ...saveOptions(args, outputPath), listener,
    };
    const result = await recordRun(openRunIndex(), recorded, () => executeNotebook(options));
    listener.close();
    reportResult(result);
    return result.exitCode;
  } finally {
    listener?.close();
    tee?.close();
    flushStdout(io);
    stopSignals();
    if (provider) {
      await provider.shutdownAll();
      provider.dispose();
    }
    await (await early)?.release();
    await Promise.all(claims.map((c) => c.release()));
  }
}

async function runBatch(args: RunArgs, io: StdioNotebookIo, input: string, template: string, level: number): Promise<number> {
  const shared = mergeParameters(args, input, template);
  const { sets, concurrency: fileConcurrency } = batchParameterSets(args, shared);
  const plan = planCliRuns(args, input, template, sets);
  const plans = plan.runs;
  await checkRunPlan(plan, { io, typeCheck: args.typeCheck, extraProblems: teeProblems(args, input, plan) });
  let claims: OutputClaim[];
  try {
    claims = await claimPlannedRuns(plan);
  } catch (error) {
    return claimRefused(error);
  }
  const concurrency = args.concurrency ?? fileConcurrency ?? defaultConcurrency();
  err(`Running ${plans.length} runs of ${input}, at most ${concurrency} at once`);
  const { LocalKernelProvider, executeNotebook } = await loadEngine();
  const provider = LocalKernelProvider.create({ handleSignals: false });
  const controller = new AbortController();
  const stopSignals = cancelOnSignals(controller);
  const runIndex = openRunIndex();
  try {
    const results = await runWithConcurrency(plans, concurrency, async (plan) => {
      const started = Date.now();
      const recorded = { runId: plan.runId, notebook: input, output: plan.outputPath, parameters: plan.parameters, host: 'cli' as const, kernelName: args.kernel };
      const result = await recordRun(runIndex, recorded, () => executeNotebook({
        inputPath: input, outputPath: plan.outputPath, parameters: plan.parameters, kernelName: args.kernel, language: args.language,
        cwd: args.cwd ? resolve(args.cwd) : process.cwd(), startTimeoutSec: args.startTimeout, executionTimeoutSec: args.executionTimeout,
        reportMode: args.reportMode, prepareOnly: args.prepareOnly, overwrite: true, typeCheck: false, provider, signal: controller.signal,
        shutdownGraceMs: RUN_SHUTDOWN_GRACE_MS, io, ...saveOptions(args, plan.outputPath), listener: { log: logger(Math.max(level, 2), `[${plan.index}] `) },
      }));
      err(`[${plan.index}] ${result.status} → ${plan.outputPath}`);
      return { result, durationSec: (Date.now() - started) / 1000 };
    });
    out(formatBatchSummary(results.map((r, i) => r.ok
      ? { status: r.value.result.status, durationSec: r.value.durationSec, outputPath: plans[i].outputPath, parameters: plans[i].parameters, error: r.value.result.error?.message.split('\n').filter(Boolean).pop() }
      : { status: 'error', outputPath: plans[i].outputPath, parameters: plans[i].parameters, error: (r.error as Error).message })));
    const codes = results.map((r) => (r.ok ? r.value.result.exitCode : RunExitCode.failed));
    if (codes.includes(RunExitCode.cancelled)) return RunExitCode.cancelled;
    if (codes.includes(RunExitCode.outputWriteFailed)) return RunExitCode.outputWriteFailed;
    return codes.some((c) => c !== 0) ? RunExitCode.failed : 0;
  } finally {
    stopSignals();
    await provider.shutdownAll();
    provider.dispose();
    await Promise.all(claims.map((c) => c.release()));
  }
}
