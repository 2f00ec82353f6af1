/** Something that owns a resource (process, socket, timer, listener) and releases it once. */
export interface IDisposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): IDisposable {
  let disposed = false;
  return {
    dispose() {
      if (!disposed) {
        disposed = true;
        fn();
      }
    },
  };
}

export function combinedDisposable(...items: IDisposable[]): IDisposable {
  return toDisposable(() => disposeAll(items));
}

/** Disposes every item even when one throws; rethrows the first error afterwards. */
export function disposeAll(items: Iterable<IDisposable>): void {
  let first: unknown;
  for (const item of items) {
    try {
      item.dispose();
    } catch (error) {
      first ??= error;
    }
  }
  if (first !== undefined) throw first;
}

/** A set of disposables released together; adding to a disposed store disposes at once. */
export class DisposableStore implements IDisposable {
  private readonly _items = new Set<IDisposable>();
  private _isDisposed = false;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  add<T extends IDisposable>(item: T): T {
    if (this._isDisposed) {
      item.dispose();
    } else {
      this._items.add(item);
    }
    return item;
  }

  delete(item: IDisposable): void {
    if (this._items.delete(item)) item.dispose();
  }

  clear(): void {
    const items = [...this._items];
    this._items.clear();
    disposeAll(items);
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    this.clear();
  }
}

/** Base class for owners of resources: `_register` ties a child's lifetime to this object. */
export abstract class Disposable implements IDisposable {
  private readonly _store = new DisposableStore();

  protected get isDisposed(): boolean {
    return this._store.isDisposed;
  }

  protected _register<T extends IDisposable>(item: T): T {
    return this._store.add(item);
  }

  dispose(): void {
    this._store.dispose();
  }
}
