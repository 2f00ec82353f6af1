import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateJupyterFixtures, runJupyterPython, type JupyterFixtures } from '../../kernels/testing/notebookFixtures';
import { readNotebookText, validateNotebook } from './validateNotebook';

let fx: JupyterFixtures;
beforeAll(() => {
  fx = generateJupyterFixtures();
}, 60_000);
afterAll(() => fx?.dispose());

/** nbformat's own verdict (validating against the file's minor version, like us). */
function nbformatErrors(text: string): string[] {
  const out = runJupyterPython(
    [
      'import json, sys, os, nbformat, jsonschema',
      'nb = json.loads(sys.stdin.read())',
      'path = os.path.join(os.path.dirname(nbformat.__file__), "v4", "nbformat.v4.%d.schema.json" % nb["nbformat_minor"])',
      'v = jsonschema.Draft4Validator(json.load(open(path)))',
      'print(json.dumps(["/" + "/".join(str(p) for p in e.absolute_path) for e in v.iter_errors(nb)]))',
    ].join('\n'),
    text,
  );
  return JSON.parse(out);
}

const notebook = (minor: number, cells: unknown[], metadata: unknown = {}) =>
  JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: minor }, null, 1) + '\n';

describe('validateNotebook', () => {
  it.each(['rich-4.5.ipynb', 'rich-4.4.ipynb', 'minimal-4.0.ipynb', 'numbers-4.5.ipynb'])('%s written by Jupyter is valid', (name) => {
    const text = readFileSync(fx.files[name], 'utf8');
    expect(nbformatErrors(text)).toEqual([]);
    expect(readNotebookText(text).warnings).toEqual([]);
  });

  it('reports each problem with its JSON pointer and line/column; nbformat agrees it is invalid', () => {
    const text = notebook(5, [
      { cell_type: 'code', id: 'a', metadata: {}, source: 'x', execution_count: null },
      { cell_type: 'markdown', id: 'b', metadata: {}, source: 'y', bogus: 1 },
      { cell_type: 'code', id: 'c', metadata: {}, source: '', execution_count: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: 5 }] },
      { cell_type: 'sql', id: 'd', metadata: {}, source: '' },
    ]);
    const problems = validateNotebook(JSON.parse(text), { text });
    const summary = problems.map((p) => `${p.location.pointer}:${p.location.line}:${p.location.column}: ${p.message}`);
    // Where each marker sits in the text (1-based line, column), found independently of the parser.
    const lines = text.split('\n');
    const find = (marker: string, nth = 0) => {
      const hits = lines.flatMap((l, i) => (l.includes(marker) ? [`${i + 1}:${l.indexOf(marker) + 1}`] : []));
      return hits[nth];
    };
    const cellStart = (i: number) => lines.flatMap((l, n) => (l === '  {' ? [`${n + 1}:3`] : []))[i];
    expect(summary).toEqual([
      `/cells/0:${cellStart(0)}: missing required property "outputs"`,
      `/cells/1/bogus:${find('"bogus"')}: unexpected property "bogus"`,
      `/cells/2/outputs/0/text:${find('"text": 5').split(':')[0]}:${Number(find('"text": 5').split(':')[1]) + 8}: must be string or array`,
      `/cells/3:${cellStart(3)}: unknown cell_type "sql" (expected "code", "markdown" or "raw")`,
    ]);
    // nbformat finds problems in the same cells.
    const cellsWithErrors = new Set(nbformatErrors(text).map((p) => p.split('/').slice(0, 3).join('/')));
    expect([...cellsWithErrors].sort()).toEqual(['/cells/0', '/cells/1', '/cells/2', '/cells/3']);
  });

  it('cell and output types named like Object members are unknown, not valid', () => {
    const nb = JSON.parse(notebook(5, [
      { cell_type: 'constructor', id: 'a', metadata: {}, source: '' },
      { cell_type: 'code', id: 'b', metadata: {}, source: '', execution_count: null, outputs: [{ output_type: 'toString' }] },
    ]));
    expect(validateNotebook(nb).map((p) => p.location.pointer)).toEqual(['/cells/0', '/cells/1/outputs/0']);
  });

  it('validates against the minor version of the file: ids are invalid in 4.4 and required in 4.5', () => {
    const withId = [{ cell_type: 'markdown', id: 'x', metadata: {}, source: '' }];
    const withoutId = [{ cell_type: 'markdown', metadata: {}, source: '' }];
    expect(validateNotebook(JSON.parse(notebook(4, withId))).map((p) => p.message)).toEqual(['unexpected property "id"']);
    expect(validateNotebook(JSON.parse(notebook(4, withoutId)))).toEqual([]);
    expect(validateNotebook(JSON.parse(notebook(5, withoutId))).map((p) => p.message)).toEqual(['missing required property "id"']);
    expect(nbformatErrors(notebook(4, withId))).not.toEqual([]);
  });

  it('reading a notebook with schema problems still opens it, with warnings (repairs included)', () => {
    const text = notebook(5, [{ cell_type: 'markdown', metadata: {}, source: 'a' }, { cell_type: 'code', id: 'q', source: 'b', outputs: [], execution_count: null }]);
    const { notebook: nb, warnings } = readNotebookText(text);
    expect(nb.cells).toHaveLength(2);
    expect(nb.cells[0].id).toMatch(/^[a-zA-Z0-9-_]+$/);
    expect(warnings.map((w) => w.location.pointer)).toEqual(['/cells/0', '/cells/1/metadata']);
    expect(warnings.every((w) => typeof w.location.line === 'number')).toBe(true);
  });

  it('the notebook-level metadata schema is checked (kernelspec needs name and display_name)', () => {
    const problems = validateNotebook(JSON.parse(notebook(5, [], { kernelspec: { name: 'python3' } })));
    expect(problems).toEqual([{ message: 'missing required property "display_name"', location: { pointer: '/metadata/kernelspec' } }]);
  });
});

/** nbformat's own yes/no (its default validator, a newer minor relaxed as nbformat relaxes it). */
function nbformatIsValid(text: string): boolean {
  return runJupyterPython('import nbformat, sys\nprint(nbformat.validator.isvalid(nbformat.reads(sys.stdin.read(), as_version=nbformat.NO_CONVERT)))', text).trim() === 'True';
}

describe('a notebook from a newer nbformat (4.99, as in nbformat\'s own test4plus.ipynb)', () => {
  const future = (minor: number, change: (cells: Record<string, unknown>[]) => void = () => undefined) => {
    const cells: Record<string, unknown>[] = [
      { cell_type: 'markdown', id: 'f1', extra: 5, metadata: {}, source: '# title' },
      { cell_type: 'code', id: 'f2', future: 'yes', metadata: { collapsed: false }, execution_count: 1, source: 'print(1)', outputs: [
        { output_type: 'stream', name: 'stdout', extra: 'future', text: '1\n' },
        { output_type: 'hologram', data: { 'x/y': 1 } },
      ] },
      { cell_type: 'sketch', id: 'f3', metadata: { tags: ['t'] }, source: 'a sketch', strokes: [] },
    ];
    change(cells);
    return JSON.stringify({ extra: 'future', cells, metadata: {}, nbformat: 4, nbformat_minor: minor }, null, 1) + '\n';
  };
  const errors = (text: string) => validateNotebook(JSON.parse(text)).filter((p) => p.severity !== 'warning');

  it('is valid with a warning, as nbformat finds it valid: unknown properties, cell and output types allowed', () => {
    const text = future(99);
    expect(nbformatIsValid(text)).toBe(true);
    expect(validateNotebook(JSON.parse(text))).toEqual([
      { severity: 'warning', message: expect.stringMatching(/^nbformat 4\.99 is newer than the 4\.5 Quire knows/), location: { pointer: '/nbformat_minor' } },
    ]);
    // Opening it in the app: the warning, no errors, every cell kept.
    const opened = readNotebookText(text);
    expect(opened.warnings.map((w) => [w.severity, w.location.pointer])).toEqual([['warning', '/nbformat_minor']]);
    expect(opened.notebook.cells.map((c) => c.cell_type)).toEqual(['markdown', 'code', 'sketch']);
  });

  it('the same file as 4.5 is invalid for both', () => {
    const text = future(5);
    expect(nbformatIsValid(text)).toBe(false);
    expect(errors(text).map((p) => p.location.pointer)).toEqual(['/extra', '/cells/0/extra', '/cells/1/future', '/cells/1/outputs/0/extra', '/cells/1/outputs/1', '/cells/2']);
  });

  it.each([
    ['execution_count that is not a number', (c: Record<string, unknown>[]) => (c[1].execution_count = 'one'), '/cells/1/execution_count'],
    ['tags that are not a list', (c: Record<string, unknown>[]) => (c[0].metadata = { tags: 'x' }), '/cells/0/metadata/tags'],
    ['an unknown cell type whose tags are not a list', (c: Record<string, unknown>[]) => (c[2].metadata = { tags: 'x' }), '/cells/2/metadata/tags'],
    ['a known output type with a wrong field', (c: Record<string, unknown>[]) => ((c[1].outputs as Record<string, unknown>[])[0].name = 5), '/cells/1/outputs/0/name'],
  ])('still has errors where nbformat finds them: %s', (_what, change, pointer) => {
    const text = future(99, change);
    expect(nbformatIsValid(text)).toBe(false);
    expect(errors(text).map((p) => p.location.pointer)).toEqual([pointer]);
  });
});

describe('new notebooks', () => {
  it('createEmptyNotebook is a valid 4.5 notebook', async () => {
    const { createEmptyNotebook, serializeNotebook } = await import('./notebookFormat');
    const nb = createEmptyNotebook({ name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' });
    expect(validateNotebook(nb)).toEqual([]);
    const text = serializeNotebook(nb);
    expect(nbformatErrors(text)).toEqual([]);
    expect(readNotebookText(text).warnings).toEqual([]);
  });
});
