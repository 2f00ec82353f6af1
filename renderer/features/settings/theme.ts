/**
 * The theme in force: the `theme` setting, with `system` following the OS's light/dark choice
 * live (prefers-color-scheme). It is shown as `data-theme="light|dark"` on the root element (the
 * CSS variables in styles/app.css follow it), monaco's theme, and vega's config (VegaOutput,
 * ChartView read useResolvedTheme).
 */
import { useSyncExternalStore } from 'react';
import type { ThemeSetting } from '../../../src/settings/settings';
import { loadedMonaco, monacoLoaded } from '../../monaco/loadMonaco';

export type ResolvedTheme = 'light' | 'dark';

export function resolveTheme(setting: ThemeSetting, systemPrefersDark: boolean): ResolvedTheme {
  return setting === 'system' ? (systemPrefersDark ? 'dark' : 'light') : setting;
}

const DARK_QUERY = '(prefers-color-scheme: dark)';
const listeners = new Set<() => void>();
// main.tsx sets the attribute from the OS before the app's code loads.
let resolved: ResolvedTheme = typeof document !== 'undefined' && document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';

function systemQuery(): MediaQueryList | undefined {
  return typeof matchMedia === 'function' ? matchMedia(DARK_QUERY) : undefined;
}

/** Monaco's theme name for a resolved theme (both defined in monaco/monaco.ts). */
export function monacoThemeFor(theme: ResolvedTheme): string {
  return theme === 'dark' ? 'quire-dark' : 'quire-light';
}

function apply(theme: ResolvedTheme): void {
  const changed = theme !== resolved || document.documentElement.dataset.theme !== theme;
  resolved = theme;
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
  loadedMonaco()?.monaco.editor.setTheme(monacoThemeFor(theme));
  if (changed) for (const listener of [...listeners]) listener();
}

/** The theme in force now. */
export function currentTheme(): ResolvedTheme {
  return resolved;
}

/**
 * Applies `getSetting()` now, again on `subscribe`'s calls and when the OS switches between light
 * and dark (undefined: the settings are not known yet). Returns the stop function.
 */
export function followTheme(getSetting: () => ThemeSetting | undefined, subscribe: (listener: () => void) => () => void): () => void {
  const query = systemQuery();
  const update = () => {
    const setting = getSetting();
    // Until the settings arrive, keep what the page shows (the OS's choice, or the early read's).
    apply(setting ? resolveTheme(setting, query?.matches ?? false) : document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');
  };
  update();
  query?.addEventListener('change', update);
  const unsubscribe = subscribe(update);
  // Monaco loads later, with the first editor: give it the theme in force then.
  void monacoLoaded().then(() => loadedMonaco()?.monaco.editor.setTheme(monacoThemeFor(resolved)));
  return () => {
    query?.removeEventListener('change', update);
    unsubscribe();
  };
}

/** React hook: the theme in force, re-rendering when it changes. */
export function useResolvedTheme(): ResolvedTheme {
  return useSyncExternalStore((l) => { listeners.add(l); return () => listeners.delete(l); }, () => resolved, () => 'light');
}
