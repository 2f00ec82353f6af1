/**
 * The user's output line limit (how many lines of a text output show before it is cut), shared by
 * every output area and persisted in localStorage, per installation. 0 means no limit.
 */
import { useSyncExternalStore } from 'react';
import { DEFAULT_MAX_OUTPUT_LINES } from './truncate';

const KEY = 'quire.outputs.maxLines';

/** The choices offered next to a cut output. */
export const OUTPUT_LINE_LIMIT_CHOICES: readonly number[] = [100, 1000, 10_000, 0];

const listeners = new Set<() => void>();

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** The current limit (default 1000). */
export function getOutputLineLimit(): number {
  const raw = storage()?.getItem(KEY);
  const n = raw === null || raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_MAX_OUTPUT_LINES;
}

/** Changes the limit for every output area (and future sessions). */
export function setOutputLineLimit(limit: number): void {
  storage()?.setItem(KEY, String(Math.max(0, Math.floor(limit))));
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another window of the app changed it.
  const onStorage = (e: StorageEvent): void => {
    if (e.key === KEY) listener();
  };
  globalThis.addEventListener?.('storage', onStorage);
  return () => {
    listeners.delete(listener);
    globalThis.removeEventListener?.('storage', onStorage);
  };
}

/** React hook: the current limit, re-rendering when it changes. */
export function useOutputLineLimit(): number {
  return useSyncExternalStore(subscribe, getOutputLineLimit, () => DEFAULT_MAX_OUTPUT_LINES);
}
