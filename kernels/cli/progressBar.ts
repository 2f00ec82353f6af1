/**
 * `quire run`'s progress bar on stderr, drawn like papermill's tqdm bar:
 * `Executing:  40%|████████            | 2/5 [00:01<00:02,  1.50cell/s]`. It counts every cell
 * (markdown too), and a `papermill_description=NAME` marker in a cell's source (usually a
 * `#papermill_description=NAME` comment) relabels it `Executing NAME` from that cell on. On a
 * terminal it redraws one line; elsewhere (a log file, `--progress-bar` forced) it writes a line
 * per step.
 */
const BAR_WIDTH = 20;
const DESCRIPTION_MARKER = 'papermill_description=';

/** The label a cell asks for: the text after the marker up to the first whitespace (papermill's rule). */
export function cellDescription(source: string): string | undefined {
  const at = source.indexOf(DESCRIPTION_MARKER);
  if (at < 0) return undefined;
  return source.slice(at + DESCRIPTION_MARKER.length).split(/\s/)[0] || undefined;
}

/** tqdm's intervals: `MM:SS`, or `H:MM:SS` from an hour on. */
function interval(seconds: number): string {
  const s = Math.floor(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  return h > 0 ? `${h}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}` : `${two(Math.floor(s / 60))}:${two(s % 60)}`;
}

export function formatProgress(p: { label: string; done: number; total: number; elapsedSec: number }): string {
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const bar = '█'.repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, ' ');
  const rate = p.done > 0 && p.elapsedSec > 0 ? p.done / p.elapsedSec : undefined;
  const remaining = rate ? interval((p.total - p.done) / rate) : '?';
  // tqdm flips to seconds per cell when cells take longer than a second.
  const speed = rate === undefined ? '?cell/s' : rate >= 1 ? `${rate.toFixed(2).padStart(5)}cell/s` : `${(1 / rate).toFixed(2).padStart(5)}s/cell`;
  return `${p.label}: ${String(Math.round(fraction * 100)).padStart(3)}%|${bar}| ${p.done}/${p.total} [${interval(p.elapsedSec)}<${remaining}, ${speed}]`;
}

export class ProgressBar {
  private _label = 'Executing';
  private _done = 0;
  private _lastWidth = 0;
  private _drawn = false;
  private readonly _started: number;

  constructor(
    private readonly _total: number,
    private readonly _write: (text: string) => void,
    private readonly _terminal: boolean,
    private readonly _now: () => number = Date.now,
  ) {
    this._started = this._now();
  }

  /** A cell starts: relabels the bar if the cell carries a description; draws the first line. */
  cellStart(source: string): void {
    const description = cellDescription(source);
    const label = description ? `Executing ${description}` : this._label;
    if (this._drawn && label === this._label) return;
    this._label = label;
    this._draw();
  }

  cellComplete(): void {
    this._done = Math.min(this._total, this._done + 1);
    this._draw();
  }

  /** Ends the line on a terminal (the bar stays where the run stopped). */
  close(): void {
    if (this._terminal && this._drawn) this._write('\n');
    this._drawn = false;
  }

  private _draw(): void {
    const line = formatProgress({ label: this._label, done: this._done, total: this._total, elapsedSec: (this._now() - this._started) / 1000 });
    if (this._terminal) {
      this._write(`\r${line.padEnd(this._lastWidth, ' ')}`);
      this._lastWidth = line.length;
    } else {
      this._write(`${line}\n`);
    }
    this._drawn = true;
  }
}
