import { useEffect, useState, type ComponentType } from 'react';

/**
 * A component in its own chunk, loaded on first use or ahead of it (`load()` on hover, at idle).
 * Not React.lazy: a lazy component inside Suspense is revealed at most every 300 ms after its
 * fallback shows (React's fallback throttle), which would dominate the time to open a view.
 */
export interface LazyComponent<P> {
  /** Starts loading (once; again after a failure) and resolves with the component. */
  load(): Promise<ComponentType<P>>;
  /** The component, once loaded. */
  readonly loaded: ComponentType<P> | undefined;
}

export function lazyComponent<P>(factory: () => Promise<{ default: ComponentType<P> }>): LazyComponent<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  let loaded: ComponentType<P> | undefined;
  return {
    load() {
      loading ??= factory().then(
        (module) => (loaded = module.default),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      );
      return loading;
    },
    get loaded() {
      return loaded;
    },
  };
}

/** The component when `wanted` and loaded; loads it when wanted; `error` when loading failed. */
export function useLazyComponent<P>(lazy: LazyComponent<P>, wanted: boolean): { Component: ComponentType<P> | undefined; error: string | null } {
  const [, setLoads] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!wanted || lazy.loaded) return;
    let live = true;
    setError(null);
    lazy.load().then(
      () => live && setLoads((n) => n + 1),
      (e: unknown) => live && setError(e instanceof Error ? e.message || e.name : String(e)),
    );
    return () => {
      live = false;
    };
  }, [lazy, wanted]);
  return { Component: wanted ? lazy.loaded : undefined, error: wanted ? error : null };
}
