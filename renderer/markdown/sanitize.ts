/**
 * HTML and SVG sanitizing with DOMPurify. Markdown and SVG outputs are inserted into the app's own
 * document, so scripts, event handlers and javascript: URLs must go; rich HTML outputs do not come
 * here (they run in the sandboxed output frame instead).
 */
import DOMPurify from 'dompurify';
import type { MultilineString } from '../../src/jupyter/nbformat';
import { resolveImageSource } from './resolveImageSource';

/** Cell attachments as nbformat stores them: name → mime bundle of base64 data. */
export type Attachments = Record<string, Record<string, MultilineString>>;

/** Turns `attachment:name` into a data URL from the cell's attachments, or undefined. */
export function resolveAttachment(url: string, attachments: Attachments | undefined): string | undefined {
  if (!url.startsWith('attachment:') || !attachments) return undefined;
  let name = url.slice('attachment:'.length);
  try {
    name = decodeURIComponent(name);
  } catch {
    // keep it as written
  }
  const bundle = attachments[name];
  if (!bundle) return undefined;
  const mime = Object.keys(bundle).find((m) => m.startsWith('image/'));
  if (!mime) return undefined;
  const raw = bundle[mime];
  const value = (Array.isArray(raw) ? raw.join('') : raw).replace(/\s+/g, '');
  if (mime === 'image/svg+xml' && !/^[A-Za-z0-9+/=]+$/.test(value)) {
    // SVG attachments may be stored as text.
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(Array.isArray(raw) ? raw.join('') : raw)}`;
  }
  return `data:${mime};base64,${value}`;
}

/**
 * What the sanitizer leaves on an `<img>` whose file the page cannot load itself: the absolute path
 * to read through the host, or why it is not shown, and the `src` as written (for the tooltip).
 * `showMarkdownImages` acts on them once the HTML is in the page. Only the sanitizer sets them:
 * the same attributes written in the markdown are dropped.
 */
export const IMAGE_PATH_ATTR = 'data-quire-image-path';
export const IMAGE_PROBLEM_ATTR = 'data-quire-image-problem';
export const IMAGE_SRC_ATTR = 'data-quire-image-src';
/** Set by showMarkdownImages on images it reads: `loading`, then `shown`. */
export const IMAGE_STATE_ATTR = 'data-quire-image-state';

// srcset is kept only when every candidate is an https: image (relative ones would hit the app's origin).
const HTTPS_SRCSET = /^\s*https:\/\/[^\s,]+(?:\s+[\d.]+[wx])?(?:\s*,\s*https:\/\/[^\s,]+(?:\s+[\d.]+[wx])?)*\s*$/i;

// A dedicated instance so our hooks never affect another DOMPurify user.
let purifier: ReturnType<typeof DOMPurify> | undefined;
let currentAttachments: Attachments | undefined;
let currentImageFolder: string | undefined;
/** Images of the current sanitize call that get marks instead of a `src`. */
const imageMarks = new Map<Element, { path?: string; problem?: string; src: string }>();

function getPurifier(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  purifier = DOMPurify(window);
  purifier.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName.startsWith('data-quire-image-')) {
      data.keepAttr = false;
      return;
    }
    if (data.attrName === 'srcset' && node.nodeName === 'IMG' && !HTTPS_SRCSET.test(data.attrValue)) {
      data.keepAttr = false;
      return;
    }
    if (data.attrName !== 'src') return;
    // Runs before DOMPurify's URL check, so the resolved data: URL is what gets checked.
    if (data.attrValue.startsWith('attachment:')) {
      const written = data.attrValue;
      const resolved = resolveAttachment(written, currentAttachments);
      data.attrValue = resolved ?? '';
      if (!resolved && node.nodeName === 'IMG') {
        imageMarks.set(node, { src: written, problem: 'This cell has no image attachment by that name.' });
        data.keepAttr = false;
      }
      return;
    }
    if (node.nodeName !== 'IMG') return;
    const source = resolveImageSource(data.attrValue, currentImageFolder);
    if (source.kind === 'remote') data.attrValue = source.url;
    if (source.kind === 'local' || source.kind === 'refused') {
      // No src: the page must not ask its own origin for the file (or load a refused URL).
      imageMarks.set(node, { src: data.attrValue, ...(source.kind === 'local' ? { path: source.path } : { problem: source.reason }) });
      data.keepAttr = false;
    }
  });
  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'IMG') {
      const mark = imageMarks.get(node);
      if (mark) {
        node.setAttribute(IMAGE_SRC_ATTR, mark.src);
        if (mark.path) node.setAttribute(IMAGE_PATH_ATTR, mark.path);
        if (mark.problem) node.setAttribute(IMAGE_PROBLEM_ATTR, mark.problem);
      }
      // Remote images do not tell the image's server which notebook showed them.
      node.setAttribute('referrerpolicy', 'no-referrer');
    }
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      const href = node.getAttribute('href') ?? '';
      if (!href.startsWith('#')) {
        // External links leave the app: new browsing context, no opener, no referrer.
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    }
  });
  return purifier;
}

export interface SanitizeOptions {
  /** Resolves `attachment:` image URLs. */
  attachments?: Attachments;
  /** The notebook's folder: relative image paths are taken from it (none: they are refused). */
  imageFolder?: string;
}

/** Sanitizes HTML for insertion into the app document (keeps MathML and inline SVG, drops scripts and handlers). */
export function sanitizeHtml(html: string, options: SanitizeOptions = {}): string {
  const p = getPurifier();
  currentAttachments = options.attachments;
  currentImageFolder = options.imageFolder;
  try {
    return p.sanitize(html, {
      USE_PROFILES: { html: true, svg: true, svgFilters: true, mathMl: true },
      ADD_ATTR: ['target'],
      FORBID_TAGS: ['style', 'form'],
    }) as string;
  } finally {
    currentAttachments = undefined;
    currentImageFolder = undefined;
    imageMarks.clear();
  }
}

/** Sanitizes an SVG document (SVG profile only: no foreignObject HTML, no scripts, no handlers). */
export function sanitizeSvg(svg: string): string {
  return getPurifier().sanitize(svg, { USE_PROFILES: { svg: true, svgFilters: true } }) as string;
}
