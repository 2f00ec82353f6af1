import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  desktopEntry, desktopPaths, installDesktop, mimePackageXml, quoteExecArg, setDefaultInMimeApps, uninstallDesktop,
} from './installDesktopCommand';

const iconsDir = resolve(__dirname, '..', '..', 'assets', 'icons');
let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-desktop-'));
  env = { PATH: process.env.PATH, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_DIRS: `${join(dir, 'data')}:/usr/share` };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('desktop entry', () => {
  it('quotes Exec arguments as the Desktop Entry spec asks', () => {
    expect(quoteExecArg('/usr/bin/node')).toBe('/usr/bin/node');
    expect(quoteExecArg('/home/me/My Code/start.mjs')).toBe('"/home/me/My Code/start.mjs"');
    expect(quoteExecArg('a"b$c`d\\e')).toBe('"a\\"b\\$c\\`d\\\\e"');
  });

  it('launches with the file and declares the notebook MIME type', () => {
    const entry = desktopEntry(['/usr/bin/node', '/repo/scripts/start.mjs']);
    expect(entry).toContain('Exec=/usr/bin/node /repo/scripts/start.mjs %f\n');
    expect(entry).toContain('MimeType=application/x-ipynb+json;\n');
    expect(entry).toContain('Icon=quire\n');
    expect(entry.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
    expect(mimePackageXml()).toContain('<glob pattern="*.ipynb"/>');
  });
});

describe('install-desktop', () => {
  it('writes the launcher, MIME package and icons under XDG_DATA_HOME and makes Quire the default for .ipynb', () => {
    const { written, ran } = installDesktop({ exec: ['/usr/bin/node', '/repo/scripts/start.mjs'], iconsDir, env });
    const paths = desktopPaths(env);
    expect(written).toEqual(expect.arrayContaining([paths.desktopFile, paths.mimePackage, paths.iconFile(256), paths.scalableIcon]));
    expect(readFileSync(paths.desktopFile, 'utf8')).toContain('Exec=/usr/bin/node /repo/scripts/start.mjs %f');
    expect(readFileSync(paths.mimeApps, 'utf8')).toMatch(/\[Default Applications\]\napplication\/x-ipynb\+json=quire\.desktop/);
    if (ran.includes('update-mime-database')) {
      // The MIME database now maps *.ipynb to our type.
      expect(readFileSync(join(env.XDG_DATA_HOME!, 'mime', 'globs2'), 'utf8')).toContain('application/x-ipynb+json:*.ipynb');
    }
    if (ran.includes('xdg-mime')) {
      const query = spawnSync('xdg-mime', ['query', 'default', 'application/x-ipynb+json'], { env, encoding: 'utf8' });
      expect(query.stdout.trim()).toBe('quire.desktop');
    }
  });

  it('uninstalls everything it wrote and only its own association', () => {
    const paths = desktopPaths(env);
    mkdirSync(join(env.XDG_CONFIG_HOME!), { recursive: true });
    writeFileSync(paths.mimeApps, '[Default Applications]\ntext/plain=gedit.desktop\n');
    installDesktop({ exec: ['/bin/true'], iconsDir, env });
    const { written } = uninstallDesktop({ env });
    expect(written).toEqual(expect.arrayContaining([paths.desktopFile, paths.mimePackage]));
    expect(existsSync(paths.desktopFile)).toBe(false);
    expect(existsSync(paths.iconFile(48))).toBe(false);
    const apps = readFileSync(paths.mimeApps, 'utf8');
    expect(apps).toContain('text/plain=gedit.desktop');
    expect(apps).not.toContain('quire.desktop');
  });

  it('edits mimeapps.list without xdg-mime too', () => {
    const file = join(dir, 'mimeapps.list');
    writeFileSync(file, '[Added Associations]\nx/y=a.desktop\n\n[Default Applications]\napplication/x-ipynb+json=jupyterlab.desktop\n');
    setDefaultInMimeApps(file, true);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('[Default Applications]\napplication/x-ipynb+json=quire.desktop\n');
    expect(text).not.toContain('jupyterlab.desktop');
    expect(text).toContain('x/y=a.desktop');
    setDefaultInMimeApps(file, false);
    expect(readFileSync(file, 'utf8')).not.toContain('quire.desktop');
  });
});
