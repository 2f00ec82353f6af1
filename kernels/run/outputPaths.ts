/**
 * Output path templates for runs: `{notebook}`, any `{parameter}`, `{timestamp}`, `{run_id}`,
 * `{index}` (1-based, in batches) and papermill's `{pm.run_uuid}`, `{pm.current_datetime_utc}`,
 * `{pm.current_datetime_local}`. The result is the filled template (relative stays relative, as
 * papermill records it); pass `baseDir` to get an absolute path.
 */
import { basename, resolve } from 'node:path';
import { parameterizePath, pathTimestamp } from '../../src/parameterize/parameterizePath';
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
    'pm.run_uuid': ctx.runId,
    'pm.current_datetime_utc': now.toISOString().slice(0, 19),
    'pm.current_datetime_local': local,
  });
  return ctx.baseDir ? resolve(ctx.baseDir, filled) : filled;
}
