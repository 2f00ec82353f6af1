/**
 * The explorer's one preference: whether Quire turns on pandas' `display.html.table_schema`
 * in new Python kernels (on by default). Persisted in localStorage, per installation.
 */
const KEY = 'quire.explorer.pandasTableSchema';

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export function pandasTableSchemaEnabled(): boolean {
  return storage()?.getItem(KEY) !== 'false';
}

export function setPandasTableSchemaEnabled(enabled: boolean): void {
  storage()?.setItem(KEY, enabled ? 'true' : 'false');
}
