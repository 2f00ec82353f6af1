import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync, closeSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, type QuireError } from '../../src/errors';
import type { CodeCell, Notebook } from '../../src/jupyter/nbformat';
import { generateJupyterFixtures, type JupyterFixtures } from '../testing/notebookFixtures';
import { readNotebookFile, writeNotebookFile } from './notebookFiles';

let fx: JupyterFixtures;
let dir: string;
beforeAll(() => {
  fx = generateJupyterFixtures();
  dir = mkdtempSync(join(tmpdir(), 'quire-files-'));
}, 60_000);
afterAll(() => {
  fx?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function copyFixture(name: string, to = join(dir, name)): string {
  copyFileSync(fx.files[name], to);
  return to;
}

async function rejection(promise: Promise<unknown>): Promise<QuireError> {
  try {
    await promise;
  } catch (error) {
    return error as QuireError;
  }
  throw new Error('expected a rejection');
}

const overRpc = (nb: Notebook): Notebook => JSON.parse(JSON.stringify(nb));
const tempFiles = (folder: string) => readdirSync(folder).filter((f) => f.includes('.quire-tmp'));

describe('readNotebookFile / writeNotebookFile', () => {
  it.each(['rich-4.5.ipynb', 'rich-4.4.ipynb', 'minimal-4.0.ipynb', 'numbers-4.5.ipynb'])('%s: open + save unchanged (over RPC) is byte-identical', async (name) => {
    const path = copyFixture(name);
    const before = readFileSync(path);
    const doc = await readNotebookFile(path);
    expect(doc.warnings).toEqual([]);
    const result = await writeNotebookFile(path, overRpc(doc.notebook), { expectedMtimeMs: doc.mtimeMs });
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(result.size).toBe(before.length);
    expect(tempFiles(dir)).toEqual([]);
  });

  it('a UI that holds every text as one string still saves unchanged cells identically; new text is written as lists', async () => {
    const path = copyFixture('rich-4.5.ipynb', join(dir, 'strings.ipynb'));
    const before = readFileSync(path, 'utf8');
    const doc = await readNotebookFile(path);
    const join1 = (v: unknown) => (Array.isArray(v) ? v.join('') : v);
    const nb = overRpc(doc.notebook);
    for (const cell of nb.cells) {
      cell.source = join1(cell.source) as string;
      if (cell.cell_type !== 'code') continue;
      for (const o of cell.outputs) {
        if (o.output_type === 'stream') o.text = join1(o.text) as string;
        if (o.output_type === 'display_data' || o.output_type === 'execute_result') for (const m of Object.keys(o.data)) o.data[m] = join1(o.data[m]) as string;
      }
    }
    await writeNotebookFile(path, nb);
    expect(readFileSync(path, 'utf8')).toBe(before);
    nb.cells[3].source = 'edited\ntwo lines';
    nb.cells.push({ cell_type: 'markdown', id: 'new-cell', metadata: {}, source: 'new\ncell' });
    await writeNotebookFile(path, nb);
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.cells[3].source).toEqual(['edited\n', 'two lines']);
    expect(saved.cells[6].source).toEqual(['new\n', 'cell']);
    expect(saved.cells[0]).toEqual(JSON.parse(before).cells[0]);
  });

  it('a file written with string sources (another tool) keeps its strings', async () => {
    const path = join(dir, 'tool.ipynb');
    const text = JSON.stringify({ cells: [{ cell_type: 'markdown', id: 'a', metadata: {}, source: 'one\ntwo' }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n';
    writeFileSync(path, text);
    const doc = await readNotebookFile(path);
    await writeNotebookFile(path, overRpc(doc.notebook));
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('keeps Windows line endings (Jupyter on Windows writes \\r\\n)', async () => {
    const path = join(dir, 'crlf.ipynb');
    const crlf = readFileSync(fx.files['rich-4.4.ipynb'], 'utf8').replace(/\n/g, '\r\n');
    writeFileSync(path, crlf);
    const doc = await readNotebookFile(path);
    expect(doc.warnings).toEqual([]);
    await writeNotebookFile(path, overRpc(doc.notebook));
    expect(readFileSync(path, 'utf8')).toBe(crlf);
  });

  it('keeps the file mode and replaces the target of a symlink', async () => {
    const path = copyFixture('rich-4.5.ipynb', join(dir, 'moded.ipynb'));
    chmodSync(path, 0o640);
    // As root (CI), the owner is kept too.
    if (process.getuid?.() === 0) chownSync(path, 1234, 5678);
    const link = join(dir, 'link.ipynb');
    symlinkSync(path, link);
    const doc = await readNotebookFile(link);
    doc.notebook.cells[0].source = ['changed\n'];
    await writeNotebookFile(link, doc.notebook);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    if (process.getuid?.() === 0) expect([statSync(path).uid, statSync(path).gid]).toEqual([1234, 5678]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain('"changed\\n"');
  });

  it('a broken notebook is refused with line/column and stays byte-identical after an attempted save', async () => {
    const path = join(dir, 'broken.ipynb');
    const full = readFileSync(fx.files['rich-4.5.ipynb'], 'utf8');
    writeFileSync(path, full.slice(0, 1234));
    const readError = await rejection(readNotebookFile(path));
    expect(readError.code).toBe(ErrorCode.NotebookParseError);
    const location = readError.details!.location as { line: number; column: number };
    expect(location.line).toBe(full.slice(0, 1234).split('\n').length);
    expect(location.column).toBeGreaterThan(0);
    const before = readFileSync(path);
    const writeError = await rejection(writeNotebookFile(path, JSON.parse(full)));
    expect(writeError.code).toBe(ErrorCode.WriteFailed);
    expect(writeError.details!.reason).toBe('existingFileNotNotebook');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(tempFiles(dir)).toEqual([]);
    // Only an explicit override replaces it.
    await writeNotebookFile(path, JSON.parse(full), { replaceUnparseable: true });
    expect((await readNotebookFile(path)).notebook.cells).toHaveLength(6);
  });

  it('nbformat 3 is refused clearly', async () => {
    const error = await rejection(readNotebookFile(copyFixture('old-v3.ipynb')));
    expect(error.code).toBe(ErrorCode.NotebookUnsupportedVersion);
    expect(error.message).toContain('nbformat 3 is not supported; convert it with `jupyter nbconvert --to notebook --nbformat 4`');
  });

  it('detects changes on disk and existing files', async () => {
    const path = copyFixture('minimal-4.0.ipynb', join(dir, 'changed.ipynb'));
    const doc = await readNotebookFile(path);
    expect((await rejection(writeNotebookFile(path, doc.notebook, { expectedMtimeMs: doc.mtimeMs - 1000 }))).code).toBe(ErrorCode.FileChangedOnDisk);
    expect((await rejection(writeNotebookFile(path, doc.notebook, { overwrite: false }))).code).toBe(ErrorCode.FileExists);
    const fresh = join(dir, 'fresh.ipynb');
    await writeNotebookFile(fresh, doc.notebook, { overwrite: false });
    expect(readFileSync(fresh, 'utf8')).toBe(readFileSync(path, 'utf8'));
  });

  it('missing files and folders give NOT_FOUND / WRITE_FAILED and leave nothing behind', async () => {
    expect((await rejection(readNotebookFile(join(dir, 'nope.ipynb')))).code).toBe(ErrorCode.NotFound);
    const notAFolder = join(dir, 'plain-file');
    writeFileSync(notAFolder, 'x');
    const error = await rejection(writeNotebookFile(join(notAFolder, 'a.ipynb'), (await readNotebookFile(fx.files['minimal-4.0.ipynb'])).notebook));
    expect(error.code).toBe(ErrorCode.WriteFailed);
    expect(error.message).toMatch(/not a folder \(ENOTDIR\)/);
  });
});

describe('a full disk (tmpfs)', () => {
  // Needs root to mount a tiny tmpfs; that is how CI runs. Elsewhere this fails with a clear message.
  let mountPoint: string;
  beforeAll(() => {
    mountPoint = mkdtempSync(join(tmpdir(), 'quire-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`This test mounts a 256 KiB tmpfs to fill it up and needs root (run the suite as root, as CI does): ${String(error)}`, { cause: error });
    }
  });
  afterAll(() => {
    try {
      execFileSync('umount', [mountPoint], { stdio: 'pipe' });
    } finally {
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });

  it('ENOSPC: WRITE_FAILED saying so, the original untouched, no temp file left', async () => {
    const path = join(mountPoint, 'nb.ipynb');
    copyFileSync(fx.files['minimal-4.0.ipynb'], path);
    const before = readFileSync(path);
    // Fill the disk.
    const filler = openSync(join(mountPoint, 'filler'), 'w');
    const chunk = Buffer.alloc(4096, 1);
    try {
      for (;;) writeSync(filler, chunk);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(filler);
    }
    const doc = await readNotebookFile(path);
    const cell: CodeCell = { cell_type: 'code', metadata: {}, source: ['x'], execution_count: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: 'y'.repeat(100_000) }] };
    doc.notebook.cells.push(cell);
    const error = await rejection(writeNotebookFile(path, doc.notebook, { expectedMtimeMs: doc.mtimeMs }));
    expect(error.code).toBe(ErrorCode.WriteFailed);
    expect(error.message).toMatch(/no space left on the disk \(ENOSPC\)/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(tempFiles(mountPoint)).toEqual([]);
  });
});
