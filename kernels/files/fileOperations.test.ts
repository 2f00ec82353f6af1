import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, type QuireError } from '../../src/errors';
import { parseNotebook } from '../../src/jupyter/notebookFormat';
import { createFolderIn, createNotebookFile, deleteForGood, duplicateFile, incrementedNames, renameNoReplace } from './fileOperations';
import { writeNotebookFile } from './notebookFiles';
import { acquireSaveLock } from './saveLock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-fileops-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<QuireError> {
  try {
    await promise;
  } catch (error) {
    return error as QuireError;
  }
  throw new Error('expected a rejection');
}

const visible = () => readdirSync(dir).filter((n) => !n.startsWith('.')).sort();

describe('incrementedNames (jupyter_server increment_filename)', () => {
  it('numbers before .ipynb, else before the first dot', () => {
    const first = (name: string, insert: string, n = 3) => [...incrementedNames(name, insert)].slice(0, n);
    expect(first('Untitled.ipynb', '')).toEqual(['Untitled.ipynb', 'Untitled1.ipynb', 'Untitled2.ipynb']);
    expect(first('Untitled Folder', ' ')).toEqual(['Untitled Folder', 'Untitled Folder 1', 'Untitled Folder 2']);
    expect(first('a.b.ipynb', '-Copy')).toEqual(['a.b.ipynb', 'a.b-Copy1.ipynb', 'a.b-Copy2.ipynb']);
    expect(first('data.tar.gz', '-Copy')).toEqual(['data.tar.gz', 'data-Copy1.tar.gz', 'data-Copy2.tar.gz']);
  });
});

describe('createNotebookFile', () => {
  it('picks Untitled.ipynb, then Untitled1.ipynb; the file is an empty 4.5 notebook', async () => {
    const a = await createNotebookFile(dir);
    const b = await createNotebookFile(dir);
    expect([a.path, b.path]).toEqual([join(dir, 'Untitled.ipynb'), join(dir, 'Untitled1.ipynb')]);
    const nb = parseNotebook(readFileSync(a.path, 'utf8'));
    expect(nb).toMatchObject({ nbformat: 4, nbformat_minor: 5 });
    expect(nb.cells).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(['Untitled.ipynb', 'Untitled1.ipynb']); // no temp file left
  });

  it('two at once (and twenty) get different names, none replaced', async () => {
    writeFileSync(join(dir, 'Untitled.ipynb'), 'mine');
    const made = await Promise.all(Array.from({ length: 20 }, () => createNotebookFile(dir)));
    const names = made.map((s) => s.path.slice(dir.length + 1));
    expect(new Set(names).size).toBe(20);
    expect(names).not.toContain('Untitled.ipynb');
    expect(readFileSync(join(dir, 'Untitled.ipynb'), 'utf8')).toBe('mine');
    expect(visible()).toHaveLength(21);
    expect(readdirSync(dir).filter((n) => n.endsWith('.quire-tmp'))).toEqual([]);
  });

  it('with a name: adds .ipynb, refuses a taken name, bad names and missing folders', async () => {
    expect((await createNotebookFile(dir, 'analysis')).path).toBe(join(dir, 'analysis.ipynb'));
    writeFileSync(join(dir, 'taken.ipynb'), 'keep');
    expect((await rejection(createNotebookFile(dir, 'taken.ipynb'))).code).toBe(ErrorCode.FileExists);
    expect(readFileSync(join(dir, 'taken.ipynb'), 'utf8')).toBe('keep');
    for (const bad of ['', '..', 'a/b', 'x\0y']) {
      expect(await rejection(createNotebookFile(dir, bad))).toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'badName' } });
    }
    expect((await rejection(createNotebookFile(join(dir, 'missing')))).code).toBe(ErrorCode.NotFound);
    expect(readdirSync(dir).filter((n) => n.endsWith('.quire-tmp'))).toEqual([]);
  });
});

describe('createFolderIn', () => {
  it('Untitled Folder, Untitled Folder 1 (also at once); a named one refuses a taken name', async () => {
    const made = await Promise.all([createFolderIn(dir), createFolderIn(dir)]);
    expect(made.map((s) => s.path).sort()).toEqual([join(dir, 'Untitled Folder'), join(dir, 'Untitled Folder 1')]);
    expect(made.every((s) => s.kind === 'directory')).toBe(true);
    expect((await createFolderIn(dir, 'data')).path).toBe(join(dir, 'data'));
    expect((await rejection(createFolderIn(dir, 'data'))).code).toBe(ErrorCode.FileExists);
    writeFileSync(join(dir, 'file'), 'x');
    expect((await rejection(createFolderIn(dir, 'file'))).code).toBe(ErrorCode.FileExists);
  });
});

describe('renameNoReplace', () => {
  it('renames a file, keeping its content and inode', async () => {
    writeFileSync(join(dir, 'a.ipynb'), 'A');
    const ino = statSync(join(dir, 'a.ipynb')).ino;
    const result = await renameNoReplace(join(dir, 'a.ipynb'), join(dir, 'b.ipynb'));
    expect(result).toMatchObject({ path: join(dir, 'b.ipynb'), exists: true, kind: 'file' });
    expect(visible()).toEqual(['b.ipynb']);
    expect(statSync(join(dir, 'b.ipynb')).ino).toBe(ino);
    expect(readdirSync(dir)).toEqual(['b.ipynb']); // no lock file left
  });

  it('never replaces: onto a file or a folder fails with FILE_EXISTS and both stay', async () => {
    writeFileSync(join(dir, 'a.ipynb'), 'A');
    writeFileSync(join(dir, 'b.ipynb'), 'B');
    mkdirSync(join(dir, 'f1'));
    mkdirSync(join(dir, 'f2'));
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'f2', 'x'), 'x');
    expect((await rejection(renameNoReplace(join(dir, 'a.ipynb'), join(dir, 'b.ipynb')))).code).toBe(ErrorCode.FileExists);
    expect((await rejection(renameNoReplace(join(dir, 'a.ipynb'), join(dir, 'f1')))).code).toBe(ErrorCode.FileExists);
    expect((await rejection(renameNoReplace(join(dir, 'f1'), join(dir, 'f2')))).code).toBe(ErrorCode.FileExists);
    expect((await rejection(renameNoReplace(join(dir, 'f1'), join(dir, 'empty')))).code).toBe(ErrorCode.FileExists);
    expect((await rejection(renameNoReplace(join(dir, 'f1'), join(dir, 'a.ipynb')))).code).toBe(ErrorCode.FileExists);
    expect(readFileSync(join(dir, 'a.ipynb'), 'utf8')).toBe('A');
    expect(readFileSync(join(dir, 'b.ipynb'), 'utf8')).toBe('B');
    expect(readFileSync(join(dir, 'f2', 'x'), 'utf8')).toBe('x');
    expect(visible()).toEqual(['a.ipynb', 'b.ipynb', 'empty', 'f1', 'f2']);
  });

  it('a second hard link of the same file is an existing name: FILE_EXISTS, both names stay', async () => {
    writeFileSync(join(dir, 'a.ipynb'), 'A');
    linkSync(join(dir, 'a.ipynb'), join(dir, 'hard.ipynb'));
    expect((await rejection(renameNoReplace(join(dir, 'a.ipynb'), join(dir, 'hard.ipynb')))).code).toBe(ErrorCode.FileExists);
    expect(visible()).toEqual(['a.ipynb', 'hard.ipynb']);
  });

  it('folders move with their content; missing source is NOT_FOUND; a folder into itself is refused', async () => {
    mkdirSync(join(dir, 'src', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'src', 'deep', 'n.ipynb'), 'N');
    await renameNoReplace(join(dir, 'src'), join(dir, 'dst'));
    expect(readFileSync(join(dir, 'dst', 'deep', 'n.ipynb'), 'utf8')).toBe('N');
    expect((await rejection(renameNoReplace(join(dir, 'nope'), join(dir, 'x')))).code).toBe(ErrorCode.NotFound);
    expect((await rejection(renameNoReplace(join(dir, 'dst'), join(dir, 'dst', 'deep', 'inner')))).code).toBe(ErrorCode.InvalidArgument);
    expect((await rejection(renameNoReplace(join(dir, 'dst', 'deep', 'n.ipynb'), join(dir, 'no-folder', 'n.ipynb')))).code).toBe(ErrorCode.NotFound);
  });

  it('waits for a save of the notebook in progress; the save after the rename finds it gone', async () => {
    const path = join(dir, 'a.ipynb');
    const first = await createNotebookFile(dir, 'a.ipynb');
    const lock = await acquireSaveLock(path); // another process is saving
    let renamed = false;
    const rename = renameNoReplace(path, join(dir, 'b.ipynb')).then(() => { renamed = true; });
    // Not a race: while the lock is held the rename cannot happen however long we look.
    await new Promise((r) => setTimeout(r, 50));
    expect(renamed).toBe(false);
    expect(existsSync(path)).toBe(true);
    await lock.release();
    await rename;
    expect(visible()).toEqual(['b.ipynb']);
    const nb = parseNotebook(readFileSync(join(dir, 'b.ipynb'), 'utf8'));
    const save = writeNotebookFile(path, nb, { expectedMtimeMs: first.mtimeMs });
    expect((await rejection(save)).code).toBe(ErrorCode.FileDeleted);
  });
});

describe('duplicateFile', () => {
  it('a.ipynb → a-Copy1.ipynb, a-Copy2.ipynb; a copy of a copy counts on; folders are refused', async () => {
    writeFileSync(join(dir, 'a.ipynb'), 'A');
    expect((await duplicateFile(join(dir, 'a.ipynb'))).path).toBe(join(dir, 'a-Copy1.ipynb'));
    expect((await duplicateFile(join(dir, 'a.ipynb'))).path).toBe(join(dir, 'a-Copy2.ipynb'));
    expect((await duplicateFile(join(dir, 'a-Copy1.ipynb'))).path).toBe(join(dir, 'a-Copy3.ipynb'));
    expect(readFileSync(join(dir, 'a-Copy3.ipynb'), 'utf8')).toBe('A');
    writeFileSync(join(dir, 'data.csv'), '1,2');
    expect((await duplicateFile(join(dir, 'data.csv'))).path).toBe(join(dir, 'data-Copy1.csv'));
    mkdirSync(join(dir, 'f'));
    expect(await rejection(duplicateFile(join(dir, 'f')))).toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'notAFile' } });
    expect((await rejection(duplicateFile(join(dir, 'gone.ipynb')))).code).toBe(ErrorCode.NotFound);
    const dups = await Promise.all([duplicateFile(join(dir, 'a.ipynb')), duplicateFile(join(dir, 'a.ipynb'))]);
    expect(new Set(dups.map((d) => d.path)).size).toBe(2);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('deleteForGood', () => {
  it('deletes files and empty folders; refuses folders with content; NOT_FOUND when missing', async () => {
    writeFileSync(join(dir, 'a.ipynb'), 'A');
    mkdirSync(join(dir, 'empty'));
    mkdirSync(join(dir, 'full'));
    writeFileSync(join(dir, 'full', 'x'), 'x');
    await deleteForGood(join(dir, 'a.ipynb'));
    await deleteForGood(join(dir, 'empty'));
    expect(await rejection(deleteForGood(join(dir, 'full')))).toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'notEmpty' } });
    expect((await rejection(deleteForGood(join(dir, 'a.ipynb')))).code).toBe(ErrorCode.NotFound);
    expect(visible()).toEqual(['full']);
  });
});
