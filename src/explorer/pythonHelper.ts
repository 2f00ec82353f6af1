/**
 * The kernel side of the explorer protocol for Python/pandas, as source text. Quire installs it
 * with one silent execute into a private module `__quire_explorer__` (not the user's namespace):
 * it registers a DataFrame display formatter that emits `application/vnd.dataresource+json`
 * plus `metadata.quire.frame_id` (a weak reference in a kernel-side registry), and a
 * `query(json)` function that answers `ExplorerRequest`s (see protocol.ts). Another language
 * implements the same two things: a frame id in the output metadata, and a query entry point.
 */
import { PYTHON_HELPER_FRAMES } from './pythonHelperFrames';
import { PYTHON_HELPER_OPS } from './pythonHelperOps';
import { PYTHON_HELPER_VIEW } from './pythonHelperView';

/** The complete helper module source. */
export const PYTHON_EXPLORER_HELPER = [PYTHON_HELPER_FRAMES, PYTHON_HELPER_VIEW, PYTHON_HELPER_OPS].join('\n\n');

/** Name of the private module the helper lives in. */
export const PYTHON_HELPER_MODULE = '__quire_explorer__';

/**
 * Code for the silent execute at kernel start. Installs the helper module and the formatter;
 * pandas is NOT imported here (no start-up cost, nothing happens without pandas): the pandas
 * option `display.html.table_schema` is switched on once pandas is imported (after the cell
 * that imports it, or at the first DataFrame display), unless `tableSchema` is false. Table
 * outputs keep `rowLimit` rows (0 or absent: pandas' `display.max_rows`).
 */
export function pythonStartupCode(options: { tableSchema: boolean; rowLimit?: number }): string {
  const args = `${options.tableSchema ? 'True' : 'False'}, ${Math.max(0, Math.floor(options.rowLimit ?? 0))}`;
  return [
    'def __quire_explorer_install():',
    '    import sys, types',
    `    mod = types.ModuleType(${JSON.stringify(PYTHON_HELPER_MODULE)})`,
    `    exec(compile(${JSON.stringify(PYTHON_EXPLORER_HELPER)}, '<quire-explorer>', 'exec'), mod.__dict__)`,
    `    old = sys.modules.get(${JSON.stringify(PYTHON_HELPER_MODULE)})`,
    '    if old is not None:',
    `        return old.install(${args})`,
    `    sys.modules[${JSON.stringify(PYTHON_HELPER_MODULE)}] = mod`,
    `    return mod.install(${args})`,
    'try:',
    '    __quire_explorer_install()',
    'finally:',
    '    del __quire_explorer_install',
    '',
  ].join('\n');
}

/** The Python expression that answers one request (JSON text) with a reply bundle. */
export function pythonQueryExpression(requestJson: string): string {
  return `__import__(${JSON.stringify(PYTHON_HELPER_MODULE)}).query(${JSON.stringify(requestJson)})`;
}
