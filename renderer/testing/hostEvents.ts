/** Helpers for marble tests of epics that call the host: promises and events in virtual time. */
import type { Observable } from 'rxjs';
import type { Event } from '../../src/base/event';

/**
 * A promise-like that settles when a cold observable completes, in the TestScheduler's virtual
 * time (a real Promise would settle in a microtask, outside it). rxjs's `from` only calls `then`.
 */
export function later<T>(source: Observable<T>): Promise<T> {
  return {
    then(ok?: (value: T) => void, fail?: (error: unknown) => void) {
      let last: T;
      source.subscribe({ next: (v) => { last = v; }, error: (e: unknown) => fail?.(e), complete: () => ok?.(last) });
      return { then() { /* rxjs chains an error reporter here */ } };
    },
  } as unknown as Promise<T>;
}

/** A host event fed by a (hot) observable. */
export function eventOf<T>(source: Observable<T>): Event<T> {
  return (listener) => {
    const sub = source.subscribe((e) => listener(e));
    return { dispose: () => sub.unsubscribe() };
  };
}
