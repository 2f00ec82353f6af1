/**
 * Notebook texts for comparing `quire format` with real nbformat (formatConformance.test.ts): every
 * nbformat 4 minor version, written the ways other tools and platforms write them (CRLF, two-space
 * or no indentation, unsorted keys, strings or line lists, images as line lists), with outputs of
 * every type, attachments, unicode, and numbers whose text Python prints its own way.
 */

/** `"#raw:1.0"` in JSON.stringify's output becomes the bare text `1.0` (JS numbers cannot keep it). */
const raw = (text: string) => `#raw:${text}`;

type Style = 'crlf' | 'indent2' | 'compact' | 'indent1';

function write(value: unknown, style: Style): string {
  const indent = style === 'indent2' ? 2 : style === 'compact' ? undefined : 1;
  let text = JSON.stringify(value, null, indent).replace(/"#raw:([^"]*)"/g, '$1');
  if (style === 'crlf') text = `${text.replace(/\n/g, '\r\n')}\r\n`;
  return text;
}

const PNG_LINES = ['iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\n', 'AAAA\n'];

/** Outputs of every type, in both string and list forms, with unsorted keys. */
function outputs(withIds: boolean): unknown[] {
  return [
    { text: 'one\ntwo\r\nthree\rfour', output_type: 'stream', name: 'stdout' },
    { output_type: 'stream', name: 'stderr', text: ['warn\n', 'ing'] },
    {
      output_type: 'execute_result',
      execution_count: 3,
      metadata: { 'image/png': { width: 640, height: 480.0 } },
      data: {
        'text/plain': ['<Figure>', ' size 640x480'],
        'image/png': PNG_LINES,
        'text/html': '<table>\n<tr><td>é</td></tr>\n</table>',
        'application/json': { b: [1, 2], a: 'x\ny' },
        'application/vnd.custom+json': ['stays', 'a list'],
      },
    },
    {
      data: {
        'image/svg+xml': '<svg>\n<rect/>\n</svg>\n',
        'application/javascript': 'console.log(1);\nconsole.log(2);',
        'image/jpeg': '/9j/4AAQSkZJRg==\n/9j/\n',
        'application/x-custom': ['joined', ' into one'],
        'text/latex': [],
        'image/gif': [],
      },
      output_type: 'display_data',
      metadata: {},
      ...(withIds ? { transient: { display_id: 'kept-by-nbformat' } } : {}),
    },
    { output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['\u001b[0;31m---\u001b[0m', 'ZeroDivisionError: division by zero'] },
  ];
}

function cells(withIds: boolean): Record<string, unknown>[] {
  const id = (value: string) => (withIds ? { id: value } : {});
  return [
    { source: 'x = 1\r\ny = 2\n', cell_type: 'code', ...id('code-1'), metadata: { trusted: true, tags: ['parameters'] }, execution_count: 3, outputs: outputs(withIds) },
    {
      cell_type: 'markdown',
      ...id('md-1'),
      metadata: {},
      source: ['# Ünïcode — 🎉\n', 'line\u2028separated\u000bvertical\u000cfeed\u001cfs\u0085nel\n', 'tab\there "quoted" \\ back/slash \u007f'],
      attachments: { 'dot.png': { 'image/png': PNG_LINES, 'text/plain': 'p\nq' } },
    },
    { metadata: { collapsed: false, jupyter: { source_hidden: true } }, cell_type: 'raw', ...id('raw-1'), source: '' },
    { cell_type: 'code', ...id('code-2'), execution_count: null, metadata: {}, outputs: [], source: [] },
  ];
}

function notebook(minor: number, withIds: boolean, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    nbformat_minor: minor,
    metadata: {
      language_info: { name: 'python', version: '3.11.2', codemirror_mode: { version: 3, name: 'ipython' } },
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      numbers: { one: raw('1.0'), big: raw('1e16'), e5: raw('1E5'), negzero: raw('-0.0'), intzero: raw('-0'), frac: raw('1.50'), huge: raw('123456789012345678901234567890'), tiny: raw('1e-7'), denormal: raw('5e-324'), max: raw('1.7976931348623157e308'), over: raw('1e400'), nan: raw('NaN'), exp: raw('2.5e+20') },
      orig_nbformat: 3,
      signature: 'sha256:dropped',
      'zz-unicode-key-é': 'é\u00e9',
      'Ab-sorted-before-a': true,
    },
    cells: cells(withIds),
    nbformat: 4,
    ...extra,
  };
}

/** File name → text; each is valid enough for nbformat to read and write. */
export function conformanceNotebooks(): Record<string, string> {
  const files: Record<string, string> = {};
  const styles: Style[] = ['crlf', 'indent2', 'compact', 'indent1'];
  for (const minor of [0, 1, 2, 3, 4, 5]) {
    const withIds = minor === 5;
    files[`v4.${minor}-${styles[minor % 4]}.ipynb`] = write(notebook(minor, withIds), styles[minor % 4]);
  }
  files['v4.5-crlf-ids.ipynb'] = write(notebook(5, true), 'crlf');
  const missing = notebook(5, true);
  delete (missing.cells as Record<string, unknown>[])[1].id;
  delete (missing.cells as Record<string, unknown>[])[3].id;
  files['v4.5-missing-ids.ipynb'] = write(missing, 'indent1');
  const duplicate = notebook(5, true);
  (duplicate.cells as Record<string, unknown>[])[2].id = 'code-1';
  files['v4.5-duplicate-ids.ipynb'] = write(duplicate, 'indent2');
  files['v4.4-with-ids.ipynb'] = write(notebook(4, true), 'indent1');
  const future = notebook(99, true, { extra: 'future' });
  (future.cells as Record<string, unknown>[])[0].future = 'yes';
  files['v4.99-future.ipynb'] = write(future, 'crlf');
  const noMinor = notebook(0, false);
  delete noMinor.nbformat_minor;
  files['no-minor.ipynb'] = write(noMinor, 'indent1');
  files['empty-cells.ipynb'] = '{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}';
  // The same key twice: Python's json keeps the last value.
  files['duplicate-key.ipynb'] = '{"nbformat": 4, "nbformat_minor": 4, "metadata": {"a": 1, "a": 2.0}, "cells": [{"cell_type": "raw", "metadata": {}, "source": "r\\u00e9\\/"}]}';
  files['bom-v4.5.ipynb'] = `\ufeff${write(notebook(5, true), 'indent1')}`;
  return files;
}

/** File name → text nbformat cannot read or write (it raises); quire must refuse them. */
export function refusedNotebooks(): Record<string, string> {
  const variant = (change: (nb: Record<string, unknown>, cells: Record<string, unknown>[]) => void) => {
    const nb = notebook(5, true);
    change(nb, nb.cells as Record<string, unknown>[]);
    return write(nb, 'indent1');
  };
  return {
    'no-metadata.ipynb': variant((nb) => delete nb.metadata),
    'cell-without-metadata.ipynb': variant((_nb, c) => delete c[2].metadata),
    'code-without-outputs.ipynb': variant((_nb, c) => delete c[0].outputs),
    'stream-without-text.ipynb': variant((_nb, c) => delete (c[0].outputs as Record<string, unknown>[])[0].text),
    'source-with-a-number.ipynb': variant((_nb, c) => (c[1].source = ['a', 2])),
    'attachments-not-object.ipynb': variant((_nb, c) => (c[1].attachments = ['x'])),
    'minor-as-text.ipynb': variant((nb) => (nb.nbformat_minor = '5')),
    'lone-surrogate.ipynb': variant((_nb, c) => (c[2].source = 'bad \ud800 half')),
  };
}
