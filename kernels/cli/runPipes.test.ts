/**
 * `quire run` in shell pipelines, as papermill: the built CLI in its own process, stdin a real
 * pipe, stdout captured (not a terminal), the real ipykernel.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeCell, Notebook } from '../../src/jupyter/nbformat';
import { joinSource } from '../../src/jupyter/nbformat';
import { serializeNotebook } from '../../src/jupyter/notebookFormat';
import { buildCli, runQuire, runQuireFromPipe } from '../testing/buildCli';
import { requirePython3Spec } from '../testing/realKernel';

let dir: string;
let input: string;

beforeAll(async () => {
  await requirePython3Spec();
  buildCli();
  dir = mkdtempSync(join(tmpdir(), 'quire-pipes-'));
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      { id: 'p', cell_type: 'code', execution_count: null, outputs: [], metadata: { tags: ['parameters'] }, source: 'n = 2' },
      { id: 'm', cell_type: 'markdown', metadata: {}, source: '# Report' },
      { id: 'c', cell_type: 'code', execution_count: null, outputs: [], metadata: {}, source: '#papermill_description=Printing\nimport sys\nassert n < 100\nprint("out", n)\nprint("err", n, file=sys.stderr)' },
    ],
  };
  input = join(dir, 'in.ipynb');
  writeFileSync(input, serializeNotebook(nb));
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** nbformat's own validation of a notebook given as text. */
function validateWithNbformat(text: string): void {
  execFileSync('/usr/bin/python3', ['-c', 'import sys, nbformat; nbformat.validate(nbformat.reads(sys.stdin.read(), as_version=4))'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });
}

const streams = (cell: CodeCell) => cell.outputs.map((o) => (o.output_type === 'stream' ? `${o.name}:${joinSource(o.text)}` : o.output_type));

describe('quire run in pipes', () => {
  it('cat in.ipynb | quire run -p n 3 | …: stdout is exactly the output notebook; logs, bar and tees elsewhere', () => {
    const stdoutFile = join(dir, 'cells.out');
    const stderrFile = join(dir, 'cells.err');
    const result = runQuireFromPipe(input, 'run', '-p', 'n', '3', '--progress-bar', '--stdout-file', stdoutFile, '--stderr-file', stderrFile);
    expect(result.code, result.stderr).toBe(0);
    const nb = JSON.parse(result.stdout) as Notebook; // the whole of stdout is one JSON document
    validateWithNbformat(result.stdout);
    expect(nb.metadata.papermill).toMatchObject({ input_path: '-', output_path: '-', parameters: { n: 3 }, exception: null });
    expect(joinSource(nb.cells[1].source)).toBe('# Parameters\nn = 3\n');
    expect(streams(nb.cells[3] as CodeCell)).toEqual(['stdout:out 3\n', 'stderr:err 3\n']);
    // INFO logs are silenced when the notebook goes to stdout (papermill); the forced bar counts all 4 cells.
    expect(result.stderr).not.toContain('Input Notebook');
    expect(result.stderr).toContain('Executing:   0%|');
    expect(result.stderr).toMatch(/Executing Printing: 100%\|█+\| 4\/4 \[/);
    expect(readFileSync(stdoutFile, 'utf8')).toBe('out 3\n');
    expect(readFileSync(stderrFile, 'utf8')).toBe('err 3\n');
  });

  it('cat in.ipynb | quire run OUT: with stdin piped, the one path is OUTPUT; nothing on stdout', () => {
    const output = join(dir, 'from-stdin.ipynb');
    const result = runQuireFromPipe(input, 'run', output, '-p', 'n', '5');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Input Notebook:  -');
    const nb = JSON.parse(readFileSync(output, 'utf8')) as Notebook;
    expect(streams(nb.cells[3] as CodeCell)).toEqual(['stdout:out 5\n', 'stderr:err 5\n']);
  });

  it('a failing run still writes one notebook to stdout (with papermill\'s banners) and exits 1', () => {
    const result = runQuireFromPipe(input, 'run', '-', '-', '-p', 'n', '500');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('AssertionError');
    const nb = JSON.parse(result.stdout) as Notebook;
    validateWithNbformat(result.stdout);
    expect(nb.cells.filter((c) => (c.metadata.tags as string[] | undefined)?.includes('papermill-error-cell-tag'))).toHaveLength(2);
    expect((nb.metadata.papermill as { exception: boolean }).exception).toBe(true);
  });

  it('explicit - reads stdin that is not a pipe too; an empty stdin is a clear error and writes nothing', () => {
    const viaSocket = runQuire('run', '-', join(dir, 'never.ipynb')); // spawnSync's stdin: empty, a socket
    expect(viaSocket.code).toBe(1);
    expect(viaSocket.stderr).toContain('<stdin>: no notebook was given on stdin');
    expect(existsSync(join(dir, 'never.ipynb'))).toBe(false);
    const empty = runQuireFromPipe('/dev/null', 'run', join(dir, 'never.ipynb'));
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('<stdin>: no notebook was given on stdin');
    expect(existsSync(join(dir, 'never.ipynb'))).toBe(false);
  });
});
