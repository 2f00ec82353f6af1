import { describe, expect, it } from 'vitest';
import type { Cell, Notebook } from '../jupyter/nbformat';
import { joinSource } from '../jupyter/nbformat';
import {
  ERROR_MARKER_TAG, insertErrorMarkers, parameterizeNotebook, prepareLoadedNotebook, prepareNotebookMetadata, removeErrorMarkers,
} from './parameterizeNotebook';

const code = (id: string, source: string, tags?: string[]): Cell => ({ cell_type: 'code', id, execution_count: null, metadata: tags ? { tags } : {}, outputs: [], source });
const md = (id: string, source: string, tags?: string[]): Cell => ({ cell_type: 'markdown', id, metadata: tags ? { tags } : {}, source });
const notebook = (cells: Cell[], language = 'python'): Notebook => ({
  nbformat: 4, nbformat_minor: 5, cells,
  metadata: { kernelspec: { name: language === 'python' ? 'python3' : 'ir', display_name: 'K', language } },
});
let counter = 0;
const newCellId = () => `new${++counter}`;
const ids = (nb: Notebook) => nb.cells.map((c) => c.id);

describe('parameterizeNotebook', () => {
  const base = () => notebook([md('m', '# Title'), code('p', 'a = 1', ['parameters']), code('c', 'print(a)')]);

  it('inserts the injected cell right after the parameters cell and records the parameters', () => {
    const { notebook: nb, warnings } = parameterizeNotebook(base(), { a: 9, s: 'x' }, { newCellId });
    expect(warnings).toEqual([]);
    expect(nb.cells.map((c) => c.cell_type)).toEqual(['markdown', 'code', 'code', 'code']);
    const injected = nb.cells[2];
    expect(injected.metadata.tags).toEqual(['injected-parameters']);
    expect(joinSource(injected.source)).toBe('# Parameters\na = 9\ns = "x"\n');
    expect(injected).toMatchObject({ execution_count: null, outputs: [] });
    expect((nb.metadata.papermill as { parameters: unknown }).parameters).toEqual({ a: 9, s: 'x' });
  });

  it('replaces an existing injected cell in place (re-running an output notebook)', () => {
    const first = parameterizeNotebook(base(), { a: 2 }, { newCellId }).notebook;
    const moved = { ...first, cells: [first.cells[2], ...first.cells.filter((_, i) => i !== 2)] };
    const second = parameterizeNotebook(moved, { a: 3 }, { newCellId }).notebook;
    expect(second.cells).toHaveLength(4);
    expect(joinSource(second.cells[0].source)).toBe('# Parameters\na = 3\n');
  });

  it('inserts at the top with a warning when there is no parameters cell', () => {
    const { notebook: nb, warnings } = parameterizeNotebook(notebook([code('c', 'x')]), { a: 1 }, { newCellId });
    expect(warnings).toEqual(["Input notebook does not contain a cell with tag 'parameters'"]);
    expect(nb.cells[0].metadata.tags).toEqual(['injected-parameters']);
  });

  it('adds no cell when no parameters are given', () => {
    const nb = base();
    expect(parameterizeNotebook(nb, {}).notebook).toBe(nb);
  });

  it('uses the kernel/language translator, a custom comment and report mode', () => {
    const { notebook: nb } = parameterizeNotebook(notebook([code('p', 'a <- 1', ['parameters'])], 'R'), { flag: true }, { comment: 'Injected', reportMode: true, newCellId });
    expect(joinSource(nb.cells[1].source)).toBe('# Injected\nflag = TRUE\n');
    expect(nb.cells[1].metadata.jupyter).toEqual({ source_hidden: true });
    const bash = parameterizeNotebook(notebook([code('p', '', ['parameters'])]), { n: 1 }, { kernelName: 'bash', newCellId }).notebook;
    expect(joinSource(bash.cells[1].source)).toBe('# Parameters\nn=1\n');
  });

  it('upgrades nbformat 4.4 notebooks (cell ids, minor 5) and leaves the input untouched', () => {
    const old: Notebook = { nbformat: 4, nbformat_minor: 4, metadata: {}, cells: [{ cell_type: 'code', execution_count: null, metadata: { tags: ['parameters'] }, outputs: [], source: 'a = 1' }] };
    const before = JSON.stringify(old);
    const { notebook: nb } = parameterizeNotebook(old, { a: 2 }, { language: 'python', newCellId });
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.cells.every((c) => typeof c.id === 'string')).toBe(true);
    expect(JSON.stringify(old)).toBe(before);
  });

  it('fails for a kernel without a translator', () => {
    expect(() => parameterizeNotebook(notebook([]), { a: 1 }, { kernelName: 'cobol', language: 'cobol' })).toThrow(/No parameter translator/);
  });
});

describe('notebook preparation', () => {
  it('adds papermill metadata, tags and per-cell papermill dicts on load, keeping existing ones', () => {
    const nb = prepareLoadedNotebook(notebook([code('a', 'x', ['keep']), md('b', 'y')]));
    expect(nb.metadata.papermill).toMatchObject({ default_parameters: {}, parameters: {}, environment_variables: {} });
    expect(nb.cells.map((c) => c.metadata.tags)).toEqual([['keep'], []]);
    expect(nb.cells.every((c) => JSON.stringify(c.metadata.papermill) === '{}')).toBe(true);
    const again = prepareLoadedNotebook({ ...nb, metadata: { ...nb.metadata, papermill: { parameters: { old: 1 } } } });
    expect(again.metadata.papermill).toEqual({ parameters: { old: 1 } });
  });
  it('records paths and hides code in report mode', () => {
    const nb = prepareNotebookMetadata(notebook([code('a', 'x'), md('b', 'y')]), 'in.ipynb', 'out.ipynb', true);
    expect(nb.metadata.papermill).toMatchObject({ input_path: 'in.ipynb', output_path: 'out.ipynb' });
    expect(nb.cells[0].metadata.jupyter).toEqual({ source_hidden: true });
    expect(nb.cells[1].metadata.jupyter).toBeUndefined();
  });
  it('inserts papermill\'s two banners and removes them again', () => {
    const nb = notebook([code('a', 'x'), code('b', 'y'), code('c', 'z')]);
    const marked = insertErrorMarkers(nb, 2, 7, newCellId);
    expect(marked.cells.map((c) => c.cell_type)).toEqual(['markdown', 'code', 'code', 'markdown', 'code']);
    expect(joinSource(marked.cells[0].source)).toBe(`<span style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;">An Exception was encountered at '<a href="#papermill-error-cell">In [7]</a>'.</span>`);
    expect(joinSource(marked.cells[3].source)).toBe('<span id="papermill-error-cell" style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;">Execution using papermill encountered an exception here and stopped:</span>');
    expect(marked.cells[3].metadata.tags).toEqual([ERROR_MARKER_TAG]);
    expect(ids(removeErrorMarkers(marked))).toEqual(['a', 'b', 'c']);
  });
});
