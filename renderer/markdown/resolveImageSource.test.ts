import { describe, expect, it } from 'vitest';
import { normalizePath, parentFolder, resolveImageSource } from './resolveImageSource';

const local = (path: string) => ({ kind: 'local', path });

describe('resolveImageSource', () => {
  const folder = '/home/ada/work/reports';

  it('takes relative paths from the notebook folder, with ./ and ../ resolved', () => {
    expect(resolveImageSource('figures/plot.png', folder)).toEqual(local('/home/ada/work/reports/figures/plot.png'));
    expect(resolveImageSource('./img/logo.svg', folder)).toEqual(local('/home/ada/work/reports/img/logo.svg'));
    expect(resolveImageSource('../shared/./a/../chart.png', folder)).toEqual(local('/home/ada/work/shared/chart.png'));
    expect(resolveImageSource('plot.png', '/')).toEqual(local('/plot.png'));
    // `..` never climbs above the root (the host's workspace guard decides what may be read).
    expect(resolveImageSource('../../../../../../etc/x.png', folder)).toEqual(local('/etc/x.png'));
  });

  it('percent-decodes paths and drops a query or fragment', () => {
    expect(resolveImageSource('my%20plot.png', folder)).toEqual(local('/home/ada/work/reports/my plot.png'));
    expect(resolveImageSource('caf%C3%A9/%C3%A9t%C3%A9.png?v=3#top', folder)).toEqual(local('/home/ada/work/reports/café/été.png'));
    expect(resolveImageSource('my plot.png', folder)).toEqual(local('/home/ada/work/reports/my plot.png'));
    // A literal % that is no escape stays as written; an encoded ? is part of the name.
    expect(resolveImageSource('100%.png', folder)).toEqual(local('/home/ada/work/reports/100%.png'));
    expect(resolveImageSource('what%3F.png', folder)).toEqual(local('/home/ada/work/reports/what?.png'));
  });

  it('treats /abs/path and file:// URLs as paths on this computer', () => {
    expect(resolveImageSource('/data/figs/a.png', folder)).toEqual(local('/data/figs/a.png'));
    expect(resolveImageSource('/data/../figs/%20b.png', folder)).toEqual(local('/figs/ b.png'));
    expect(resolveImageSource('file:///data/my%20figs/a.png', folder)).toEqual(local('/data/my figs/a.png'));
    expect(resolveImageSource('file://localhost/data/a.png', folder)).toEqual(local('/data/a.png'));
    expect(resolveImageSource('file:///C:/Users/ada/a.png', folder)).toEqual(local('C:\\Users\\ada\\a.png'));
    expect(resolveImageSource('file://fileserver/share/a.png', folder)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('fileserver') });
  });

  it('resolves Windows notebooks with Windows rules', () => {
    const win = 'C:\\Users\\ada\\reports';
    expect(resolveImageSource('figures/plot.png', win)).toEqual(local('C:\\Users\\ada\\reports\\figures\\plot.png'));
    expect(resolveImageSource('..\\shared\\my%20chart.png', win)).toEqual(local('C:\\Users\\ada\\shared\\my chart.png'));
    expect(resolveImageSource('/data/a.png', win)).toEqual(local('C:\\data\\a.png'));
    expect(resolveImageSource('D:/figs/a.png', win)).toEqual(local('D:\\figs\\a.png'));
    expect(resolveImageSource('plot.png', '\\\\server\\share\\nb')).toEqual(local('\\\\server\\share\\nb\\plot.png'));
  });

  it('loads https: images from the web and refuses other schemes with a reason', () => {
    expect(resolveImageSource('https://example.org/logo.png', folder)).toEqual({ kind: 'remote', url: 'https://example.org/logo.png' });
    expect(resolveImageSource('//cdn.example.org/x.png', folder)).toEqual({ kind: 'remote', url: 'https://cdn.example.org/x.png' });
    expect(resolveImageSource('http://example.org/logo.png', folder)).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/only https/i) });
    for (const src of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'vbscript:x', 'ftp://example.org/a.png', 'blob:https://x/1']) {
      expect(resolveImageSource(src, folder).kind, src).toBe('refused');
    }
    expect(resolveImageSource('data:image/png;base64,AAAA', folder)).toEqual({ kind: 'inline' });
    expect(resolveImageSource('attachment:a.png', folder)).toEqual({ kind: 'inline' });
    expect(resolveImageSource('   ', folder)).toMatchObject({ kind: 'refused' });
  });

  it('refuses relative paths when there is no notebook folder, but not absolute ones', () => {
    expect(resolveImageSource('plot.png', undefined)).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/next to the notebook/) });
    expect(resolveImageSource('/tmp/plot.png', undefined)).toEqual(local('/tmp/plot.png'));
  });
});

describe('normalizePath and parentFolder', () => {
  it('normalizes POSIX and Windows paths', () => {
    expect(normalizePath('/a//b/./c/../d/')).toBe('/a/b/d');
    expect(normalizePath('/..')).toBe('/');
    expect(normalizePath('a/../../b')).toBe('../b');
    expect(normalizePath('C:/a/../../b')).toBe('C:\\b');
    expect(normalizePath('c:')).toBe('c:\\');
  });

  it('gives the folder of a notebook', () => {
    expect(parentFolder('/home/ada/nb.ipynb')).toBe('/home/ada');
    expect(parentFolder('/nb.ipynb')).toBe('/');
    expect(parentFolder('C:\\work\\nb.ipynb')).toBe('C:\\work');
    expect(parentFolder('C:\\nb.ipynb')).toBe('C:\\');
  });
});
