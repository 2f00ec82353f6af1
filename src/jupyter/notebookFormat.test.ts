import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateJupyterFixtures, runJupyterPython, type JupyterFixtures } from '../../kernels/testing/notebookFixtures';
import { ErrorCode, QuireError } from '../errors';
import type { CodeCell, Notebook } from './nbformat';
import {
  canonicalizeNotebook,
  createEmptyNotebook,
  matchMultilineForms,
  parseNotebook,
  parseNotebookWithRepairs,
  prepareNotebookForSave,
  pythonSplitLines,
  serializeNotebook,
  toMultiline,
} from './notebookFormat';
import { compareCodePoints, formatPythonFloat } from './json/pythonJson';
import { validateNotebookText } from './validateNotebook';

let fx: JupyterFixtures;
beforeAll(() => {
  fx = generateJupyterFixtures({ execute: true });
}, 120_000);
afterAll(() => fx?.dispose());

const read = (name: string) => readFileSync(fx.files[name], 'utf8');
/** What the renderer gets and sends back: the notebook after a trip through the JSON RPC. */
const overRpc = (nb: Notebook): Notebook => JSON.parse(JSON.stringify(nb));

function firstDifference(a: string, b: string): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `at ${i}: ${JSON.stringify(a.slice(i - 60, i + 30))} vs ${JSON.stringify(b.slice(i - 60, i + 30))}`;
  }
  return 'identical';
}

describe('round trip of notebooks written by Jupyter', () => {
  const names = ['rich-4.5.ipynb', 'rich-4.4.ipynb', 'minimal-4.0.ipynb', 'empty-4.5.ipynb', 'numbers-4.5.ipynb', 'executed-4.5.ipynb'];
  it.each(names)('%s: parse + serialize is byte-identical', (name) => {
    const text = read(name);
    const out = serializeNotebook(parseNotebook(text));
    expect(firstDifference(out, text)).toBe('identical');
  });

  it.each(names)('%s: byte-identical after a trip through JSON, using the file as reference', (name) => {
    const text = read(name);
    const out = serializeNotebook(overRpc(parseNotebook(text)), { reference: parseNotebook(text) });
    expect(firstDifference(out, text)).toBe('identical');
  });

  it('the executed notebook has real outputs (stream, html, png, error)', () => {
    const nb = parseNotebook(read('executed-4.5.ipynb'));
    const types = nb.cells.flatMap((c) => (c as CodeCell).outputs.map((o) => o.output_type));
    expect(types).toEqual(expect.arrayContaining(['stream', 'execute_result', 'display_data', 'error']));
    const mimes = nb.cells.flatMap((c) => (c as CodeCell).outputs.flatMap((o) => ('data' in o ? Object.keys(o.data) : [])));
    expect(mimes).toEqual(expect.arrayContaining(['text/html', 'image/png']));
  });

  it('keeps 1.0 and 1e-07 for moved and unchanged cells after an edit over RPC', () => {
    const text = read('rich-4.4.ipynb');
    const nb = overRpc(parseNotebook(text));
    // Insert a cell at the top and edit another: numbers in untouched cells keep their text.
    nb.cells.unshift({ cell_type: 'markdown', metadata: {}, source: ['new'] });
    nb.cells[3].source = ['edited'];
    const out = serializeNotebook(nb, { reference: parseNotebook(text) });
    expect(out).toContain('      1.0,\n      1e-07,\n      1e+16,\n      2.5,\n      -0.0,\n      12345678901234567890\n');
    expect(out).toContain('"duration": 1.0');
    expect(out).toContain('"width": 640.0');
  });

  it('copies made by canonicalizeNotebook / matchMultilineForms / prepareNotebookForSave keep number texts in-process', () => {
    const text = '{"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {"a": 1.0}, "outputs": [{"output_type": "stream", "name": "stdout", "text": "x\\ny", "z": 2.0}], "source": "s"}], "metadata": {"r": 1.0, "big": 1e+16}, "nbformat": 4, "nbformat_minor": 4, "top": 3.0}';
    const nb = parseNotebook(text);
    const withId = parseNotebook(text);
    withId.cells[0].id = 'x';
    const upgraded = prepareNotebookForSave(withId);
    expect(upgraded).not.toBe(withId);
    for (const copy of [canonicalizeNotebook(nb), matchMultilineForms(nb), upgraded]) {
      const out = serializeNotebook(copy);
      expect(out).toContain('"r": 1.0');
      expect(out).toContain('"big": 1e+16');
      expect(out).toContain('"top": 3.0');
      expect(out).toContain('"a": 1.0');
    }
    expect(serializeNotebook(canonicalizeNotebook(nb))).toContain('"z": 2.0');
  });

  it('NaN and Infinity (which Python writes and JSON cannot carry) survive the RPC trip', () => {
    const text = '{\n "cells": [],\n "metadata": {\n  "a": NaN,\n  "b": [\n   Infinity,\n   -Infinity,\n   null\n  ]\n },\n "nbformat": 4,\n "nbformat_minor": 5\n}\n';
    expect(serializeNotebook(parseNotebook(text))).toBe(text);
    expect(serializeNotebook(overRpc(parseNotebook(text)), { reference: parseNotebook(text) })).toBe(text);
  });

  it('without a reference, plain JS numbers are written as Python would write them', () => {
    const nb = createEmptyNotebook();
    nb.metadata.values = [1, 2.5, 1e-7, 1e16 + 2, 0.1 + 0.2, -0, 2 ** 60];
    expect(serializeNotebook(nb)).toContain('[\n   1,\n   2.5,\n   1e-07,\n   1.0000000000000002e+16,\n   0.30000000000000004,\n   -0.0,\n   1.152921504606847e+18\n  ]');
  });
});

describe('real notebooks shipped with nbclient (written by Jupyter over several versions)', () => {
  it('serialize like Python, round-trip byte-identically when canonical, and validate like jsonschema', () => {
    const results: Array<{ path: string; dump: string; errors: number }> = JSON.parse(
      runJupyterPython(
        [
          'import glob, json, os, sys, jsonschema, nbclient, nbformat',
          'out = []',
          'for path in sorted(glob.glob(os.path.join(os.path.dirname(nbclient.__file__), "tests", "files", "*.ipynb"))):',
          '    nb = json.load(open(path, encoding="utf-8"))',
          '    schema = json.load(open(os.path.join(os.path.dirname(nbformat.__file__), "v4", "nbformat.v4.%d.schema.json" % nb["nbformat_minor"])))',
          '    errors = len(list(jsonschema.Draft4Validator(schema).iter_errors(nb)))',
          '    out.append({"path": path, "dump": json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\\n", "errors": errors})',
          'print(json.dumps(out))',
        ].join('\n'),
      ),
    );
    expect(results.length, 'python3-nbclient ships its test notebooks in nbclient/tests/files').toBeGreaterThan(10);
    let canonical = 0;
    for (const { path, dump, errors } of results) {
      const text = readFileSync(path, 'utf8');
      const ours = serializeNotebook(parseNotebook(text));
      expect(ours, path).toBe(dump);
      if (text === dump) canonical++;
      expect(validateNotebookText(text).length > 0, path).toBe(errors > 0);
    }
    expect(canonical).toBeGreaterThan(10);
  });
});

describe('Python-compatible output', () => {
  it('formats floats exactly like Python repr for 2000 random values', () => {
    const values: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const exp = Math.floor(Math.random() * 600) - 300;
      values.push((Math.random() - 0.5) * 10 ** exp);
    }
    values.push(1e16, 1e15, 1e-4, 1e-5, 5e-324, Number.MAX_VALUE, 123.0, 0.5);
    // Python reads the shortest JS text exactly (both round correctly) and prints repr().
    const expected = runJupyterPython('import json,sys; print("\\n".join(repr(float(x)) for x in json.load(sys.stdin)))', JSON.stringify(values));
    expect(values.map(formatPythonFloat).join('\n')).toBe(expected.trimEnd());
  });

  it('sorts keys by code point like Python (astral after U+FFxx)', () => {
    const keys = ['😀', '！', 'a', 'B', 'é', '\u{10000}', '\uffff'];
    const expected = JSON.parse(runJupyterPython('import json,sys; print(json.dumps(sorted(json.load(sys.stdin))))', JSON.stringify(keys)));
    expect([...keys].sort(compareCodePoints)).toEqual(expected);
  });

  it('escapes strings like json.dumps(ensure_ascii=False)', () => {
    const all = Array.from({ length: 0x90 }, (_, i) => String.fromCharCode(i)).join('') + '\u2028\u2029/é😀';
    const nb = createEmptyNotebook();
    nb.cells = [];
    nb.metadata = { s: all, [all]: 1 };
    const expected = runJupyterPython(
      'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True, indent=1, ensure_ascii=False), end="")',
      JSON.stringify(nb),
    );
    expect(serializeNotebook(nb)).toBe(expected + '\n');
  });

  it('splits lines like Python str.splitlines(True)', () => {
    const text = 'a\nb\r\nc\rd\ve\ff\x1cg\x85h\u2028i\u2029j\n\nk';
    const expected = JSON.parse(runJupyterPython('import json,sys; print(json.dumps(sys.stdin.read().splitlines(True)))', text));
    expect(pythonSplitLines(text)).toEqual(expected);
    expect(pythonSplitLines('')).toEqual([]);
    expect(toMultiline('a\nb', 'old')).toBe('a\nb');
    expect(toMultiline('a\nb', ['old'])).toEqual(['a\n', 'b']);
  });

  it('canonicalizes like nbformat.write (split_lines + strip_transient)', () => {
    const nb = createEmptyNotebook({ name: 'python3', display_name: 'Python 3', language: 'python' });
    nb.metadata.orig_nbformat = 3;
    nb.cells = [
      { cell_type: 'code', id: 'a1', metadata: { trusted: true, x: 1 }, source: 'x = 1\ny = 2', execution_count: 1, outputs: [
        { output_type: 'stream', name: 'stdout', text: 'one\ntwo\n' },
        { output_type: 'display_data', data: { 'text/html': '<b>\n</b>', 'image/svg+xml': '<svg>\n</svg>', 'application/json': { a: 'b\nc' } }, metadata: {} },
      ] },
      { cell_type: 'markdown', id: 'b2', metadata: {}, source: 'one line', attachments: { 'a.txt': { 'text/plain': 'p\nq' } } },
    ];
    const text = JSON.stringify(nb);
    const expected = runJupyterPython(
      'import nbformat,sys,io; nb = nbformat.reads(sys.stdin.read(), as_version=nbformat.NO_CONVERT); f = io.StringIO(); nbformat.write(nb, f); print(f.getvalue(), end="")',
      text,
    );
    expect(serializeNotebook(canonicalizeNotebook(parseNotebook(text)))).toBe(expected);
  });
});

describe('reading problems', () => {
  function parseError(text: string): QuireError {
    try {
      parseNotebook(text);
    } catch (error) {
      return error as QuireError;
    }
    throw new Error('expected parseNotebook to throw');
  }

  it('broken JSON: NOTEBOOK_PARSE_ERROR with the line and column Python reports', () => {
    const text = read('rich-4.5.ipynb');
    const cases = [text.slice(0, 2000), text.replace('"cell_type": "code",', '"cell_type": "code"'), '{\n "a": [1, 2,]\n}', '{"a": tru}', '{"a": "x\ty"}'];
    const python: Array<[number, number]> = JSON.parse(
      runJupyterPython(
        'import json,sys\ndef where(t):\n try:\n  json.loads(t)\n except json.JSONDecodeError as e:\n  return [e.lineno, e.colno]\nprint(json.dumps([where(t) for t in json.load(sys.stdin)]))',
        JSON.stringify(cases),
      ),
    );
    cases.forEach((broken, i) => {
      const error = parseError(broken);
      expect(error.code).toBe(ErrorCode.NotebookParseError);
      const location = error.details!.location as { line: number; column: number };
      // Python and we agree on the line; the column may differ by where each points in a token.
      const [line, column] = python[i];
      expect(location.line, `${error.message} vs python ${python[i]}`).toBe(line);
      expect(Math.abs(location.column - column), error.message).toBeLessThanOrEqual(2);
      expect(error.message).toMatch(/line \d+, column \d+/);
    });
  });

  it('nbformat 3 is refused with the convert command', () => {
    const error = parseError(read('old-v3.ipynb'));
    expect(error.code).toBe(ErrorCode.NotebookUnsupportedVersion);
    expect(error.message).toBe('nbformat 3 is not supported; convert it with `jupyter nbconvert --to notebook --nbformat 4`');
  });

  it('structurally unusable notebooks are refused with NOTEBOOK_INVALID', () => {
    expect(parseError('[1, 2]').code).toBe(ErrorCode.NotebookInvalid);
    expect(parseError('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}').message).toMatch(/no "cells" list/);
    expect(parseError('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [3]}').message).toMatch(/cell 1/);
    expect(parseError('{"nbformat": 5, "cells": []}').code).toBe(ErrorCode.NotebookUnsupportedVersion);
  });

  it('4.5: missing and duplicate cell ids are repaired, 4.4 files keep having none', () => {
    const text = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [
      { cell_type: 'markdown', metadata: {}, source: 'a' },
      { cell_type: 'markdown', id: 'x', metadata: {}, source: 'b' },
      { cell_type: 'markdown', id: 'x', metadata: {}, source: 'c' },
    ] });
    const { notebook, repairs } = parseNotebookWithRepairs(text);
    const ids = notebook.cells.map((c) => c.id);
    expect(ids[1]).toBe('x');
    expect(new Set(ids).size).toBe(3);
    expect(ids.every((id) => /^[a-zA-Z0-9-_]+$/.test(id!))).toBe(true);
    expect(repairs.map((r) => r.pointer)).toEqual(['/cells/0', '/cells/2/id']);
    expect(parseNotebook(read('rich-4.4.ipynb')).cells.every((c) => c.id === undefined)).toBe(true);
  });

  it('prepareNotebookForSave upgrades a 4.4 notebook to 4.5 only when a cell got an id', () => {
    const nb = parseNotebook(read('rich-4.4.ipynb'));
    expect(prepareNotebookForSave(nb)).toBe(nb);
    nb.cells.push({ cell_type: 'markdown', id: 'new-cell', metadata: {}, source: [] });
    const saved = prepareNotebookForSave(nb);
    expect(saved.nbformat_minor).toBe(5);
    expect(saved.cells.every((c) => typeof c.id === 'string')).toBe(true);
    expect(nb.nbformat_minor).toBe(4);
  });

  it('in-memory transient output fields are not written', () => {
    const nb = createEmptyNotebook();
    (nb.cells[0] as CodeCell).outputs = [{ output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {}, transient: { display_id: 'd' } }];
    expect(serializeNotebook(nb)).not.toContain('transient');
  });
});
