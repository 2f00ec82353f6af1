import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleSecondInstance, OpenRequests, pathsFromArgv } from './argv';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-argv-'));
  writeFileSync(join(dir, 'a.ipynb'), '{}');
  writeFileSync(join(dir, 'notes.txt'), 'x');
  mkdirSync(join(dir, 'project'));
  mkdirSync(join(dir, 'weird.ipynb'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('pathsFromArgv', () => {
  it('reads documents after the executable in a packaged app', () => {
    expect(pathsFromArgv(['/opt/Quire/quire', 'a.ipynb', 'project'], { cwd: dir, defaultApp: false })).toEqual([join(dir, 'a.ipynb'), join(dir, 'project')]);
  });

  it('skips the app folder in development and every switch', () => {
    const argv = ['/x/electron', '/repo', '--no-sandbox', '--enable-logging', '--', join(dir, 'a.ipynb')];
    expect(pathsFromArgv(argv, { cwd: '/', defaultApp: true })).toEqual([join(dir, 'a.ipynb')]);
  });

  it('accepts file:// URIs from desktop entries and new notebooks, refuses other files and URLs', () => {
    const argv = ['/quire', pathToFileURL(join(dir, 'a.ipynb')).href, 'new.ipynb', 'notes.txt', 'missing-folder', 'weird.ipynb', 'https://example.com/x.ipynb', 'a.ipynb'];
    expect(pathsFromArgv(argv, { cwd: dir, defaultApp: false })).toEqual([join(dir, 'a.ipynb'), join(dir, 'new.ipynb')]);
  });
});

describe('OpenRequests', () => {
  it('queues requests until ready, then opens them in order and later ones at once', () => {
    const requests = new OpenRequests();
    requests.add(['/a.ipynb']);
    requests.add(['/b.ipynb', '/a.ipynb']);
    const opened: string[] = [];
    expect(requests.ready((p) => opened.push(p))).toBe(2);
    expect(opened).toEqual(['/a.ipynb', '/b.ipynb']);
    requests.add(['/c.ipynb']);
    expect(opened).toEqual(['/a.ipynb', '/b.ipynb', '/c.ipynb']);
  });
});

describe('handleSecondInstance', () => {
  const deps = (focusable: boolean) => {
    const calls: string[] = [];
    return {
      calls,
      deps: {
        defaultApp: false,
        openPaths: (paths: string[]) => calls.push(`open ${paths.join(',')}`),
        focusAnyWindow: () => {
          calls.push('focus');
          return focusable;
        },
        openEmptyWindow: () => calls.push('empty'),
      },
    };
  };

  it('hands the second launch\'s files (relative to its own cwd) to the running app', () => {
    const { calls, deps: d } = deps(true);
    expect(handleSecondInstance(['/quire', 'a.ipynb'], dir, d)).toEqual([join(dir, 'a.ipynb')]);
    expect(calls).toEqual([`open ${join(dir, 'a.ipynb')}`]);
  });

  it('focuses a window when the second launch names no file, or opens one when none exists', () => {
    const a = deps(true);
    handleSecondInstance(['/quire', '--flag'], dir, a.deps);
    expect(a.calls).toEqual(['focus']);
    const b = deps(false);
    handleSecondInstance(['/quire'], dir, b.deps);
    expect(b.calls).toEqual(['focus', 'empty']);
  });
});
