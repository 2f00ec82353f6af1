import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors';
import { MAX_IMAGE_BYTES, readImageFile, sniffImageMime } from './imageFiles';

const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
const GIF_1PX = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffImageMime', () => {
  it('tells each supported type by its signature', () => {
    expect(sniffImageMime(PNG_1PX)).toBe('image/png');
    expect(sniffImageMime(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))).toBe('image/jpeg');
    expect(sniffImageMime(GIF_1PX)).toBe('image/gif');
    expect(sniffImageMime(bytes('GIF87a', [1, 0, 1, 0]))).toBe('image/gif');
    expect(sniffImageMime(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageMime(bytes('BM', new Array(40).fill(0)))).toBe('image/bmp');
    expect(sniffImageMime(bytes([0, 0, 1, 0, 1, 0], new Array(16).fill(0)))).toBe('image/x-icon');
  });

  it('recognizes SVG after a BOM, XML declaration, comments and a DOCTYPE with an internal subset', () => {
    expect(sniffImageMime(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('image/svg+xml');
    const matplotlib = '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="460pt">';
    expect(sniffImageMime(Buffer.from(matplotlib))).toBe('image/svg+xml');
    const illustrator = '\uFEFF<?xml version="1.0"?>\n<!-- Generator: Adobe Illustrator -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd" [\n  <!ENTITY ns_flows "http://ns.adobe.com/Flows/1.0/">\n]>\n<svg version="1.1">';
    expect(sniffImageMime(Buffer.from(illustrator))).toBe('image/svg+xml');
  });

  it('refuses everything else, including text that merely mentions <svg>', () => {
    for (const other of ['', 'hello', '{"cells": []}', '<html><svg></svg></html>', 'see <svg> here', 'BM', '\0\0\x01\0\0\0', 'RIFF1234WAVE']) {
      expect(sniffImageMime(Buffer.from(other, 'latin1')), JSON.stringify(other)).toBeUndefined();
    }
  });
});

describe('readImageFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'quire-images-'));
    writeFileSync(join(dir, 'dot.png'), PNG_1PX);
    writeFileSync(join(dir, 'renamed.JPG'), PNG_1PX);
    writeFileSync(join(dir, 'fake.png'), 'print("not an image")\n');
    writeFileSync(join(dir, 'empty.gif'), '');
    writeFileSync(join(dir, 'image.txt'), PNG_1PX);
    mkdirSync(join(dir, 'folder.png'));
    writeFileSync(join(dir, 'huge.png'), PNG_1PX);
    truncateSync(join(dir, 'huge.png'), MAX_IMAGE_BYTES + 1); // sparse: no 20 MB written
    execFileSync('mkfifo', [join(dir, 'pipe.png')]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the bytes with the MIME type of the content', async () => {
    expect(await readImageFile(join(dir, 'dot.png'))).toEqual({ mime: 'image/png', dataBase64: PNG_1PX.toString('base64') });
    // A PNG named .JPG is still shown, as the PNG it is.
    expect((await readImageFile(join(dir, 'renamed.JPG'))).mime).toBe('image/png');
  });

  it('refuses files that are not images, by name or by content, with the reason', async () => {
    for (const [name, message] of [
      ['fake.png', /fake\.png does not contain PNG, JPEG, GIF, WebP, SVG, BMP or ICO data/],
      ['empty.gif', /empty\.gif is empty/],
      ['image.txt', /image\.txt does not have an image file name ending/],
      ['folder.png', /folder\.png is a folder/],
      ['pipe.png', /pipe\.png is not a regular file/],
    ] as const) {
      await expect(readImageFile(join(dir, name)), name).rejects.toMatchObject({ code: ErrorCode.InvalidArgument, details: { reason: 'notAnImage' }, message: expect.stringMatching(message) });
    }
  });

  it('refuses images over the cap before reading them, and says how big they are', async () => {
    await expect(readImageFile(join(dir, 'huge.png'))).rejects.toMatchObject({
      code: ErrorCode.InvalidArgument,
      message: expect.stringMatching(/huge\.png is 20\.0 MB; images over 20 MB are not shown/),
      details: { reason: 'tooLarge', size: MAX_IMAGE_BYTES + 1, limit: MAX_IMAGE_BYTES },
    });
    await expect(readImageFile(join(dir, 'dot.png'), 10)).rejects.toMatchObject({ details: { reason: 'tooLarge' } });
  });

  it('says NOT_FOUND for a missing file or folder', async () => {
    for (const path of [join(dir, 'missing.png'), join(dir, 'nope', 'x.png'), join(dir, 'dot.png', 'x.png')]) {
      await expect(readImageFile(path), path).rejects.toMatchObject({ code: ErrorCode.NotFound, message: `${path} does not exist.` });
    }
  });
});
