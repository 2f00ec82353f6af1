/**
 * `window.__quire`: the app's stores, for e2e tests and benchmarks to read (e2e/editorHelpers.ts
 * `appState`) or drive (bench/). Only the test build has it: startApp calls this behind
 * `__QUIRE_TEST_HOOKS__`, which renderer/vite.config.ts sets true for `vite build --mode test`
 * (dist/renderer-test/) and false for the product, whose bundle then has none of this code. The
 * product never hands page scripts a global door to the stores.
 */
declare global {
  /** Replaced at build time (renderer/vite.config.ts `define`); undeclared elsewhere (vitest). */
  const __QUIRE_TEST_HOOKS__: boolean | undefined;
}

export interface TestHooks {
  /** The active document's store. */
  store: unknown;
  /** The window's store. */
  window: unknown;
  kernels: unknown;
}

export function exposeTestHooks(hooks: TestHooks): void {
  (window as unknown as { __quire?: TestHooks }).__quire = hooks;
}
