import { useEffect, useState } from 'react';
import type { CellRuntime } from '../features/notebook/notebookSlice';

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
