import { Observable } from 'rxjs';
import type { Event } from '../../src/base/event';

/** A host event as an RxJS stream: subscribing listens, unsubscribing disposes the listener. */
export function toObservable<T>(event: Event<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const listener = event((e) => subscriber.next(e));
    return () => listener.dispose();
  });
}
