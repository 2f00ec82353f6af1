import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cell } from '../../src/jupyter/nbformat';
import { codeCell } from '../testing/stateFactory';
import { renderWithStore } from '../features/runs/testing/renderWithStore';
import { CellView } from './CellView';

afterEach(cleanup);

const tagged = (cell: Cell, tags: string[]): Cell => ({ ...cell, metadata: { ...cell.metadata, tags } });

describe('CellView', () => {
  it('marks a code cell tagged skip-execution with one calm badge that says what it means', () => {
    const cells = [tagged(codeCell('a', 'x = 1'), ['skip-execution', 'slow']), codeCell('b', 'y = 2')];
    renderWithStore(<><CellView id="a" index={0} onDragStartCell={() => undefined} onDropOnCell={() => undefined} /><CellView id="b" index={1} onDragStartCell={() => undefined} onDropOnCell={() => undefined} /></>, [], cells);
    const badges = screen.getAllByTestId('skip-execution-badge');
    expect(badges).toHaveLength(1);
    expect(badges[0].textContent).toBe('skip-execution');
    expect(badges[0].title).toMatch(/Run all and quire run skip this cell/);
    expect(screen.getAllByText('skip-execution')).toHaveLength(1); // not repeated as a plain tag
    expect(screen.getByText('slow')).toBeTruthy();
  });
});
