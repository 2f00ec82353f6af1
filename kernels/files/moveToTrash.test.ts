import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, type QuireError } from '../../src/errors';
import { moveToTrash } from './moveToTrash';

let dir: string;
let work: string;
let dataHome: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-trash-'));
  work = join(dir, 'my work');
  dataHome = join(dir, 'data');
  mkdirSync(work);
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

const linux = () => ({ platform: 'linux' as const, env: { XDG_DATA_HOME: dataHome }, now: new Date(2026, 11, 8, 2, 3, 4) });

describe('moveToTrash (freedesktop Trash spec)', () => {
  it('moves to $XDG_DATA_HOME/Trash/files with an info/NAME.trashinfo file managers can restore from', async () => {
    const path = join(work, 'my notebook#1.ipynb');
    writeFileSync(path, 'A');
    const result = await moveToTrash(path, linux());
    const trash = join(dataHome, 'Trash');
    expect(result).toEqual({ path, trashedTo: join(trash, 'files', 'my notebook#1.ipynb'), trash });
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(result.trashedTo, 'utf8')).toBe('A');
    const info = readFileSync(join(trash, 'info', 'my notebook#1.ipynb.trashinfo'), 'utf8');
    expect(info).toBe(`[Trash Info]\nPath=${work.split('/').map(encodeURIComponent).join('/')}/my%20notebook%231.ipynb\nDeletionDate=2026-12-08T02:03:04\n`);
    expect(info).toContain('/my%20work/');
    expect(statSync(join(trash, 'files')).mode & 0o777).toBe(0o700);
  });

  it('a second file of the same name gets a.2.ipynb (info first, exclusive); folders and links go too', async () => {
    const trashed: string[] = [];
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(work, 'a.ipynb'), `v${i}`);
      trashed.push((await moveToTrash(join(work, 'a.ipynb'), linux())).trashedTo);
    }
    const files = join(dataHome, 'Trash', 'files');
    expect(trashed).toEqual([join(files, 'a.ipynb'), join(files, 'a.2.ipynb'), join(files, 'a.3.ipynb')]);
    expect(trashed.map((p) => readFileSync(p, 'utf8'))).toEqual(['v0', 'v1', 'v2']);
    expect(readdirSync(join(dataHome, 'Trash', 'info')).sort()).toEqual(['a.2.ipynb.trashinfo', 'a.3.ipynb.trashinfo', 'a.ipynb.trashinfo']);

    // At once: distinct names, nothing replaced.
    writeFileSync(join(work, 'b.ipynb'), 'b');
    writeFileSync(join(work, 'c.ipynb'), 'c');
    mkdirSync(join(work, 'sub'));
    mkdirSync(join(work, 'other'));
    const [x, y] = await Promise.all([moveToTrash(join(work, 'sub'), linux()), moveToTrash(join(work, 'other'), linux())]);
    expect(x.trashedTo).not.toBe(y.trashedTo);

    mkdirSync(join(work, 'folder'));
    writeFileSync(join(work, 'folder', 'inside.ipynb'), 'in');
    const folder = await moveToTrash(join(work, 'folder'), linux());
    expect(readFileSync(join(folder.trashedTo, 'inside.ipynb'), 'utf8')).toBe('in');
  });

  it('a file sitting in files/ without info is never replaced', async () => {
    mkdirSync(join(dataHome, 'Trash', 'files'), { recursive: true });
    writeFileSync(join(dataHome, 'Trash', 'files', 'a.ipynb'), 'older');
    writeFileSync(join(work, 'a.ipynb'), 'new');
    const result = await moveToTrash(join(work, 'a.ipynb'), linux());
    expect(result.trashedTo).toBe(join(dataHome, 'Trash', 'files', 'a.2.ipynb'));
    expect(readFileSync(join(dataHome, 'Trash', 'files', 'a.ipynb'), 'utf8')).toBe('older');
    expect(readdirSync(join(dataHome, 'Trash', 'info'))).toEqual(['a.2.ipynb.trashinfo']);
  });

  it('missing file: NOT_FOUND, and no info file is left', async () => {
    expect((await rejection(moveToTrash(join(work, 'gone.ipynb'), linux()))).code).toBe(ErrorCode.NotFound);
    expect(existsSync(join(dataHome, 'Trash', 'info', 'gone.ipynb.trashinfo'))).toBe(false);
  });

  it('Windows: no trash, said clearly (WRITE_FAILED reason noTrash), the file stays', async () => {
    writeFileSync(join(work, 'a.ipynb'), 'A');
    const error = await rejection(moveToTrash(join(work, 'a.ipynb'), { ...linux(), platform: 'win32' }));
    expect(error).toMatchObject({ code: ErrorCode.WriteFailed, details: { reason: 'noTrash' } });
    expect(error.message).toMatch(/There is no trash for .*Recycle Bin/);
    expect(existsSync(join(work, 'a.ipynb'))).toBe(true);
  });

  // Another disk than the home trash: /dev/shm (tmpfs) here. Its top folder is stood in for by a
  // temp folder on it, so the test does not write /dev/shm/.Trash-$uid itself.
  const shm = '/dev/shm';
  const otherDisk = existsSync(shm) && statSync(shm).dev !== statSync(tmpdir()).dev;
  it.skipIf(!otherDisk)('a file on another disk goes to that disk\'s .Trash-$uid, with Path relative to its top', async () => {
    const top = mkdtempSync(join(shm, 'quire-trash-top-'));
    try {
      mkdirSync(join(top, 'proj'));
      writeFileSync(join(top, 'proj', 'a.ipynb'), 'A');
      const uid = process.getuid?.() ?? 0;
      const result = await moveToTrash(join(top, 'proj', 'a.ipynb'), { ...linux(), uid, mountPointOf: async () => top });
      expect(result.trash).toBe(join(top, `.Trash-${uid}`));
      expect(lstatSync(result.trash).mode & 0o777).toBe(0o700);
      expect(readFileSync(join(result.trash, 'info', 'a.ipynb.trashinfo'), 'utf8')).toContain('\nPath=proj/a.ipynb\n');
      expect(existsSync(join(dataHome, 'Trash'))).toBe(false); // never copied across disks

      // A top folder with no usable trash (.Trash-$uid is someone else's, here a file): noTrash.
      rmSync(result.trash, { recursive: true });
      writeFileSync(join(top, `.Trash-${uid}`), 'not a folder');
      writeFileSync(join(top, 'proj', 'b.ipynb'), 'B');
      const error = await rejection(moveToTrash(join(top, 'proj', 'b.ipynb'), { ...linux(), uid, mountPointOf: async () => top }));
      expect(error).toMatchObject({ code: ErrorCode.WriteFailed, details: { reason: 'noTrash' } });
      expect(error.message).toMatch(/another disk than your home trash/);
      expect(readFileSync(join(top, 'proj', 'b.ipynb'), 'utf8')).toBe('B');
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });

  // GLib's own trash (what GNOME's Files and `gio trash` use) writes the same info and takes turns
  // with us on names: the interop check for the format. gio ships with libglib2.0-bin.
  const gio = ['/usr/bin/gio', '/bin/gio'].find((p) => existsSync(p));
  it.skipIf(!gio)('takes names in turn with GLib\'s gio trash, with the same info format', async () => {
    const path = join(work, 'my notebook#1.ipynb');
    writeFileSync(path, 'glib');
    execFileSync(gio!, ['trash', path], { env: { ...process.env, XDG_DATA_HOME: dataHome } });
    writeFileSync(path, 'quire');
    const ours = await moveToTrash(path, linux());
    expect(ours.trashedTo).toBe(join(dataHome, 'Trash', 'files', 'my notebook#1.2.ipynb'));
    writeFileSync(path, 'glib again');
    execFileSync(gio!, ['trash', path], { env: { ...process.env, XDG_DATA_HOME: dataHome } });
    expect(readFileSync(join(dataHome, 'Trash', 'files', 'my notebook#1.3.ipynb'), 'utf8')).toBe('glib again');
    const info = (name: string) => readFileSync(join(dataHome, 'Trash', 'info', `${name}.trashinfo`), 'utf8').replace(/DeletionDate=.*/, 'DeletionDate=…');
    expect(info('my notebook#1.2.ipynb')).toBe(info('my notebook#1.ipynb'));
    expect(info('my notebook#1.3.ipynb')).toBe(info('my notebook#1.ipynb'));
  });
});
