import { describe, expect, it } from 'vitest';
import type { Notebook } from '../../src/jupyter/nbformat';
import { joinSource } from '../../src/jupyter/nbformat';
import { prepareRun, runKernelName } from './prepareRun';

const nb = (metadata: Notebook['metadata'] = {}): Notebook => ({
  nbformat: 4, nbformat_minor: 5, metadata,
  cells: [
    { id: 'b', cell_type: 'markdown', metadata: { tags: ['papermill-error-cell-tag'] }, source: 'old banner' },
    { id: 'p', cell_type: 'code', execution_count: 3, outputs: [], metadata: { tags: ['parameters'] }, source: 'n = 1' },
  ],
});

describe('prepareRun', () => {
  it('logs unknown parameters, removes old banners, records paths; no kernelspec means python', () => {
    const logs: string[] = [];
    const input = nb();
    const before = JSON.stringify(input);
    const out = prepareRun(input, { inputPath: 'a.ipynb', outputPath: 'b.ipynb', parameters: { n: 2, other: 'x' }, log: (_l, m) => logs.push(m) });
    expect(logs).toEqual(['Passed unknown parameter: other']);
    expect(out.cells.map((c) => c.id)).toEqual(['p', expect.any(String)]);
    expect(joinSource(out.cells[1].source)).toBe('# Parameters\nn = 2\nother = "x"\n');
    expect(out.metadata.papermill).toMatchObject({ input_path: 'a.ipynb', output_path: 'b.ipynb', parameters: { n: 2, other: 'x' } });
    expect(JSON.stringify(input)).toBe(before);
    expect(runKernelName(out)).toBe('python3');
    expect(runKernelName(nb({ kernelspec: { name: 'ir', display_name: 'R' } }), 'julia-1.9')).toBe('julia-1.9');
  });
  it('type-checks when asked, before anything else', () => {
    expect(() => prepareRun(nb(), { inputPath: 'a.ipynb', outputPath: 'b.ipynb', parameters: { n: 'x' }, typeCheck: true })).toThrow(/expects int/);
    expect(() => prepareRun(nb(), { inputPath: 'a.ipynb', outputPath: 'b.ipynb', parameters: { n: 'x' } })).not.toThrow();
  });
  it('refuses to write over its input', () => {
    expect(() => prepareRun(nb(), { inputPath: 'dir/a.ipynb', outputPath: 'dir/../dir/a.ipynb' })).toThrow(/never changes its input/);
  });
});
