import { resolve } from 'node:path';
import { randomId } from '../../src/jupyter/messages';
import { joinSource } from '../../src/jupyter/nbformat';
import { checkParameterTypes } from '../../src/parameterize/cliValues';
import { inferNotebookParameters } from '../../src/parameterize/inferParameters';
import type { Parameters } from '../../src/parameterize/translators';
import { findKernelSpec } from '../kernelspecs';
import { prelaunchKernel, type PrelaunchedKernel, removeConnectionFile } from '../launcher';
import { defaultConcurrency, formatBatchSummary, runWithConcurrency } from '../run/batchRunner';
import { RunExitCode } from '../run/errors';
import type { RunListener, RunResult } from '../run/executeNotebook';
import { defaultRunNotebookIo } from '../run/notebookIo';
import { resolveOutputPath } from '../run/outputPaths';
import { runKernelName } from '../run/prepareRun';
import { ipykernelRunSpec } from '../run/runKernel';
import { type CliCommand, err, out } from './command';
import { formatNotebookParameters } from './paramsCommand';
import { batchParameterSets, mergeParameters, parseRunArgs, type RunArgs } from './runArgs';

const HELP = `Usage: quire run [OPTIONS] INPUT OUTPUT

Runs a notebook like papermill: injects parameters after the cell tagged 'parameters', runs every
cell in a fresh kernel, and writes OUTPUT (during the run too) with papermill's metadata.
INPUT is never modified. OUTPUT may be a template: {notebook}, any {parameter}, {timestamp},
{run_id}, {index} (batch position), {pm.run_uuid}.

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
  --start-timeout N             seconds to wait for the kernel to start (default 60)
  --execution-timeout N         per-cell limit in seconds (the cell is interrupted; the run fails)
  --prepare-only                inject parameters and write OUTPUT without running
  --report-mode                 hide code cells' source in OUTPUT
  --overwrite                   replace an existing OUTPUT (default: refuse)
  --log-output                  print cell outputs to stderr while running
  --progress-bar / --no-progress-bar   (default: on unless --log-output, only on a terminal)
  --log-level LEVEL             DEBUG, INFO (default), WARNING, ERROR, CRITICAL
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

Exit status: 0 success (also sys.exit(0) in a cell); 1 a cell raised, timed out, or bad input;
138 the kernel died; 130 cancelled (Ctrl+C: interrupt, then shut down; OUTPUT records it).`;

const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

/**
 * After a run's output is saved, its kernel gets this long to exit after shutdown_request before
 * its process group is SIGKILLed: a Python teardown can take a second on a loaded machine, and
 * nothing of the run is left to save (docs/runs.md, "Kernel shutdown").
 */
const RUN_SHUTDOWN_GRACE_MS = 300;

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
    const [input, outputTemplate] = args.positionals;
    if (!input) {
      err('quire run: missing INPUT notebook (see quire run --help)');
      return 2;
    }
    if (args.helpNotebook) {
      const nb = await defaultRunNotebookIo.read(input);
      const { lines, found } = formatNotebookParameters(input, inferNotebookParameters(nb));
      out(['Usage: quire run [OPTIONS] INPUT OUTPUT', '', ...lines].join('\n'));
      return found ? 0 : 1;
    }
    if (!outputTemplate || args.positionals.length > 2) {
      err(`quire run: ${outputTemplate ? 'too many arguments' : 'missing OUTPUT path'} (see quire run --help)`);
      return 2;
    }
    const level = LEVELS.indexOf(args.logLevel);
    if (level < 0) throw new Error(`--log-level must be one of ${LEVELS.join(', ')}`);
    const batch = Boolean(args.batch) || args.grid;
    return batch ? runBatch(args, input, outputTemplate, level) : runSingle(args, input, outputTemplate, level);
  },
};

interface PlannedRun {
  index: number;
  runId: string;
  parameters: Parameters;
  outputPath: string;
}

function logger(level: number, prefix = '') {
  return (severity: 'info' | 'warning' | 'error', message: string) => {
    const rank = severity === 'info' ? 1 : severity === 'warning' ? 2 : 3;
    if (rank >= level) err(`${prefix}${message}`);
  };
}

/** Checks every planned run before any starts: types, duplicate and existing outputs. */
async function checkPlan(args: RunArgs, input: string, plans: PlannedRun[]): Promise<void> {
  const nb = await defaultRunNotebookIo.read(input);
  const inferred = inferNotebookParameters(nb) ?? [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const plan of plans) {
    const label = plans.length > 1 ? `run ${plan.index}: ` : '';
    if (args.typeCheck) for (const p of checkParameterTypes(plan.parameters, inferred)) problems.push(`${label}${p.message}`);
    const previous = seen.get(plan.outputPath);
    if (previous !== undefined) problems.push(`runs ${previous} and ${plan.index} would both write ${plan.outputPath}; put a parameter, {index} or {run_id} in OUTPUT`);
    seen.set(plan.outputPath, plan.index);
    if (resolve(plan.outputPath) === resolve(input)) problems.push(`${label}OUTPUT is the input notebook; a run never changes its input`);
    else if (!args.overwrite && (await defaultRunNotebookIo.exists(plan.outputPath))) {
      problems.push(`${label}output ${plan.outputPath} already exists (pass --overwrite to replace it)`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/**
 * The engine and the kernel manager pull in ZeroMQ and rxjs, the slowest part of loading `quire
 * run`: they are imported once the kernel process is on its way (see launchEarly).
 */
async function loadEngine() {
  const [{ KernelManager }, { executeNotebook }] = await Promise.all([import('../kernelManager'), import('../run/executeNotebook')]);
  return { KernelManager, executeNotebook };
}

interface EarlyKernel {
  name: string;
  prelaunched: PrelaunchedKernel;
  /** Removes the exit hook; kills the process and removes its file unless a session adopted them. */
  release(): void;
}

/**
 * Launches the run's kernel process before the engine's code has loaded and while the plan is
 * checked: Python's start-up is the longest step of a short run. Resolves undefined when it cannot
 * (no kernelspec, spawn failure): the run then starts its kernel itself and reports the problem.
 * Until a session adopts it, the process is killed if the CLI exits.
 */
async function launchEarly(args: RunArgs, input: string, cwd: string): Promise<EarlyKernel | undefined> {
  if (args.prepareOnly) return undefined;
  try {
    const name = runKernelName(await defaultRunNotebookIo.read(input), args.kernel);
    const prelaunched = await prelaunchKernel(ipykernelRunSpec(await findKernelSpec(name)), { cwd });
    const kill = () => prelaunched.process.dispose();
    process.once('exit', kill);
    return {
      name,
      prelaunched,
      release: () => {
        process.off('exit', kill);
        kill(); // a no-op once the adopting session shut it down
        removeConnectionFile(prelaunched.connectionFile);
      },
    };
  } catch {
    return undefined;
  }
}

async function runSingle(args: RunArgs, input: string, template: string, level: number): Promise<number> {
  const runId = randomId();
  const cwd = args.cwd ? resolve(args.cwd) : process.cwd();
  const early = launchEarly(args, input, cwd);
  const controller = new AbortController();
  const stopSignals = onInterrupt(controller);
  let manager: InstanceType<Awaited<ReturnType<typeof loadEngine>>['KernelManager']> | undefined;
  try {
    // The output path may use parameters, and --inject-output-path needs the path: resolve with a first merge.
    const provisional = mergeParameters(args, input, template);
    const outputPath = resolveOutputPath(template, provisional, { inputPath: input, runId });
    const parameters = mergeParameters(args, input, outputPath);
    await checkPlan(args, input, [{ index: 1, runId, parameters, outputPath }]);
    const { KernelManager, executeNotebook } = await loadEngine();
    manager = new KernelManager({ handleSignals: false });
    const pre = await early;
    const kernel = pre && { name: pre.name, session: manager.startKernel({ specName: pre.name, prelaunched: pre.prelaunched, startTimeoutSec: args.startTimeout }) };
    kernel?.session.catch(() => undefined); // observed by the run
    const progress = args.progressBar ?? !args.logOutput;
    const result = await executeNotebook({
      inputPath: input, outputPath, parameters, kernelName: args.kernel, language: args.language, cwd,
      startTimeoutSec: args.startTimeout, executionTimeoutSec: args.executionTimeout, reportMode: args.reportMode, prepareOnly: args.prepareOnly,
      overwrite: true, typeCheck: false, launcher: manager, kernel, signal: controller.signal, shutdownGraceMs: RUN_SHUTDOWN_GRACE_MS,
      listener: cliListener(args, level, progress),
    });
    reportResult(result);
    return result.exitCode;
  } finally {
    stopSignals();
    if (manager) {
      await manager.shutdownAll();
      manager.dispose();
    }
    (await early)?.release();
  }
}

async function runBatch(args: RunArgs, input: string, template: string, level: number): Promise<number> {
  const shared = mergeParameters(args, input, template);
  const { sets, concurrency: fileConcurrency } = batchParameterSets(args, shared);
  const now = new Date();
  const plans: PlannedRun[] = sets.map((parameters, i) => {
    const runId = randomId();
    return { index: i + 1, runId, parameters, outputPath: resolveOutputPath(template, parameters, { inputPath: input, runId, index: i + 1, now }) };
  });
  await checkPlan(args, input, plans);
  const concurrency = args.concurrency ?? fileConcurrency ?? defaultConcurrency();
  err(`Running ${plans.length} runs of ${input}, at most ${concurrency} at once`);
  const { KernelManager, executeNotebook } = await loadEngine();
  const manager = new KernelManager({ handleSignals: false });
  const controller = new AbortController();
  const stopSignals = onInterrupt(controller);
  try {
    const results = await runWithConcurrency(plans, concurrency, async (plan) => {
      const started = Date.now();
      const result = await executeNotebook({
        inputPath: input, outputPath: plan.outputPath, parameters: plan.parameters, kernelName: args.kernel, language: args.language,
        cwd: args.cwd ? resolve(args.cwd) : process.cwd(), startTimeoutSec: args.startTimeout, executionTimeoutSec: args.executionTimeout,
        reportMode: args.reportMode, prepareOnly: args.prepareOnly, overwrite: true, typeCheck: false, launcher: manager, signal: controller.signal,
        shutdownGraceMs: RUN_SHUTDOWN_GRACE_MS, listener: { log: logger(Math.max(level, 2), `[${plan.index}] `) },
      });
      err(`[${plan.index}] ${result.status} → ${plan.outputPath}`);
      return { result, durationSec: (Date.now() - started) / 1000 };
    });
    out(formatBatchSummary(results.map((r, i) => r.ok
      ? { status: r.value.result.status, durationSec: r.value.durationSec, outputPath: plans[i].outputPath, parameters: plans[i].parameters, error: r.value.result.error?.message.split('\n').filter(Boolean).pop() }
      : { status: 'error', outputPath: plans[i].outputPath, parameters: plans[i].parameters, error: (r.error as Error).message })));
    const codes = results.map((r) => (r.ok ? r.value.result.exitCode : RunExitCode.failed));
    if (codes.includes(RunExitCode.cancelled)) return RunExitCode.cancelled;
    return codes.some((c) => c !== 0) ? RunExitCode.failed : 0;
  } finally {
    stopSignals();
    await manager.shutdownAll();
    manager.dispose();
  }
}

/** First Ctrl+C cancels (interrupt, shut down, save); a second one exits at once. */
function onInterrupt(controller: AbortController): () => void {
  const handler = () => {
    if (controller.signal.aborted) process.exit(RunExitCode.cancelled);
    err('quire run: cancelling (Ctrl+C again to quit at once)...');
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

function cliListener(args: RunArgs, level: number, progress: boolean): RunListener {
  const tty = Boolean(process.stderr.isTTY);
  const started = Date.now();
  return {
    log: logger(level),
    cellStart: (index) => {
      if (args.logOutput) err(`Executing Cell ${String(index + 1).padEnd(40, '-')}`);
    },
    cellComplete: (index, total) => {
      if (args.logOutput) err(`Ending Cell ${String(index + 1).padEnd(43, '-')}`);
      if (progress && tty) {
        const done = index + 1;
        const width = 20;
        const bar = '█'.repeat(Math.round((done / total) * width)).padEnd(width, ' ');
        const secs = (Date.now() - started) / 1000;
        process.stderr.write(`\rExecuting: ${String(Math.round((done / total) * 100)).padStart(3)}%|${bar}| ${done}/${total} [${secs.toFixed(1)}s]${done === total ? '\n' : ''}`);
      }
    },
    output: (_cell, output) => {
      if (!args.logOutput) return;
      if (output.output_type === 'stream') err(joinSource(output.text));
      else if (output.output_type === 'error') err(output.traceback.join('\n'));
      else if ('data' in output && typeof output.data['text/plain'] !== 'undefined') err(joinSource(output.data['text/plain'] as string | string[]));
    },
  };
}

function reportResult(result: RunResult): void {
  if (result.status === 'completed') return;
  if (result.status === 'cancelled') err(`quire run: cancelled; partial output saved to ${result.outputPath}`);
  else err(`quire run: ${result.error?.name ?? 'failure'}: ${result.error?.message ?? ''}`.trimEnd());
}
