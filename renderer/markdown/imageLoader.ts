/**
 * Local images for markdown, read through the host (`files.readImage`) and kept for the window's
 * lifetime, so a figure shown in many cells, or a cell scrolled away and back, is read once.
 */
import type { ImageFileContent, INotebookFileService } from '../../src/host/contract';

/** Resolves an absolute image path to a URL an `<img>` can show; rejects with the host's reason. */
export type ImageLoader = (path: string) => Promise<string>;

/**
 * The URL for an image's bytes. SVG becomes a `data:` URL shown only through `<img>`, where it cannot
 * run scripts or load anything, and whose opaque origin stays harmless even if opened on its own; the
 * other types become blob: URLs (no huge attribute strings).
 */
export function imageUrl(content: ImageFileContent): string {
  if (content.mime === 'image/svg+xml') return `data:image/svg+xml;base64,${content.dataBase64}`;
  const binary = atob(content.dataBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: content.mime }));
}

/**
 * A loader that reads each path once. Failures are not kept: the next render asks again, so an
 * image a cell writes later appears once the markdown is shown anew.
 */
export function createImageLoader(read: (path: string) => Promise<ImageFileContent>): ImageLoader {
  const cache = new Map<string, Promise<string>>();
  return (path) => {
    let url = cache.get(path);
    if (!url) {
      url = read(path).then(imageUrl);
      cache.set(path, url);
      url.catch(() => cache.delete(path));
    }
    return url;
  };
}

const loaders = new WeakMap<Pick<INotebookFileService, 'readImage'>, ImageLoader>();

/** The window's one loader for a host's file service. */
export function imageLoaderFor(files: Pick<INotebookFileService, 'readImage'>): ImageLoader {
  let loader = loaders.get(files);
  if (!loader) {
    loader = createImageLoader((path) => files.readImage(path));
    loaders.set(files, loader);
  }
  return loader;
}
