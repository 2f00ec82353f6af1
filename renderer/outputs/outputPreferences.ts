/**
 * The user's output line limit (how many lines of a text output show before it is cut), shared by
 * every output area: the `outputs.maxLines` setting (settings.json). 0 means no limit.
 */
import { changeSettings, currentSettings, useSetting } from '../features/settings/settingsBridge';

/** The choices offered next to a cut output. */
export const OUTPUT_LINE_LIMIT_CHOICES: readonly number[] = [100, 1000, 10_000, 0];

/** The current limit (default 1000). */
export function getOutputLineLimit(): number {
  return currentSettings()['outputs.maxLines'];
}

/** Changes the limit for every output area, every window and future sessions. */
export function setOutputLineLimit(limit: number): void {
  changeSettings({ 'outputs.maxLines': Math.max(0, Math.floor(limit)) });
}

/** React hook: the current limit, re-rendering when it changes. */
export function useOutputLineLimit(): number {
  return useSetting('outputs.maxLines');
}
