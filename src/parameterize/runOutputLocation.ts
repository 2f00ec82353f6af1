/**
 * Where a run's output goes, for every caller that needs to know before the run exists: the host's
 * run service (and its workspace guard) and the app's "Run with parameters" preview. A relative
 * output template belongs to the input notebook's folder, not to the workspace root or the host's
 * working directory; one function says so, so the preview and the file never disagree.
 */

/** The output template of runs started from the app when none is given: `runs/` beside the notebook. */
export const DEFAULT_RUN_OUTPUT_TEMPLATE = 'runs/{notebook}_{timestamp}_{run_id}.ipynb';

/** True for `/x`, `\\x`, `C:\x` and `C:/x`. */
export function isAbsoluteRunPath(path: string): boolean {
  return /^[\\/]/.test(path) || /^[A-Za-z]:[\\/]/.test(path);
}

/** The folder part of a notebook path (either separator); '' for a bare file name. */
export function notebookFolder(inputPath: string): string {
  const i = Math.max(inputPath.lastIndexOf('/'), inputPath.lastIndexOf('\\'));
  return i < 0 ? '' : i === 0 ? inputPath[0] : inputPath.slice(0, i);
}

/**
 * `template` (default: DEFAULT_RUN_OUTPUT_TEMPLATE) anchored at the input's folder: an absolute
 * template is returned as is, a relative one prefixed with the folder, whose braces are doubled so
 * the filled path keeps them literally (a folder named `{x}` is not a placeholder).
 */
export function anchorOutputTemplate(template: string | undefined, inputPath: string): string {
  const chosen = template ?? DEFAULT_RUN_OUTPUT_TEMPLATE;
  const folder = notebookFolder(inputPath);
  if (isAbsoluteRunPath(chosen) || folder === '') return chosen;
  const escaped = folder.replace(/[{}]/g, (brace) => brace + brace);
  return /[\\/]$/.test(escaped) ? `${escaped}${chosen}` : `${escaped}/${chosen}`;
}
