import { describe, expect, it } from 'vitest';
import { cellDescription, formatProgress, ProgressBar } from './progressBar';

describe('progress bar (papermill\'s tqdm look)', () => {
  it('formats like tqdm: percent, bar, count, elapsed<remaining, rate', () => {
    expect(formatProgress({ label: 'Executing', done: 0, total: 5, elapsedSec: 0 })).toBe('Executing:   0%|                    | 0/5 [00:00<?, ?cell/s]');
    expect(formatProgress({ label: 'Executing', done: 2, total: 5, elapsedSec: 1 })).toBe('Executing:  40%|████████            | 2/5 [00:01<00:01,  2.00cell/s]');
    expect(formatProgress({ label: 'Executing load', done: 1, total: 4, elapsedSec: 4000 }))
      .toBe('Executing load:  25%|█████               | 1/4 [1:06:40<3:20:00, 4000.00s/cell]');
  });

  it('takes the label from papermill_description= up to the first space', () => {
    expect(cellDescription('#papermill_description=Load_data\nx = 1')).toBe('Load_data');
    expect(cellDescription('x = 1  # papermill_description=fit more words')).toBe('fit');
    expect(cellDescription('#papermill_description= spaced')).toBeUndefined();
    expect(cellDescription('x = 1')).toBeUndefined();
  });

  it('counts every cell; a description sticks for later cells; a line per step off a terminal', () => {
    const written: string[] = [];
    let now = 0;
    const bar = new ProgressBar(3, (t) => written.push(t), false, () => now);
    bar.cellStart('md text');
    now = 1000;
    bar.cellComplete();
    bar.cellStart('#papermill_description=Train\nfit()');
    bar.cellComplete();
    bar.cellStart('print(1)');
    bar.cellComplete();
    bar.close();
    expect(written.map((l) => l.replace(/ \[.*\]/, ''))).toEqual([
      'Executing:   0%|                    | 0/3\n',
      'Executing:  33%|███████             | 1/3\n',
      'Executing Train:  33%|███████             | 1/3\n',
      'Executing Train:  67%|█████████████       | 2/3\n',
      'Executing Train: 100%|████████████████████| 3/3\n',
    ]);
  });

  it('redraws one line on a terminal and ends it on close', () => {
    const written: string[] = [];
    const bar = new ProgressBar(1, (t) => written.push(t), true, () => 0);
    bar.cellStart('#papermill_description=Long_label');
    bar.cellComplete();
    bar.close();
    expect(written).toHaveLength(3);
    expect(written[0].startsWith('\rExecuting Long_label:   0%|')).toBe(true);
    expect(written[1].startsWith('\rExecuting Long_label: 100%|')).toBe(true);
    expect(written[2]).toBe('\n');
  });
});
