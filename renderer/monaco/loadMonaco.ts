/**
 * Monaco is about 3 MB of code, so it is a chunk of its own, imported after the app's first render:
 * cells paint as plain text meanwhile and become editors once it is here (upgradeQueue.ts). The
 * page preloads the chunk (renderer/vite.config.ts), so the browser fetches and parses it in
 * parallel with the app's own code; only running it waits. Import monaco's values only through
 * here (types are free), or the app's chunk pulls all of monaco back in.
 */
export type MonacoModule = typeof import('./monaco');

let loaded: MonacoModule | undefined;
let loading: Promise<MonacoModule> | undefined;

/** Loads monaco once and sets it up (worker, theme); a failed load is tried again on the next call. */
export function loadMonaco(): Promise<MonacoModule> {
  loading ??= import('./monaco').then(
    (module) => {
      module.setupMonaco();
      loaded = module;
      return module;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** The load under way or done, else undefined (nothing is started). */
export function monacoLoading(): Promise<MonacoModule> | undefined {
  return loading;
}

/** Monaco when it has loaded, else undefined (nothing is started). */
export function loadedMonaco(): MonacoModule | undefined {
  return loaded;
}
