/**
 * Output path templates for runs: `{notebook}`, any `{parameter}`, `{timestamp}`, `{run_id}`,
 * `{index}` (1-based, in batches) and papermill's built-ins, spelled as papermill spells them
 * (`{pm[run_uuid]}`, `{pm[current_datetime_utc]}`, `{pm[current_datetime_local]}`: Python's
 * `str(datetime)`, or strftime with a spec such as `{pm[current_datetime_utc]:%Y%m%d}`) or with
 * Quire's dotted names (`{pm.run_uuid}`; the dotted dates are `YYYY-MM-DDTHH:MM:SS`). The result
 * is the filled template (relative stays relative, as papermill records it); pass `baseDir` to get
 * an absolute path.
 */
import { basename, resolve } from 'node:path';
import { parameterizePath, runPathBuiltins } from '../../src/parameterize/parameterizePath';
import type { Parameters } from '../../src/parameterize/translators';

export interface OutputPathContext {
  inputPath: string;
  runId: string;
  now?: Date;
  /** 1-based position in a batch. */
  index?: number;
  baseDir?: string;
}

export function resolveOutputPath(template: string, params: Parameters, ctx: OutputPathContext): string {
  const filled = parameterizePath(template, params, runPathBuiltins({
    notebook: basename(ctx.inputPath).replace(/\.ipynb$/i, ''), runId: ctx.runId, now: ctx.now ?? new Date(), index: ctx.index,
  }));
  return ctx.baseDir ? resolve(ctx.baseDir, filled) : filled;
}
