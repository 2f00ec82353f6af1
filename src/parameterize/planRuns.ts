/**
 * The run planner's pure half, shared by `quire run` and the host's run service: each run's id,
 * output path (the template filled with its parameters and the run built-ins) and parameters,
 * plus the problems found without touching the disk (two runs writing one file, a run writing its
 * own input, parameters that do not fit the notebook's types). The disk half — existing outputs,
 * claims — is kernels/run/runPlanner.ts. One set of messages for both callers.
 *
 * Output templates: `{notebook}`, any `{parameter}`, `{timestamp}`, `{run_id}`, `{index}` (1-based)
 * and papermill's built-ins, spelled as papermill spells them (`{pm[run_uuid]}`,
 * `{pm[current_datetime_utc]}`, `{pm[current_datetime_local]}`: Python's `str(datetime)`, or
 * strftime with a spec such as `{pm[current_datetime_utc]:%Y%m%d}`) or with Quire's dotted names
 * (`{pm.run_uuid}`; the dotted dates are `YYYY-MM-DDTHH:MM:SS`). A relative result stays relative
 * (papermill records it so) unless `locate` anchors it.
 */
import { ErrorCode, QuireError } from '../errors';
import { checkParameterTypes } from './cliValues';
import type { InferredParameter } from './inferParameters';
import { parameterizePath, runPathBuiltins } from './parameterizePath';
import type { Parameters } from './translators';

/** `-` as an output: the notebook goes to stdout (papermill); never a file, never claimed. */
export const STREAM_PATH = '-';

export interface RunPlanRequest {
  inputPath: string;
  /** The output path template (`-` for stdout). Anchor the app's templates first (anchorOutputTemplate). */
  outputTemplate: string;
  parameters: Parameters;
  /** Replace an existing output (the disk half's check); default false. */
  overwrite?: boolean;
}

export interface RunPlanOptions {
  /** One time for every run of the plan (`{timestamp}`, papermill's dates). */
  now: Date;
  newRunId: () => string;
  /** The id the path's `{run_id}`/`{pm[run_uuid]}` show (the app uses the first 8 characters); default: the id. */
  runIdInPath?: (runId: string) => string;
  /** Where a filled output goes (the host: absolute, against the input's folder); default: as filled. */
  locate?: (filled: string, inputPath: string) => string;
  /** Makes two paths comparable (the Node side passes `path.resolve`); default: as written. */
  pathKey?: (path: string) => string;
  /** Parameters that need the run's output path (papermill's --inject-output-path). */
  withOutputPath?: (parameters: Parameters, outputPath: string) => Parameters;
  /** The parameters inferred from an input: given, values that do not fit are problems (Quire's type check). */
  inferred?: (inputPath: string) => readonly InferredParameter[] | undefined;
}

export interface PlannedRun {
  /** 1-based position in the plan (`{index}`; a single run is 1). */
  index: number;
  runId: string;
  inputPath: string;
  outputPath: string;
  parameters: Parameters;
  overwrite: boolean;
}

/** `other`: a caller's own problem (e.g. `quire run --stdout-file` naming a notebook). */
export type RunPlanProblemKind = 'duplicateOutput' | 'outputIsInput' | 'parameterType' | 'outputExists' | 'other';

export interface RunPlanProblem {
  kind: RunPlanProblemKind;
  /** The run it is about (the later one, for two runs on one output). */
  index: number;
  message: string;
}

export interface RunPlan {
  runs: PlannedRun[];
  problems: RunPlanProblem[];
}

/** The messages, in one place: `label` is `run N: ` in plans of several runs, else empty. */
export const runPlanMessages = {
  duplicateOutput: (first: number, second: number, path: string) =>
    `runs ${first} and ${second} would both write ${path}; put a parameter, {index} or {run_id} in the output path`,
  outputIsInput: (label: string, path: string) => `${label}the output ${path} is the input notebook; a run never changes its input`,
  outputExists: (label: string, path: string) => `${label}Output notebook ${path} already exists (pass --overwrite to replace it)`,
};

/**
 * Plans every run before any starts. Throws (QuireError) only for a template that names a missing
 * parameter; everything else is returned as problems, so all of them can be said at once.
 */
export function planRuns(requests: readonly RunPlanRequest[], options: RunPlanOptions): RunPlan {
  const key = options.pathKey ?? ((p: string) => p);
  const labelled = requests.length > 1;
  const runs: PlannedRun[] = [];
  const problems: RunPlanProblem[] = [];
  const seen = new Map<string, number>();
  for (const [i, request] of requests.entries()) {
    const index = i + 1;
    const label = labelled ? `run ${index}: ` : '';
    const runId = options.newRunId();
    let outputPath = STREAM_PATH;
    if (request.outputTemplate !== STREAM_PATH) {
      const filled = parameterizePath(request.outputTemplate, request.parameters, runPathBuiltins({
        notebook: notebookName(request.inputPath), runId: options.runIdInPath ? options.runIdInPath(runId) : runId, now: options.now, index,
      }));
      outputPath = options.locate ? options.locate(filled, request.inputPath) : filled;
    }
    const parameters = options.withOutputPath ? options.withOutputPath(request.parameters, outputPath) : request.parameters;
    const run: PlannedRun = { index, runId, inputPath: request.inputPath, outputPath, parameters, overwrite: Boolean(request.overwrite) };
    runs.push(run);
    if (options.inferred) problems.push(...parameterTypeProblems([run], options.inferred, labelled));
    if (outputPath === STREAM_PATH) continue;
    const outputKey = key(outputPath);
    const previous = seen.get(outputKey);
    if (previous !== undefined) problems.push({ kind: 'duplicateOutput', index, message: runPlanMessages.duplicateOutput(previous, index, outputPath) });
    else seen.set(outputKey, index);
    if (request.inputPath !== STREAM_PATH && outputKey === key(request.inputPath)) {
      problems.push({ kind: 'outputIsInput', index, message: runPlanMessages.outputIsInput(label, outputPath) });
    }
  }
  return { runs, problems };
}

/** Values that do not fit the parameters inferred from each run's input (Quire's type check). */
export function parameterTypeProblems(
  runs: readonly PlannedRun[], inferred: (inputPath: string) => readonly InferredParameter[] | undefined, labelled = runs.length > 1,
): RunPlanProblem[] {
  return runs.flatMap((run) => checkParameterTypes(run.parameters, inferred(run.inputPath) ?? [])
    .map((p) => ({ kind: 'parameterType' as const, index: run.index, message: `${labelled ? `run ${run.index}: ` : ''}${p.message}` })));
}

/** The runs whose outputs are files to claim: not stdout, not the input (refused anyway). */
export function claimableRuns(plan: RunPlan): PlannedRun[] {
  const refused = new Set(plan.problems.filter((p) => p.kind === 'outputIsInput').map((p) => p.index));
  return plan.runs.filter((r) => r.outputPath !== STREAM_PATH && !refused.has(r.index));
}

/**
 * One error saying every problem, one per line; its code is the first problem's (FILE_EXISTS for
 * an existing output, PARAMETER_INVALID for a type, INVALID_ARGUMENT otherwise).
 */
export function runPlanError(problems: readonly RunPlanProblem[]): QuireError {
  const first = problems[0]?.kind;
  const code = first === 'outputExists' ? ErrorCode.FileExists : first === 'parameterType' ? ErrorCode.ParameterInvalid : ErrorCode.InvalidArgument;
  return new QuireError(code, problems.map((p) => p.message).join('\n'), { problems: problems.map((p) => p.message) });
}

/** `{notebook}`: the input's file name without `.ipynb` (either separator). */
function notebookName(inputPath: string): string {
  const name = inputPath.slice(Math.max(inputPath.lastIndexOf('/'), inputPath.lastIndexOf('\\')) + 1);
  return name.replace(/\.ipynb$/i, '');
}
