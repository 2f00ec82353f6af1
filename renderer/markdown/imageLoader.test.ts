// @vitest-environment node
// Node's Blob and URL.createObjectURL are the real ones (jsdom has no createObjectURL).
import { describe, expect, it, vi } from 'vitest';
import type { ImageFileContent } from '../../src/host/contract';
import { createImageLoader, imageLoaderFor, imageUrl } from './imageLoader';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

async function blobBytes(url: string): Promise<Buffer> {
  const { resolveObjectURL } = await import('node:buffer');
  return Buffer.from(await resolveObjectURL(url)!.arrayBuffer());
}

describe('imageUrl', () => {
  it('makes a blob: URL with the bytes for raster images', async () => {
    const url = imageUrl({ mime: 'image/png', dataBase64: PNG_1PX });
    expect(url).toMatch(/^blob:/);
    expect((await blobBytes(url)).equals(Buffer.from(PNG_1PX, 'base64'))).toBe(true);
  });

  it('keeps SVG as a data: URL (shown only through <img>, where it cannot run scripts)', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64');
    expect(imageUrl({ mime: 'image/svg+xml', dataBase64: svg })).toBe(`data:image/svg+xml;base64,${svg}`);
  });
});

describe('createImageLoader', () => {
  it('reads each path once and shares the result', async () => {
    const read = vi.fn(async (): Promise<ImageFileContent> => ({ mime: 'image/png', dataBase64: PNG_1PX }));
    const load = createImageLoader(read);
    const [a, b] = await Promise.all([load('/w/a.png'), load('/w/a.png')]);
    expect(a).toBe(b);
    expect(await load('/w/a.png')).toBe(a);
    await load('/w/b.png');
    expect(read.mock.calls).toEqual([['/w/a.png'], ['/w/b.png']]);
  });

  it('does not keep failures: the next request reads again', async () => {
    let exists = false;
    const read = vi.fn(async (path: string): Promise<ImageFileContent> => {
      if (!exists) throw new Error(`${path} does not exist.`);
      return { mime: 'image/png', dataBase64: PNG_1PX };
    });
    const load = createImageLoader(read);
    await expect(load('/w/later.png')).rejects.toThrow('/w/later.png does not exist.');
    exists = true;
    await expect(load('/w/later.png')).resolves.toMatch(/^blob:/);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('keeps one loader per file service for the window', () => {
    const files = { readImage: async () => ({ mime: 'image/png', dataBase64: PNG_1PX }) };
    expect(imageLoaderFor(files)).toBe(imageLoaderFor(files));
    expect(imageLoaderFor({ ...files })).not.toBe(imageLoaderFor(files));
  });
});
