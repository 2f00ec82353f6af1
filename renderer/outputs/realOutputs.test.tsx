// @vitest-environment jsdom
// Outputs as a real kernel makes them (pandas, matplotlib, IPython.display, ANSI prints, a
// traceback), executed with nbclient on Debian's ipykernel, then rendered by OutputArea.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cleanup, render } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Notebook, Output } from '../../src/jupyter/nbformat';
import { loadKatex } from '../markdown/mathPlugin';
import { OutputArea } from './OutputArea';

const PYTHON = '/usr/bin/python3';
const SCRIPT = String.raw`
import json, sys, nbformat
from nbclient import NotebookClient
cells = [
  "import pandas as pd\npd.set_option('display.html.table_schema', True)\ndf = pd.DataFrame({'city': ['Oslo', 'Lima'], 'pop': [709037, 10092000]})\ndf",
  "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.figure(figsize=(3, 2)); plt.plot([1, 3, 2]); plt.show()",
  "from IPython.display import Markdown, Latex, JSON, SVG, HTML, display\ndisplay(Markdown('**bold** $x^2$'), Latex(r'$$\\frac{a}{b}$$'), JSON({'a': [1, 2]}), SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><circle r=\"4\" cx=\"5\" cy=\"5\"/></svg>'), HTML('<b>hi</b>'))",
  "print('\x1b[31mred\x1b[0m'); import sys; print('warn', file=sys.stderr)",
  "1/0",
]
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
NotebookClient(nb, timeout=60, kernel_name='python3', allow_errors=True).execute()
json.dump(nb, sys.stdout)
`;

let cells: Output[][] = [];

afterEach(cleanup);

beforeAll(async () => {
  await loadKatex(); // these tests check the rendered DOM right after render
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is required (Debian: apt-get install python3-ipykernel python3-nbclient python3-pandas python3-matplotlib)`);
  const child = spawn(PYTHON, ['-c', SCRIPT], { env: { ...process.env, MPLBACKEND: 'module://matplotlib_inline.backend_inline', PYDEVD_DISABLE_FILE_VALIDATION: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`executing the sample notebook failed (exit ${code}); needs python3-ipykernel, python3-nbclient, python3-pandas, python3-matplotlib:\n${stderr}`);
  cells = (JSON.parse(stdout) as Notebook).cells.map((c) => (c.cell_type === 'code' ? c.outputs : []));
}, 90_000);

const show = (outputs: Output[]): HTMLElement => render(<OutputArea outputs={outputs} cellId="real" />).container;
const mimes = (c: HTMLElement): string[] => [...c.querySelectorAll('[data-mime-type]')].map((e) => e.getAttribute('data-mime-type')!);

describe('outputs from a real kernel', () => {
  it('pandas with table schema: table + explorer toggle, table HTML in the sandbox', () => {
    const c = show(cells[0]);
    expect(mimes(c)).toEqual(['application/vnd.dataresource+json']);
    expect(c.querySelector('iframe')?.getAttribute('sandbox')).toBe('allow-scripts');
    expect(c.textContent).toContain('Explore data');
  });

  it('matplotlib figure as a PNG', () => {
    const c = show(cells[1]);
    expect(mimes(c)).toEqual(['image/png']);
    expect(c.querySelector('img')?.getAttribute('src')).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  });

  it('IPython.display objects pick their rich renderers', () => {
    const c = show(cells[2]);
    expect(mimes(c)).toEqual(['text/markdown', 'text/latex', 'application/json', 'image/svg+xml', 'text/html']);
    expect(c.querySelector('.quire-output-markdown strong')?.textContent).toBe('bold');
    expect(c.querySelector('.quire-output-latex .katex-display .mfrac')).not.toBeNull();
    expect(c.querySelector('.quire-json-tree')?.textContent).toContain('a');
    expect(c.querySelector('.quire-output-svg circle')).not.toBeNull();
  });

  it('prints with colours, stderr apart, and a coloured traceback', () => {
    const streams = show(cells[3]);
    expect(streams.querySelector('.ansi-red-fg')?.textContent).toBe('red');
    expect(streams.querySelector('.is-stderr')?.textContent).toBe('warn\n');
    cleanup();
    const error = show(cells[4]);
    expect(error.querySelector('.quire-output-error-header')?.textContent).toBe('ZeroDivisionError: division by zero');
    expect(error.querySelector('.quire-output-traceback')?.textContent).toContain('1/0');
    expect(error.querySelector('.quire-output-traceback')?.textContent).not.toContain('\u001b');
  });
});
