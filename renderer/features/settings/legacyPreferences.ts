/**
 * Where older versions kept preferences: this window's localStorage (which the browser shell's
 * temporary profile throws away at every start). Read once to move them into settings.json.
 */
import type { Settings } from '../../../src/settings/settings';

const OUTPUT_LINES = 'quire.outputs.maxLines';
const TABLE_SCHEMA = 'quire.explorer.pandasTableSchema';

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** The old preferences that are present and valid. */
export function readLegacyPreferences(): Partial<Settings> {
  const store = storage();
  const found: Partial<Settings> = {};
  const lines = store?.getItem(OUTPUT_LINES);
  if (lines !== null && lines !== undefined && /^\d+$/.test(lines) && Number(lines) <= 10_000_000) found['outputs.maxLines'] = Number(lines);
  const schema = store?.getItem(TABLE_SCHEMA);
  if (schema === 'true' || schema === 'false') found['explorer.pandasTableSchema'] = schema === 'true';
  return found;
}

export function removeLegacyPreferences(): void {
  const store = storage();
  store?.removeItem(OUTPUT_LINES);
  store?.removeItem(TABLE_SCHEMA);
}
