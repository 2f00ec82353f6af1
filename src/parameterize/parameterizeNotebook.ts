/**
 * Injecting parameters into a notebook, exactly where papermill puts them
 * (papermill/parameterize.py::parameterize_notebook), plus the notebook preparation papermill
 * does around it (metadata on load, report mode, error markers). Pure: returns a new notebook.
 */
import type { JsonObject } from '../jupyter/messages';
import { randomId } from '../jupyter/messages';
import type { Cell, CodeCell, MarkdownCell, Notebook } from '../jupyter/nbformat';
import { splitLines } from '../jupyter/nbformat';
import { cellTags } from '../jupyter/notebookOps';
import { findFirstTaggedCellIndex } from './inferParameters';
import { findTranslator } from './languageTranslators';
import type { Parameters, TranslatorRegistry } from './translators';

export const INJECTED_PARAMETERS_TAG = 'injected-parameters';
export const ERROR_MARKER_TAG = 'papermill-error-cell-tag';
/** The `metadata.papermill.version` Quire writes (papermill's format version it matches). */
export const PAPERMILL_FORMAT_VERSION = '2.6.0';

export interface ParameterizeOptions {
  /** Kernel name tried first for the translator (e.g. `python3`, `ir`). */
  kernelName?: string;
  /** Language tried next (`metadata.language_info.name` or `metadata.kernelspec.language`). */
  language?: string;
  /** First line of the injected cell; default `Parameters`. */
  comment?: string;
  /** Hide the injected cell's source (`metadata.jupyter.source_hidden`). */
  reportMode?: boolean;
  registry?: TranslatorRegistry;
  /** New cell ids; default 8 hex characters like nbformat's. */
  newCellId?: () => string;
}

export interface ParameterizeResult {
  notebook: Notebook;
  /** Human-readable warnings papermill logs (no `parameters` cell). */
  warnings: string[];
}

const defaultCellId = (): string => randomId().replace(/-/g, '').slice(0, 8);

/** The kernel name and language papermill would use for a notebook (overrides win). */
export function notebookKernelAndLanguage(nb: Notebook, overrides: { kernelName?: string; language?: string } = {}): { kernelName?: string; language?: string } {
  const kernelspec = (nb.metadata.kernelspec ?? {}) as { name?: string; language?: string };
  const languageInfo = (nb.metadata.language_info ?? {}) as { name?: string };
  return {
    kernelName: overrides.kernelName ?? kernelspec.name,
    language: overrides.language ?? languageInfo.name ?? kernelspec.language,
  };
}

/**
 * Adds an `injected-parameters` code cell holding `params` (replacing an existing one in place,
 * else right after the first `parameters` cell, else at the top with a warning) and records
 * `metadata.papermill.parameters`. With no parameters the notebook is returned unchanged.
 */
export function parameterizeNotebook(nb: Notebook, params: Parameters, options: ParameterizeOptions = {}): ParameterizeResult {
  if (Object.keys(params).length === 0) return { notebook: nb, warnings: [] };
  const { kernelName, language } = notebookKernelAndLanguage(nb, options);
  const translator = findTranslator(kernelName, language, options.registry);
  const source = translator.codify(params, options.comment ?? 'Parameters');
  const newId = options.newCellId ?? defaultCellId;

  const upgraded = upgradeNotebook(nb, newId);
  const metadata: JsonObject = { tags: [INJECTED_PARAMETERS_TAG] };
  if (options.reportMode) metadata.jupyter = { source_hidden: true };
  const injected: CodeCell = { cell_type: 'code', execution_count: null, id: newId(), metadata, outputs: [], source: splitLines(source) };

  const cells = upgraded.cells;
  const injectedIndex = findFirstTaggedCellIndex(cells, INJECTED_PARAMETERS_TAG);
  const parametersIndex = findFirstTaggedCellIndex(cells, 'parameters');
  const warnings: string[] = [];
  let next: Cell[];
  if (injectedIndex >= 0) next = [...cells.slice(0, injectedIndex), injected, ...cells.slice(injectedIndex + 1)];
  else if (parametersIndex >= 0) next = [...cells.slice(0, parametersIndex + 1), injected, ...cells.slice(parametersIndex + 1)];
  else {
    warnings.push("Input notebook does not contain a cell with tag 'parameters'");
    next = [injected, ...cells];
  }
  const papermill = { ...papermillMetadata(upgraded), parameters: params };
  return { notebook: { ...upgraded, cells: next, metadata: { ...upgraded.metadata, papermill } }, warnings };
}

/** nbformat.v4.upgrade for 4.x: minor version 5 and an id on every cell. */
export function upgradeNotebook(nb: Notebook, newId: () => string = defaultCellId): Notebook {
  if (nb.nbformat_minor >= 5 && nb.cells.every((c) => typeof c.id === 'string')) return nb;
  return { ...nb, nbformat_minor: Math.max(5, nb.nbformat_minor), cells: nb.cells.map((c) => (typeof c.id === 'string' ? c : { ...c, id: newId() })) };
}

function papermillMetadata(nb: Notebook): JsonObject {
  const existing = nb.metadata.papermill;
  return existing && typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
}

/**
 * What papermill does on load (iorw.load_notebook_node): create `metadata.papermill` with empty
 * `default_parameters`, `parameters`, `environment_variables` and the version if absent, and give
 * every cell `metadata.tags` and `metadata.papermill`.
 */
export function prepareLoadedNotebook(nb: Notebook): Notebook {
  const metadata = { ...nb.metadata };
  if (!metadata.papermill || typeof metadata.papermill !== 'object') {
    metadata.papermill = { default_parameters: {}, parameters: {}, environment_variables: {}, version: PAPERMILL_FORMAT_VERSION };
  }
  const cells = nb.cells.map((cell) => {
    const cm = { ...cell.metadata };
    if (!Array.isArray(cm.tags)) cm.tags = [];
    if (!cm.papermill || typeof cm.papermill !== 'object') cm.papermill = {};
    return { ...cell, metadata: cm } as Cell;
  });
  return { ...nb, metadata, cells };
}

/**
 * papermill's prepare_notebook_metadata: report mode hides every code cell's source; input and
 * output paths are recorded.
 */
export function prepareNotebookMetadata(nb: Notebook, inputPath: string, outputPath: string, reportMode = false): Notebook {
  const cells = reportMode
    ? nb.cells.map((cell) => {
        if (cell.cell_type !== 'code') return cell;
        const jupyter = { ...((cell.metadata.jupyter as JsonObject | undefined) ?? {}), source_hidden: true };
        return { ...cell, metadata: { ...cell.metadata, jupyter } };
      })
    : nb.cells;
  const papermill = { ...papermillMetadata(nb), input_path: inputPath, output_path: outputPath };
  return { ...nb, cells, metadata: { ...nb.metadata, papermill } };
}

/** Removes the banner cells a previous failed run added (papermill's remove_error_markers). */
export function removeErrorMarkers(nb: Notebook): Notebook {
  const cells = nb.cells.filter((cell) => !cellTags(cell).includes(ERROR_MARKER_TAG));
  return cells.length === nb.cells.length ? nb : { ...nb, cells };
}

const ERROR_STYLE = 'style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;"';

/** papermill's two banners: one at the top linking to the failing cell, one just before it. */
export function insertErrorMarkers(nb: Notebook, failedCellIndex: number, executionCount: number | null, newId: () => string = defaultCellId): Notebook {
  const banner = (text: string): MarkdownCell => ({ cell_type: 'markdown', id: newId(), metadata: { tags: [ERROR_MARKER_TAG] }, source: splitLines(text) });
  const top = banner(`<span ${ERROR_STYLE}>An Exception was encountered at '<a href="#papermill-error-cell">In [${executionCount === null ? 'None' : executionCount}]</a>'.</span>`);
  const anchor = banner(`<span id="papermill-error-cell" ${ERROR_STYLE}>Execution using papermill encountered an exception here and stopped:</span>`);
  const upgraded = upgradeNotebook(nb, newId);
  const cells = [...upgraded.cells];
  cells.splice(failedCellIndex, 0, anchor);
  cells.unshift(top);
  return { ...upgraded, cells };
}
