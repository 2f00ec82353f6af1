/**
 * The explorer's preferences, from settings.json: whether Quire turns on pandas'
 * `display.html.table_schema` in new Python kernels (on by default), and how many rows of a frame
 * its table output keeps. Both are read at kernel start.
 */
import { changeSettings, currentSettings } from '../features/settings/settingsBridge';

export function pandasTableSchemaEnabled(): boolean {
  return currentSettings()['explorer.pandasTableSchema'];
}

export function setPandasTableSchemaEnabled(enabled: boolean): void {
  changeSettings({ 'explorer.pandasTableSchema': enabled });
}

export function explorerRowLimit(): number {
  return currentSettings()['explorer.rowLimit'];
}
