/**
 * Creating a monaco editor costs tens of milliseconds, and monaco itself is loaded by the first
 * request here (loadMonaco.ts), after the notebook's first paint. Cells first paint as plain text and turn into editors in idle time once
 * monaco is here, nearest first in the order they asked, as many per idle slot as its time allows
 * (each task creates its editor synchronously, so the slot's clock sees the real cost); a click or
 * focus upgrades a cell at once. This keeps opening a notebook from waiting on a dozen editors.
 */
import { loadedMonaco, loadMonaco } from './loadMonaco';

type Task = () => void;

const queue: Task[] = [];
let scheduled = false;

type IdleDeadlineLike = { timeRemaining(): number };
const requestIdle: (cb: (d: IdleDeadlineLike) => void) => void =
  typeof requestIdleCallback === 'function'
    ? (cb) => requestIdleCallback(cb, { timeout: 150 })
    : (cb) => setTimeout(() => cb({ timeRemaining: () => 8 }), 16);

function pump(deadline: IdleDeadlineLike): void {
  scheduled = false;
  // At least one per slot so a busy page still converges; more while the slot lasts.
  do {
    queue.shift()?.();
  } while (queue.length > 0 && deadline.timeRemaining() > 6);
  if (queue.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  if (loadedMonaco()) {
    requestIdle(pump);
    return;
  }
  loadMonaco().then(
    () => requestIdle(pump),
    (error: unknown) => {
      // The cells stay plain text; the next upgrade request tries the load again.
      scheduled = false;
      console.error('Quire: the code editor did not load', error);
    },
  );
}

/** Runs `task` in a later idle slot, after monaco has loaded; the returned function cancels it. */
export function scheduleUpgrade(task: Task): () => void {
  queue.push(task);
  schedule();
  return () => {
    const i = queue.indexOf(task);
    if (i >= 0) queue.splice(i, 1);
  };
}
