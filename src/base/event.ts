import { type IDisposable, toDisposable } from './lifecycle';

/**
 * The one event primitive on the host contract (VS Code's shape): subscribe by calling it,
 * unsubscribe by disposing what it returns. No RxJS on the wire contract; the renderer adapts.
 */
export type Event<T> = (listener: (e: T) => void) => IDisposable;

export namespace Event {
  export const None: Event<never> = () => toDisposable(() => undefined);

  export function map<I, O>(event: Event<I>, fn: (i: I) => O): Event<O> {
    return (listener) => event((e) => listener(fn(e)));
  }

  export function filter<T>(event: Event<T>, predicate: (e: T) => boolean): Event<T> {
    return (listener) => event((e) => {
      if (predicate(e)) listener(e);
    });
  }

  /** Resolves with the next event. */
  export function toPromise<T>(event: Event<T>): Promise<T> {
    return new Promise((resolve) => {
      const sub = event((e) => {
        sub.dispose();
        resolve(e);
      });
    });
  }
}

export interface EmitterOptions {
  /** Called when the first listener is added (e.g. to open an upstream subscription). */
  onWillAddFirstListener?: () => void;
  /** Called after the last listener is removed. */
  onDidRemoveLastListener?: () => void;
}

export class Emitter<T> implements IDisposable {
  private _listeners: Array<(e: T) => void> = [];
  private _disposed = false;
  private _event: Event<T> | undefined;

  constructor(private readonly _options: EmitterOptions = {}) {}

  get event(): Event<T> {
    this._event ??= (listener) => {
      if (this._disposed) return toDisposable(() => undefined);
      if (this._listeners.length === 0) this._options.onWillAddFirstListener?.();
      this._listeners = [...this._listeners, listener];
      return toDisposable(() => {
        const index = this._listeners.indexOf(listener);
        if (index < 0) return;
        this._listeners = this._listeners.filter((_, i) => i !== index);
        if (this._listeners.length === 0) this._options.onDidRemoveLastListener?.();
      });
    };
    return this._event;
  }

  get hasListeners(): boolean {
    return this._listeners.length > 0;
  }

  /**
   * Delivers to a snapshot of the listeners; one listener throwing does not starve the rest.
   * The first error is rethrown after every listener has run.
   */
  fire(event: T): void {
    let failure: { error: unknown } | undefined;
    for (const listener of this._listeners) {
      try {
        listener(event);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    const had = this._listeners.length > 0;
    this._listeners = [];
    if (had) this._options.onDidRemoveLastListener?.();
  }
}
