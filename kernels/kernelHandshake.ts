/**
 * The start-up handshake, event-driven. A kernel is ready when (a) it answered a kernel_info_request
 * on shell and (b) an iopub message parented to one of our kernel_info requests arrived — proof
 * that the iopub subscription is live, so no output of the first execute is lost to ZeroMQ's
 * "slow joiner". jupyter_client's wait_for_ready gets the same guarantee by polling; here the
 * first request waits in the Dealer's queue until the kernel binds, and follow-ups are sent only
 * while iopub is still silent.
 */
import { Subscription } from 'rxjs';
import { ErrorCode, QuireError } from '../src/errors';
import type { KernelClient } from '../src/jupyter/kernelClient';
import type { KernelInfoReplyMsg } from '../src/jupyter/messages';
import { parentId, randomId } from '../src/jupyter/messages';

export interface HandshakeOptions {
  timeoutMs: number;
  /** Delay before re-asking when a reply came but iopub was silent (default 5 ms). */
  retryMs?: number;
  /** Re-sends kernel_info while no reply came at all (default 1000 ms). */
  resendMs?: number;
  /** Aborts the wait, e.g. when the process exited. */
  signal?: AbortSignal;
}

export function waitForReady(client: KernelClient, options: HandshakeOptions): Promise<KernelInfoReplyMsg> {
  const retryMs = options.retryMs ?? 5;
  return new Promise<KernelInfoReplyMsg>((resolve, reject) => {
    const ours = new Set<string>();
    let reply: KernelInfoReplyMsg | undefined;
    let iopubSeen = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const sub = new Subscription();
    const finish = (error?: unknown) => {
      clearTimeout(deadline);
      clearTimeout(retry);
      clearInterval(resend);
      sub.unsubscribe();
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(reply!);
    };
    const onAbort = () => finish(options.signal?.reason ?? new Error('aborted'));
    const deadline = setTimeout(() => finish(new QuireError(ErrorCode.KernelStartTimeout,
      `The kernel did not answer kernel_info within ${Math.round(options.timeoutMs / 1000)} s`)), options.timeoutMs);
    // Insurance, as jupyter_client does: while nothing answered at all, ask again every second
    // (the first request normally waits in the Dealer's queue until the kernel binds).
    const resend = setInterval(() => {
      if (!reply) ask();
    }, options.resendMs ?? 1000);
    const ask = () => {
      retry = undefined;
      const msgId = randomId();
      ours.add(msgId);
      client.send('kernel_info_request', {}, 'shell', { msgId }).catch(finish);
    };
    sub.add(client.messages$.subscribe({
      next: (msg) => {
        const parent = parentId(msg);
        if (!parent || !ours.has(parent)) return;
        if (msg.channel === 'iopub') iopubSeen = true;
        else if (msg.header.msg_type === 'kernel_info_reply') reply ??= msg as KernelInfoReplyMsg;
        if (reply && iopubSeen) finish();
        else if (reply && !retry) retry = setTimeout(ask, retryMs);
      },
      error: (error) => finish(error),
    }));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    ask();
  });
}
