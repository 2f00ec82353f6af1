/**
 * A `KernelTransport` over a provider's kernel handle, so a `KernelClient` (execute, requests,
 * reply + idle) works on any provider's kernel. The message stream completes when the handle's
 * channel closes (requests in flight then fail with KernelConnectionClosedError) and errors when
 * it broke.
 */
import { Observable, share } from 'rxjs';
import type { KernelTransport } from '../jupyter/kernelClient';
import type { BaseMessage } from '../jupyter/messages';
import type { IKernelHandle } from './kernelProvider';

export function kernelHandleTransport(handle: IKernelHandle): KernelTransport {
  const messages$ = new Observable<BaseMessage>((subscriber) => {
    if (handle.closed) {
      subscriber.complete();
      return undefined;
    }
    const received = handle.onDidReceiveMessage((msg) => subscriber.next(msg));
    const closed = handle.onDidClose((e) => {
      if (e.error) subscriber.error(new Error(e.error));
      else subscriber.complete();
    });
    return () => {
      received.dispose();
      closed.dispose();
    };
  }).pipe(share());
  return { send: (msg) => handle.send(msg), messages$ };
}
