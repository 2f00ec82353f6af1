// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Cell } from '../../src/jupyter/nbformat';
import { loadKatex } from '../markdown/mathPlugin';
import { latexToHtml } from './LatexOutput';
import { RecordedValuesPanel } from './RecordedValuesPanel';

afterEach(cleanup);

const glue = (name: string, data: unknown, encoder: string) => ({
  output_type: 'display_data',
  data: { [`application/scrapbook.scrap.${encoder}+json`]: { name, data, encoder, version: 1 } },
  metadata: { scrapbook: { name, data: true, display: false } },
});

describe('RecordedValuesPanel', () => {
  it('lists each recorded value with its encoder and a preview, and reveals its cell', () => {
    const cells = [
      { cell_type: 'code', id: 'a', source: '', metadata: {}, execution_count: 1, outputs: [glue('accuracy', 0.93, 'json'), glue('summary', 'All good', 'text')] },
      { cell_type: 'code', id: 'b', source: '', metadata: {}, execution_count: 2, outputs: [glue('frame', 'UEFSMQ==', 'pandas')] },
    ] as unknown as Cell[];
    const onRevealCell = vi.fn();
    const { container } = render(<RecordedValuesPanel notebook={{ cells }} onRevealCell={onRevealCell} />);
    const rows = [...container.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['accuracy', 'json', '0.93', '[1]'],
      ['summary', 'text', 'All good', '[1]'],
      ['frame', 'pandas', 'DataFrame (parquet, 6 bytes)', '[2]'],
    ]);
    fireEvent.click(screen.getByText('[2]'));
    expect(onRevealCell).toHaveBeenCalledWith(expect.objectContaining({ name: 'frame', cellId: 'b' }));
  });

  it('says so when nothing was recorded', () => {
    render(<RecordedValuesPanel notebook={{ cells: [] }} />);
    expect(screen.getByText(/No recorded values/)).toBeTruthy();
  });
});

describe('latexToHtml', () => {
  beforeAll(() => loadKatex());
  const div = (html: string) => Object.assign(document.createElement('div'), { innerHTML: html });
  it('renders one delimited formula in the right mode', () => {
    expect(div(latexToHtml('$$x^2$$')).querySelector('.katex-display')).not.toBeNull();
    expect(div(latexToHtml('\\[x^2\\]')).querySelector('.katex-display')).not.toBeNull();
    const inline = div(latexToHtml('$\\displaystyle x^{2}$'));
    expect(inline.querySelector('.katex')).not.toBeNull();
    expect(inline.querySelector('.katex-display')).toBeNull();
  });

  it('renders prose with several formulas and bare environments', () => {
    expect(div(latexToHtml('Let $a$ and $b$ be reals')).querySelectorAll('.katex')).toHaveLength(2);
    expect(div(latexToHtml('\\begin{equation} e^{i\\pi} + 1 = 0 \\end{equation}')).querySelector('.katex-display')).not.toBeNull();
  });
});
