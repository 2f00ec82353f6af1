import { describe, expect, it } from 'vitest';
import type { Cell, CodeCell } from './nbformat';
import { joinSource } from './nbformat';
import {
  cellTags, changeCellType, clearOutputs, createCell, deleteCells, findInCells, insertCell, mergeCells, moveCellTo,
  moveCells, parametersCellId, replaceInCells, setCellSource, setJupyterMetadata, splitCell, toggleParameters, toggleTag,
} from './notebookOps';

const code = (id: string, source: string, extra: Partial<CodeCell> = {}): Cell => ({ ...(createCell('code', id, source) as CodeCell), ...extra });
const md = (id: string, source: string): Cell => createCell('markdown', id, source);
const ids = (cells: Cell[]) => cells.map((c) => c.id);
const text = (cells: Cell[], id: string) => joinSource(cells.find((c) => c.id === id)!.source);
const stream = (t: string) => ({ output_type: 'stream' as const, name: 'stdout' as const, text: t });

describe('notebookOps', () => {
  const base = () => [code('a', 'x = 1'), md('b', '# Title'), code('c', 'print(x)'), code('d', 'y = 2')];

  it('creates cells in nbformat line-list form', () => {
    expect(createCell('code', 'n', 'a\nb')).toEqual({ id: 'n', cell_type: 'code', metadata: {}, source: ['a\n', 'b'], execution_count: null, outputs: [] });
    expect(createCell('raw', 'r')).toEqual({ id: 'r', cell_type: 'raw', metadata: {}, source: [] });
  });

  it('inserts, clamping the index, without mutating the input', () => {
    const cells = base();
    const out = insertCell(cells, 1, md('n', 'hi'));
    expect(ids(out)).toEqual(['a', 'n', 'b', 'c', 'd']);
    expect(ids(insertCell(cells, 99, md('z', '')))).toEqual(['a', 'b', 'c', 'd', 'z']);
    expect(ids(cells)).toEqual(['a', 'b', 'c', 'd']);
    expect(out[0]).toBe(cells[0]);
  });

  it('deletes several cells', () => {
    expect(ids(deleteCells(base(), ['b', 'd']))).toEqual(['a', 'c']);
  });

  it('moves a block up and down and stops at the ends', () => {
    expect(ids(moveCells(base(), ['c'], -1))).toEqual(['a', 'c', 'b', 'd']);
    expect(ids(moveCells(base(), ['b', 'c'], 1))).toEqual(['a', 'd', 'b', 'c']);
    expect(ids(moveCells(base(), ['a'], -1))).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(moveCells(base(), ['d'], 5))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('moves a cell to a position (drag and drop)', () => {
    expect(ids(moveCellTo(base(), 'a', 3))).toEqual(['b', 'c', 'd', 'a']);
    expect(ids(moveCellTo(base(), 'd', 0))).toEqual(['d', 'a', 'b', 'c']);
  });

  it('changes type, dropping outputs when leaving code', () => {
    const cells = [code('a', 'x', { outputs: [stream('1\n')], execution_count: 3 })];
    const asMd = changeCellType(cells, ['a'], 'markdown');
    expect(asMd[0]).toEqual({ id: 'a', cell_type: 'markdown', metadata: {}, source: ['x'] });
    const back = changeCellType(asMd, ['a'], 'code');
    expect(back[0]).toMatchObject({ cell_type: 'code', outputs: [], execution_count: null, source: ['x'] });
    expect(changeCellType(cells, ['a'], 'code')[0]).toBe(cells[0]);
  });

  it('sets a source only when it changed', () => {
    const cells = base();
    expect(setCellSource(cells, 'a', 'x = 1')[0]).toBe(cells[0]);
    expect(setCellSource(cells, 'a', 'x = 5\ny')[0].source).toEqual(['x = 5\n', 'y']);
  });

  it('merges cells into the first, joining sources and outputs and uniting tags', () => {
    const cells = [
      code('a', 'x = 1\n', { outputs: [stream('a')] }),
      md('b', 'skip'),
      { ...code('c', 'y = 2', { outputs: [stream('c')] }), metadata: { tags: ['t1'] } },
    ];
    const out = mergeCells(cells, ['c', 'a']);
    expect(ids(out)).toEqual(['a', 'b']);
    expect(text(out, 'a')).toBe('x = 1\ny = 2');
    expect((out[0] as CodeCell).outputs).toEqual([stream('a'), stream('c')]);
    expect(cellTags(out[0])).toEqual(['t1']);
    expect(mergeCells(cells, ['a'])).toEqual(cells);
  });

  it('splits a cell at an offset', () => {
    const cells = [code('a', 'x = 1\ny = 2', { outputs: [stream('o')] })];
    const out = splitCell(cells, 'a', 6, 'n');
    expect(ids(out)).toEqual(['a', 'n']);
    expect(text(out, 'a')).toBe('x = 1');
    expect(text(out, 'n')).toBe('y = 2');
    expect((out[0] as CodeCell).outputs).toHaveLength(1);
    expect((out[1] as CodeCell).outputs).toHaveLength(0);
  });

  it('toggles ordinary tags and removes an empty tag list', () => {
    const on = toggleTag(base(), 'a', 'skip');
    expect(on[0].metadata).toEqual({ tags: ['skip'] });
    expect(toggleTag(on, 'a', 'skip')[0].metadata).toEqual({});
  });

  it('keeps the parameters tag unique: tagging a second cell moves it', () => {
    let cells = toggleParameters(base(), 'a');
    expect(parametersCellId(cells)).toBe('a');
    cells = toggleTag(cells, 'c', 'parameters');
    expect(parametersCellId(cells)).toBe('c');
    expect(cells[0].metadata).toEqual({});
    expect(cells.filter((c) => cellTags(c).includes('parameters'))).toHaveLength(1);
    cells = toggleParameters(cells, 'c');
    expect(parametersCellId(cells)).toBeUndefined();
  });

  it('keeps other tags and metadata when the parameters tag moves', () => {
    const cells: Cell[] = [
      { ...code('a', ''), metadata: { tags: ['keep', 'parameters'], collapsed: true } },
      { ...code('b', ''), metadata: { tags: ['parameters'] } },
      code('c', ''),
    ];
    const out = toggleParameters(cells, 'c');
    expect(out[0].metadata).toEqual({ tags: ['keep'], collapsed: true });
    expect(out[1].metadata).toEqual({});
    expect(cellTags(out[2])).toEqual(['parameters']);
  });

  it('clears outputs of some or all code cells', () => {
    const cells = [code('a', '', { outputs: [stream('1')], execution_count: 1 }), code('b', '', { outputs: [stream('2')], execution_count: 2 })];
    expect(clearOutputs(cells, ['b'])[0]).toBe(cells[0]);
    expect(clearOutputs(cells).map((c) => (c as CodeCell).outputs.length)).toEqual([0, 0]);
  });

  it('sets and removes metadata.jupyter keys', () => {
    const hidden = setJupyterMetadata(base(), 'a', 'source_hidden', true);
    expect(hidden[0].metadata).toEqual({ jupyter: { source_hidden: true } });
    expect(setJupyterMetadata(hidden, 'a', 'source_hidden', undefined)[0].metadata).toEqual({});
  });

  it('finds and replaces across cells, case-insensitively by default', () => {
    const cells = [code('a', 'X = 1\nx + x'), md('b', 'no match'), code('c', 'print(x)')];
    const found = findInCells(cells, 'x');
    expect(found.map((m) => `${m.cellId}:${m.start}`)).toEqual(['a:0', 'a:6', 'a:10', 'c:6']);
    expect(findInCells(cells, 'X', { caseSensitive: true })).toHaveLength(1);
    const replaced = replaceInCells(cells, 'x', 'value', { caseSensitive: true });
    expect(text(replaced, 'a')).toBe('X = 1\nvalue + value');
    expect(text(replaced, 'c')).toBe('print(value)');
    expect(replaced[1]).toBe(cells[1]);
    const one = replaceInCells(cells, 'x', 'Q', { only: found[1] });
    expect(text(one, 'a')).toBe('X = 1\nQ + x');
    expect(text(replaceInCells(cells, 'a.b', 'z'), 'a')).toBe('X = 1\nx + x');
  });
});
