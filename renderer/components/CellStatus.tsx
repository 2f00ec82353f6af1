import { useEffect, useState } from 'react';
import { kernelsActions } from '../features/kernels/kernelsSlice';
import type { CellRuntime } from '../features/notebook/notebookSlice';
import { useAppDispatch, useAppSelector } from '../store/hooks';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Queued / running (with a live timer) / done or failed with duration and time / skipped. */
export function CellStatus({ runtime }: { runtime: CellRuntime | undefined }): React.JSX.Element | null {
  const [now, setNow] = useState(() => Date.now());
  const running = runtime?.state === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [running]);
  if (!runtime || runtime.state === 'idle') return null;
  const { state, startedAt, endedAt } = runtime;
  let text: string;
  if (state === 'queued') text = 'Queued';
  else if (state === 'running') text = `Running… ${formatDuration(now - (startedAt ?? now))}`;
  else if (state === 'skipped') text = runtime.note ? `Skipped — ${runtime.note.replace(/^Stopped: /, '')}` : 'Skipped — an earlier cell failed or was interrupted';
  else if (runtime.note) text = runtime.note;
  else {
    const took = startedAt && endedAt ? formatDuration(endedAt - startedAt) : '';
    text = `${state === 'error' ? 'Failed' : 'Done'}${took ? ` in ${took}` : ''}${endedAt ? ` · ${clock(endedAt)}` : ''}`;
  }
  return <div className={`quire-cell-status status-${state}`} data-testid="cell-status">{text}</div>;
}

/** Under a running cell when an interrupt went unanswered (kernelsEpics' INTERRUPT_ANSWER_MS): offers a restart. */
export function InterruptUnanswered(): React.JSX.Element | null {
  const dispatch = useAppDispatch();
  const unanswered = useAppSelector((s) => s.kernels.interruptUnanswered === true);
  if (!unanswered) return null;
  return (
    <div className="quire-cell-status quire-interrupt-unanswered" role="alert" data-testid="interrupt-unanswered">
      The kernel did not respond to the interrupt.{' '}
      <button type="button" className="quire-link" onClick={() => dispatch(kernelsActions.restartRequested({}))} data-testid="interrupt-restart">Restart kernel?</button>
    </div>
  );
}
