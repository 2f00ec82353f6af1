/** How `quire run` reacts to signals while runs go (docs/runs.md, "Signals"). */
import { RunExitCode } from '../run/errors';
import { err } from './command';

/**
 * Signals that cancel a run: Ctrl+C, a scheduler's SIGTERM, and SIGHUP (the terminal or SSH
 * session closed; Node would otherwise die at once and leave the kernel running and the output
 * saying `running`).
 */
const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The first signal cancels (interrupt, shut down, save); a second one exits at once. */
export function cancelOnSignals(controller: AbortController): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(RunExitCode.cancelled);
    err(`quire run: cancelling on ${signal} (Ctrl+C again to quit at once)...`);
    controller.abort();
  };
  for (const signal of CANCEL_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of CANCEL_SIGNALS) process.off(signal, handler);
  };
}
