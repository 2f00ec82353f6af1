import { describe, expect, it } from 'vitest';
import type { InferredParameter } from './inferParameters';
import { claimableRuns, planRuns, type RunPlanOptions, type RunPlanRequest, runPlanError } from './planRuns';

const NOW = new Date('2026-03-04T05:06:07.000Z');
/** Run ids r1, r2, … per plan. */
function options(extra: Partial<RunPlanOptions> = {}): RunPlanOptions {
  let n = 0;
  // `./x` and `x` are one file, as path.resolve says on the Node side.
  return { now: NOW, newRunId: () => `r${++n}-0000-0000`, pathKey: (p) => p.replace(/^\.\//, ''), ...extra };
}
const req = (outputTemplate: string, parameters: RunPlanRequest['parameters'] = {}, inputPath = 'nb/analysis.ipynb'): RunPlanRequest => ({ inputPath, outputTemplate, parameters });
const INFERRED: InferredParameter[] = [{ name: 'alpha', inferred_type_name: 'float', default: '0.1', help: '' }];

describe('planRuns', () => {
  const cases: Array<{ name: string; requests: RunPlanRequest[]; options?: Partial<RunPlanOptions>; outputs: string[]; problems: string[] }> = [
    { name: 'one run: the template filled with its parameters', requests: [req('out/{notebook}_{alpha}.ipynb', { alpha: 0.5 })], outputs: ['out/analysis_0.5.ipynb'], problems: [] },
    { name: 'stdout is never a file', requests: [req('-')], outputs: ['-'], problems: [] },
    { name: 'a single run is index 1; {run_id}, {timestamp}', requests: [req('{index}_{run_id}_{timestamp}.ipynb')], outputs: ['1_r1-0000-0000_20260304T050607Z.ipynb'], problems: [] },
    {
      name: 'a batch: each run its own output by parameter or {index}',
      requests: [req('o/{index}_{alpha}.ipynb', { alpha: 1 }), req('o/{index}_{alpha}.ipynb', { alpha: 1 })],
      outputs: ['o/1_1.ipynb', 'o/2_1.ipynb'], problems: [],
    },
    {
      name: 'two runs on one output (spelled differently)',
      requests: [req('./o/{notebook}.ipynb', { a: 1 }), req('o/{notebook}.ipynb', { a: 2 }), req('o/other.ipynb')],
      outputs: ['./o/analysis.ipynb', 'o/analysis.ipynb', 'o/other.ipynb'],
      problems: ['runs 1 and 2 would both write o/analysis.ipynb; put a parameter, {index} or {run_id} in the output path'],
    },
    {
      name: 'a run writing its own input: one run, no label',
      requests: [req('nb/analysis.ipynb')], outputs: ['nb/analysis.ipynb'],
      problems: ['the output nb/analysis.ipynb is the input notebook; a run never changes its input'],
    },
    {
      name: 'a run writing its own input in a batch: labelled',
      requests: [req('nb/{x}.ipynb', { x: 'fine' }), req('nb/{x}.ipynb', { x: 'analysis' })], outputs: ['nb/fine.ipynb', 'nb/analysis.ipynb'],
      problems: ['run 2: the output nb/analysis.ipynb is the input notebook; a run never changes its input'],
    },
    {
      name: 'type check against the inferred parameters',
      requests: [req('a_{index}.ipynb', { alpha: 0.2 }), req('a_{index}.ipynb', { alpha: 'high' })], options: { inferred: () => INFERRED },
      outputs: ['a_1.ipynb', 'a_2.ipynb'],
      problems: ['run 2: Parameter \'alpha\' expects float (default 0.1) but got str "high"'],
    },
    {
      name: 'the app: ids shortened in paths, outputs anchored at the input folder',
      requests: [req('runs/{notebook}_{run_id}.ipynb', {}, '/w/nb/analysis.ipynb')],
      options: { runIdInPath: (id) => id.slice(0, 2), locate: (filled, input) => `${input.slice(0, input.lastIndexOf('/'))}/${filled}` },
      outputs: ['/w/nb/runs/analysis_r1.ipynb'], problems: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planRuns(c.requests, options(c.options));
      expect(plan.runs.map((r) => r.outputPath)).toEqual(c.outputs);
      expect(plan.runs.map((r) => r.index)).toEqual(c.requests.map((_, i) => i + 1));
      expect(plan.problems.map((p) => p.message)).toEqual(c.problems);
    });
  }

  it('--inject-output-path: parameters that need the filled path get it', () => {
    const plan = planRuns([req('out_{n}.ipynb', { n: 3 })], options({ withOutputPath: (p, out) => ({ ...p, PAPERMILL_OUTPUT_PATH: out }) }));
    expect(plan.runs[0].parameters).toEqual({ n: 3, PAPERMILL_OUTPUT_PATH: 'out_3.ipynb' });
  });

  it('a template naming a missing parameter throws before anything is planned', () => {
    expect(() => planRuns([req('out_{region}.ipynb')], options())).toThrow("Missing parameter 'region' in path template");
  });

  it('claimable runs: not stdout, not the input', () => {
    const plan = planRuns([req('-'), req('nb/analysis.ipynb'), req('x.ipynb')], options());
    expect(claimableRuns(plan).map((r) => r.outputPath)).toEqual(['x.ipynb']);
  });

  it('one error for all problems; its code is the first problem\'s', () => {
    const plan = planRuns([req('same.ipynb', { alpha: 'x' }), req('same.ipynb')], options({ inferred: () => INFERRED }));
    const error = runPlanError(plan.problems);
    expect(error.code).toBe('PARAMETER_INVALID');
    expect(error.message.split('\n')).toHaveLength(2);
    expect(runPlanError([{ kind: 'outputExists', index: 1, message: 'x' }]).code).toBe('FILE_EXISTS');
    expect(runPlanError([{ kind: 'duplicateOutput', index: 2, message: 'x' }]).code).toBe('INVALID_ARGUMENT');
  });
});
