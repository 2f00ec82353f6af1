/**
 * The run planner's disk half, for `quire run` and the host's run service alike: on top of the
 * pure plan (src/parameterize/planRuns.ts) it reads each input once for the type check, refuses
 * outputs that exist, and claims the outputs (outputClaim.ts). Every problem of a plan is said at
 * once, in one error, before any kernel starts.
 */
import { resolve } from 'node:path';
import type { Notebook } from '../../src/jupyter/nbformat';
import { inferNotebookParameters } from '../../src/parameterize/inferParameters';
import {
  claimableRuns, parameterTypeProblems, planRuns, type RunPlan, type RunPlanOptions, type RunPlanProblem, type RunPlanRequest, runPlanError, runPlanMessages, STREAM_PATH,
} from '../../src/parameterize/planRuns';
import type { RunNotebookIo } from './notebookIo';
import { claimOutputs, type OutputClaim } from './outputClaim';

export type { PlannedRun, RunPlan } from '../../src/parameterize/planRuns';

/** The pure plan with paths compared as the filesystem will see them (resolved). */
export function planRunsFor(requests: readonly RunPlanRequest[], options: Omit<RunPlanOptions, 'pathKey' | 'inferred'>): RunPlan {
  return planRuns(requests, { ...options, pathKey: (p) => resolve(p) });
}

export interface CheckRunPlanOptions {
  io: RunNotebookIo;
  /** Refuse parameter values that do not fit the inputs' inferred types. */
  typeCheck?: boolean;
  /** The outputs are this process's claims already (their existence is no conflict). */
  claimed?: boolean;
  /** The caller's own problems (e.g. `quire run --stdout-file` naming a notebook), said with the rest. */
  extraProblems?: string[];
}

/**
 * Reads each input once (a missing or unreadable input fails here, before anything starts) and
 * throws one error with every problem of the plan: the pure ones, types, existing outputs, the
 * caller's. Resolves with the inputs read, by path, for the caller to prepare the runs from.
 */
export async function checkRunPlan(plan: RunPlan, options: CheckRunPlanOptions): Promise<Map<string, Notebook>> {
  const inputs = new Map<string, Notebook>();
  for (const run of plan.runs) if (!inputs.has(run.inputPath)) inputs.set(run.inputPath, await options.io.read(run.inputPath));
  const problems: RunPlanProblem[] = [...plan.problems];
  if (options.typeCheck) {
    const inferred = new Map([...inputs].map(([path, nb]) => [path, inferNotebookParameters(nb) ?? []]));
    problems.push(...parameterTypeProblems(plan.runs, (input) => inferred.get(input)));
  }
  const refused = new Set(problems.filter((p) => p.kind === 'outputIsInput').map((p) => p.index));
  const labelled = plan.runs.length > 1;
  for (const run of plan.runs) {
    if (run.outputPath === STREAM_PATH || run.overwrite || options.claimed || refused.has(run.index)) continue;
    if (await options.io.exists(run.outputPath)) {
      problems.push({ kind: 'outputExists', index: run.index, message: runPlanMessages.outputExists(labelled ? `run ${run.index}: ` : '', run.outputPath) });
    }
  }
  problems.sort((a, b) => a.index - b.index);
  const all = [...problems, ...(options.extraProblems ?? []).map((message) => ({ kind: 'other' as const, index: 0, message }))];
  if (all.length > 0) throw runPlanError(all);
  return inputs;
}

/**
 * Claims every claimable output (an exclusive create without overwrite, a write test with it); on
 * a refusal releases those already claimed and throws (FILE_EXISTS or WRITE_FAILED).
 */
export async function claimPlannedRuns(plan: RunPlan): Promise<OutputClaim[]> {
  const claims: OutputClaim[] = [];
  try {
    for (const run of claimableRuns(plan)) claims.push(...(await claimOutputs([run.outputPath], { overwrite: run.overwrite, inputPath: run.inputPath })));
  } catch (error) {
    await Promise.all(claims.map((c) => c.release()));
    throw error;
  }
  return claims;
}
