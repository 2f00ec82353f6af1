/**
 * Monaco is about 3 MB of code, so it is a chunk of its own, loaded when the first cell asks for an
 * editor (upgradeQueue.ts), after the notebook has painted as plain text. The page preloads the
 * chunk (renderer/vite.config.ts), so the browser fetches and parses it in parallel with the app's
 * own code; only running it (a few hundred milliseconds) waits, and not in front of that paint.
 * Import monaco's values only through here (types are free), or the app's chunk pulls all of monaco
 * back in.
 */
export type MonacoModule = typeof import('./monaco');

let loaded: MonacoModule | undefined;
let loading: Promise<MonacoModule> | undefined;
let announce: (module: MonacoModule) => void;
const loadedOnce = new Promise<MonacoModule>((resolve) => { announce = resolve; });

/** Loads monaco once and sets it up (worker, theme); a failed load is tried again on the next call. */
export function loadMonaco(): Promise<MonacoModule> {
  loading ??= import('./monaco').then(
    (module) => {
      module.setupMonaco();
      loaded = module;
      announce(module);
      return module;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Resolves when monaco has loaded, without loading it (never, if nothing asks for an editor). */
export function monacoLoaded(): Promise<MonacoModule> {
  return loadedOnce;
}

/** Monaco when it has loaded, else undefined (nothing is started). */
export function loadedMonaco(): MonacoModule | undefined {
  return loaded;
}
