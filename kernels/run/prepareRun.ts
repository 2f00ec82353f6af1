/**
 * The first half of a run, before any kernel: load the input, inject parameters, record paths,
 * drop old error banners (papermill's execute_notebook up to the engine call).
 */
import { resolve } from 'node:path';
import { ErrorCode, QuireError } from '../../src/errors';
import type { Notebook } from '../../src/jupyter/nbformat';
import { checkParameterTypes } from '../../src/parameterize/cliValues';
import { inferNotebookParameters } from '../../src/parameterize/inferParameters';
import {
  notebookKernelAndLanguage, parameterizeNotebook, prepareLoadedNotebook, prepareNotebookMetadata, removeErrorMarkers,
} from '../../src/parameterize/parameterizeNotebook';
import type { Parameters, TranslatorRegistry } from '../../src/parameterize/translators';

export interface PrepareRunOptions {
  inputPath: string;
  outputPath: string;
  parameters?: Parameters;
  kernelName?: string;
  language?: string;
  comment?: string;
  reportMode?: boolean;
  /** Refuse values that do not fit the inferred parameter types (Quire's check). */
  typeCheck?: boolean;
  registry?: TranslatorRegistry;
  log?: (level: 'info' | 'warning', message: string) => void;
}

/** Loads and prepares; throws QuireError for parameter problems before anything starts. */
export function prepareRun(input: Notebook, options: PrepareRunOptions): Notebook {
  const params = options.parameters ?? {};
  // `-` (stdin, stdout) is a stream, never the input file.
  if (options.outputPath !== '-' && resolve(options.inputPath) === resolve(options.outputPath)) {
    throw new QuireError(ErrorCode.InvalidArgument, `The output path must differ from the input notebook (${options.inputPath}); a run never changes its input`);
  }
  let nb = prepareLoadedNotebook(structuredClone(input));
  if (Object.keys(params).length > 0) {
    const inferred = inferNotebookParameters(nb) ?? [];
    const known = new Set(inferred.map((p) => p.name));
    for (const name of Object.keys(params)) if (!known.has(name)) options.log?.('warning', `Passed unknown parameter: ${name}`);
    if (options.typeCheck) {
      const problems = checkParameterTypes(params, inferred);
      if (problems.length > 0) {
        throw new QuireError(ErrorCode.ParameterInvalid, problems.map((p) => p.message).join('\n'), { problems: problems.map((p) => p.message) });
      }
    }
    // A notebook without a language (no kernelspec, or a python3 spec without `language`) runs a
    // Python kernel, so translate for Python rather than fail.
    const resolved = notebookKernelAndLanguage(nb, { kernelName: options.kernelName, language: options.language });
    const language = resolved.language ?? (!resolved.kernelName || /^python/i.test(resolved.kernelName) ? 'python' : undefined);
    const result = parameterizeNotebook(nb, params, {
      kernelName: options.kernelName, language, comment: options.comment, reportMode: options.reportMode, registry: options.registry,
    });
    for (const warning of result.warnings) options.log?.('warning', warning);
    nb = result.notebook;
  }
  nb = prepareNotebookMetadata(nb, options.inputPath, options.outputPath, options.reportMode);
  return removeErrorMarkers(nb);
}

/** The kernelspec name a run starts: the override, else the notebook's kernelspec, else python3. */
export function runKernelName(nb: Notebook, override?: string): string {
  return notebookKernelAndLanguage(nb, { kernelName: override }).kernelName ?? 'python3';
}
