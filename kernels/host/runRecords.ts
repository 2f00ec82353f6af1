/**
 * Reading run records back from output notebooks: a RunInfo from papermill's metadata (ours or
 * papermill's own outputs), and scrapbook's recorded values (`sb.glue`).
 */
import type { RunInfo, RunStatus } from '../../src/host/contract';
import type { JsonObject, JsonValue } from '../../src/jupyter/messages';
import type { Notebook } from '../../src/jupyter/nbformat';
import { joinSource } from '../../src/jupyter/nbformat';
import { cellTags } from '../../src/jupyter/notebookOps';
import { ERROR_MARKER_TAG } from '../../src/parameterize/parameterizeNotebook';

const SCRAP_MIME = /^application\/scrapbook\.scrap\.(\w+)\+json$/;

/** Values glued with scrapbook's `json` and `text` encoders, by name (later glues win). */
export function scrapsOf(nb: Notebook): Record<string, JsonValue> {
  const scraps: Record<string, JsonValue> = {};
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    for (const output of cell.outputs) {
      if (output.output_type !== 'display_data' && output.output_type !== 'execute_result') continue;
      for (const [mime, payload] of Object.entries(output.data)) {
        const encoder = SCRAP_MIME.exec(mime)?.[1];
        if (!encoder || (encoder !== 'json' && encoder !== 'text')) continue;
        const scrap = payload as JsonObject;
        if (scrap && typeof scrap === 'object' && typeof scrap.name === 'string' && 'data' in scrap) {
          scraps[scrap.name] = encoder === 'text' && Array.isArray(scrap.data) ? joinSource(scrap.data as string[]) : scrap.data;
        }
      }
    }
  }
  return scraps;
}

type Papermill = {
  input_path?: string; output_path?: string; parameters?: Record<string, JsonValue>; start_time?: string | null; end_time?: string | null;
  duration?: number | null; exception?: boolean | null; quire?: { status?: RunStatus; reason?: string };
};

/** papermill's naive UTC timestamps → ISO with Z. */
const utc = (t: string | null | undefined) => (t ? (/[Zz]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`) : undefined);

/**
 * The RunInfo an output notebook records, or undefined when it is not a run output. Status: ours
 * (`metadata.papermill.quire.status`) when present; else failed when papermill's error banners are
 * there or the run never finished (no end_time); else completed.
 */
export function runInfoFromNotebook(nb: Notebook, path: string): RunInfo | undefined {
  const pm = nb.metadata?.papermill as Papermill | undefined;
  if (!pm || typeof pm !== 'object' || typeof pm.input_path !== 'string') return undefined;
  const cells = Array.isArray(nb.cells) ? nb.cells : [];
  const statusOf = (c: (typeof cells)[number]) => (c.metadata?.papermill as { status?: string } | undefined)?.status;
  const banners = cells.some((c) => cellTags(c).includes(ERROR_MARKER_TAG));
  const status: RunStatus = pm.quire?.status ?? (banners || !pm.end_time ? 'failed' : 'completed');
  const failedIndex = cells.findIndex((c) => statusOf(c) === 'failed');
  const kernelspec = nb.metadata.kernelspec as { name?: string } | undefined;
  const info: RunInfo = {
    runId: `file:${path}`,
    inputPath: pm.input_path,
    outputPath: path,
    parameters: pm.parameters ?? {},
    kernelName: kernelspec?.name ?? '',
    status,
    totalCells: cells.filter((c) => !cellTags(c).includes(ERROR_MARKER_TAG)).length,
    completedCells: cells.filter((c) => statusOf(c) === 'completed').length,
    scraps: scrapsOf(nb),
  };
  const start = utc(pm.start_time);
  const end = utc(pm.end_time);
  if (start) info.startTime = start;
  if (end) info.endTime = end;
  if (typeof pm.duration === 'number') info.durationSec = pm.duration;
  if (status !== 'completed') {
    const failed = failedIndex >= 0 ? cells[failedIndex] : undefined;
    const error = failed?.cell_type === 'code' ? failed.outputs.find((o) => o.output_type === 'error') : undefined;
    const reason = pm.quire?.reason ?? (pm.end_time ? 'error' : 'incomplete: the run stopped before it finished');
    info.error = {
      ...(failedIndex >= 0 ? { cellIndex: failedIndex } : {}),
      ...(failed?.cell_type === 'code' ? { executionCount: failed.execution_count } : {}),
      ename: error?.output_type === 'error' ? error.ename : reason,
      evalue: error?.output_type === 'error' ? error.evalue : '',
      message: error?.output_type === 'error' ? `${error.ename}: ${error.evalue}` : reason,
    };
  }
  return info;
}
