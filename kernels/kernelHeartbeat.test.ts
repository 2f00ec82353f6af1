/**
 * Heartbeats with the default settings and a real ipykernel: a stopped kernel (SIGSTOP) is
 * reported `unresponsive` within 2 s, and goes back to its previous status when it answers again
 * (SIGCONT): a loaded machine that delays beats raises no lasting false alarm. The time to the
 * event is the measured property: asserted generously for loaded machines and printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event } from '../src/base/event';
import type { KernelStatusEvent } from '../src/host/contract';
import { signalGroup } from './launcher';
import { KernelManager } from './kernelManager';
import type { KernelSession } from './kernelSession';
import { requirePython3Spec, run } from './testing/realKernel';

const nextStatus = (session: KernelSession, status: string) =>
  Event.toPromise(Event.filter(session.onDidChangeStatus, (e: KernelStatusEvent) => e.status === status));

describe('a stopped kernel', () => {
  let manager: KernelManager;
  let session: KernelSession;
  beforeAll(async () => {
    manager = new KernelManager({ handleSignals: false });
    session = await manager.startKernel({ specName: 'python3', spec: await requirePython3Spec() });
  });
  afterAll(() => {
    if (session?.pid) signalGroup(session.pid, 'SIGCONT');
    manager?.dispose();
  });

  it('is reported unresponsive within 2 s (default heartbeat) and recovers after SIGCONT', async () => {
    const unresponsive = nextStatus(session, 'unresponsive');
    const stoppedAt = performance.now();
    signalGroup(session.pid!, 'SIGSTOP');
    const event = await unresponsive;
    const ms = Math.round(performance.now() - stoppedAt);
    console.log(`[measure] SIGSTOPped kernel reported unresponsive after ${ms} ms (${event.reason})`);
    expect(ms).toBeLessThan(5000);
    expect(session.status).toBe('unresponsive');

    const recovered = nextStatus(session, 'idle');
    const continuedAt = performance.now();
    signalGroup(session.pid!, 'SIGCONT');
    await recovered;
    console.log(`[measure] back to idle ${Math.round(performance.now() - continuedAt)} ms after SIGCONT`);
    const messages = await run(session.client, '6 * 7');
    expect(messages.find((m) => m.header.msg_type === 'execute_reply')?.content).toMatchObject({ status: 'ok' });
  }, 30_000);
});
