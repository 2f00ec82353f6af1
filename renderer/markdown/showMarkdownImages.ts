/**
 * The second half of markdown images, run once the sanitized HTML is in the page: local files are
 * read through the host and shown when they arrive (the markdown never waits for them), and an image
 * that is missing, refused or broken becomes its alt text with a tooltip saying why, instead of a
 * bare broken-image icon.
 */
import type { ImageLoader } from './imageLoader';
import { IMAGE_PATH_ATTR, IMAGE_PROBLEM_ATTR, IMAGE_SRC_ATTR, IMAGE_STATE_ATTR } from './sanitize';

/** Shows the images under `root`; the returned function stops updates (the markdown changed or left). */
export function showMarkdownImages(root: HTMLElement, load: ImageLoader | undefined): () => void {
  let stopped = false;
  const fail = (img: HTMLImageElement, problem: string) => {
    if (!stopped && img.isConnected) replaceWithAltText(img, problem);
  };
  for (const img of root.querySelectorAll<HTMLImageElement>('img')) {
    const problem = img.getAttribute(IMAGE_PROBLEM_ATTR);
    const path = img.getAttribute(IMAGE_PATH_ATTR);
    if (problem) {
      replaceWithAltText(img, problem);
    } else if (path) {
      if (!load) {
        replaceWithAltText(img, 'Images from files cannot be shown here.');
        continue;
      }
      img.setAttribute(IMAGE_STATE_ATTR, 'loading');
      load(path).then(
        (url) => {
          if (stopped || !img.isConnected) return;
          img.addEventListener('error', () => fail(img, `${path} could not be decoded as an image.`), { once: true });
          img.addEventListener('load', () => img.setAttribute(IMAGE_STATE_ATTR, 'shown'), { once: true });
          img.src = url;
        },
        (error: unknown) => fail(img, error instanceof Error ? error.message : String(error)),
      );
    } else if (img.getAttribute('src')) {
      // https: and data: images load by themselves; only a failure needs us.
      const failed = () => fail(img, img.src.startsWith('data:') ? 'The embedded image data is not a valid image.' : 'The image could not be loaded from the web.');
      if (img.complete && img.naturalWidth === 0) failed();
      else img.addEventListener('error', failed, { once: true });
    }
  }
  return () => {
    stopped = true;
  };
}

/** Replaces an image with its alt text (or file name) in a small frame, the reason in its tooltip. */
export function replaceWithAltText(img: HTMLImageElement, problem: string): void {
  const written = img.getAttribute(IMAGE_SRC_ATTR) ?? img.getAttribute('src') ?? '';
  const alt = (img.getAttribute('alt') ?? '').trim();
  const label = alt || written.split(/[\\/]/).pop()?.replace(/[?#].*$/s, '') || 'image';
  const shown = img.ownerDocument.createElement('span');
  shown.className = 'quire-image-missing';
  shown.setAttribute('role', 'img');
  shown.setAttribute('aria-label', `${label} (image not shown)`);
  shown.setAttribute('data-testid', 'markdown-image-missing');
  shown.setAttribute(IMAGE_SRC_ATTR, written);
  shown.title = written.startsWith('data:') ? problem : `${written}: ${problem}`;
  shown.textContent = label;
  img.replaceWith(shown);
}
