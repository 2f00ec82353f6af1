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
import { parameterizePath, PathDateTime, pathTimestamp } from '../../src/parameterize/parameterizePath';
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
  const now = ctx.now ?? new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  const filled = parameterizePath(template, params, {
    notebook: basename(ctx.inputPath).replace(/\.ipynb$/i, ''),
    timestamp: pathTimestamp(now),
    run_id: ctx.runId,
    ...(ctx.index !== undefined ? { index: String(ctx.index) } : {}),
    pm: { run_uuid: ctx.runId, current_datetime_local: new PathDateTime(now, false), current_datetime_utc: new PathDateTime(now, true) },
    'pm.run_uuid': ctx.runId,
    'pm.current_datetime_utc': now.toISOString().slice(0, 19),
    'pm.current_datetime_local': local,
  });
  return ctx.baseDir ? resolve(ctx.baseDir, filled) : filled;
}
