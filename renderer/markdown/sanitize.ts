/**
 * HTML and SVG sanitizing with DOMPurify. Markdown and SVG outputs are inserted into the app's own
 * document, so scripts, event handlers and javascript: URLs must go; rich HTML outputs do not come
 * here (they run in the sandboxed output frame instead).
 */
import DOMPurify from 'dompurify';
import type { MultilineString } from '../../src/jupyter/nbformat';
import { externalLinkUrl, httpsMediaUrl, isInPageAnchor } from './linkRules';
import { resolveImageSource } from './resolveImageSource';
import { sanitizeClassList, sanitizeStyle } from './sanitizeStyle';

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
/** Links of the current sanitize call whose href was refused (they keep their text and say why). */
const refusedLinks = new Set<Element>();

// SVG images may embed bitmaps as data: URLs (matplotlib does); nothing else is loaded by an SVG.
const SVG_DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$/i;
const LINK_ELEMENTS = new Set(['a', 'area']);
const SVG_IMAGE_ELEMENTS = new Set(['image', 'feimage']);

/**
 * URL attributes other than `<img src>` and link hrefs (linkRules.ts): media loads only from https:
 * (`<video src/poster>`, `<audio>`, `<source>`, `<track>`, `<input type=image>`, `background`, every
 * `srcset`); SVG references stay inside the document (`#id`) or are data: bitmaps. Returns the value
 * to keep, or undefined to drop the attribute.
 */
function mediaAttribute(element: string, attr: string, value: string): string | undefined {
  if (attr === 'srcset') return HTTPS_SRCSET.test(value) ? value : undefined;
  if (attr === 'src' || attr === 'poster' || attr === 'background') return value.startsWith('data:image/') && attr === 'src' ? value : httpsMediaUrl(value);
  if (attr === 'href' || attr === 'xlink:href') {
    if (SVG_IMAGE_ELEMENTS.has(element)) return SVG_DATA_IMAGE.test(value) ? value : httpsMediaUrl(value);
    return value.startsWith('#') ? value : undefined;
  }
  return value;
}

function getPurifier(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  purifier = DOMPurify(window);
  purifier.addHook('uponSanitizeAttribute', (node, data) => {
    const attr = data.attrName;
    const element = node.nodeName.toLowerCase();
    if (attr.startsWith('data-quire-image-')) {
      data.keepAttr = false;
      return;
    }
    if (attr === 'style') {
      data.attrValue = sanitizeStyle(data.attrValue);
      if (!data.attrValue) data.keepAttr = false;
      return;
    }
    if (attr === 'class') {
      data.attrValue = sanitizeClassList(data.attrValue);
      return;
    }
    if ((attr === 'href' || attr === 'xlink:href') && LINK_ELEMENTS.has(element)) {
      const href = data.attrValue.trim();
      if (isInPageAnchor(href) || externalLinkUrl(href) !== undefined) data.attrValue = href;
      else {
        refusedLinks.add(node);
        data.keepAttr = false;
      }
      return;
    }
    if (attr === 'src' && data.attrValue.startsWith('attachment:')) {
      // Runs before DOMPurify's URL check, so the resolved data: URL is what gets checked.
      const written = data.attrValue;
      const resolved = resolveAttachment(written, currentAttachments);
      data.attrValue = resolved ?? '';
      if (!resolved) {
        if (element === 'img') imageMarks.set(node, { src: written, problem: 'This cell has no image attachment by that name.' });
        data.keepAttr = false;
      }
      return;
    }
    if (attr === 'src' && element === 'img') {
      const source = resolveImageSource(data.attrValue, currentImageFolder);
      if (source.kind === 'remote') data.attrValue = source.url;
      if (source.kind === 'local' || source.kind === 'refused') {
        // No src: the page must not ask its own origin for the file (or load a refused URL).
        imageMarks.set(node, { src: data.attrValue, ...(source.kind === 'local' ? { path: source.path } : { problem: source.reason }) });
        data.keepAttr = false;
      }
      return;
    }
    if (['src', 'srcset', 'poster', 'background', 'href', 'xlink:href'].includes(attr)) {
      const kept = mediaAttribute(element, attr, data.attrValue.trim());
      if (kept === undefined) data.keepAttr = false;
      else data.attrValue = kept;
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
    if (refusedLinks.has(node)) node.setAttribute('title', 'Link not opened: Quire opens only http:, https: and mailto: links from notebooks.');
    if (LINK_ELEMENTS.has(node.nodeName.toLowerCase())) {
      const href = node.getAttribute('href') ?? node.getAttribute('xlink:href');
      if (href === null || isInPageAnchor(href)) node.removeAttribute('target');
      else {
        // External links leave the app: new browsing context, no opener, no referrer (linkGuard.ts enforces it).
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
      FORBID_TAGS: FORBIDDEN_TAGS,
      FORBID_ATTR: FORBIDDEN_ATTRS,
    }) as string;
  } finally {
    currentAttachments = undefined;
    currentImageFolder = undefined;
    imageMarks.clear();
    refusedLinks.clear();
  }
}

// `<style>` (in HTML or inside an SVG) would restyle the whole app; forms post away; `ping` and
// `formaction` send requests on a click.
const FORBIDDEN_TAGS = ['style', 'form', 'link', 'base', 'meta'];
const FORBIDDEN_ATTRS = ['ping', 'formaction', 'action'];

/** Sanitizes an SVG document (SVG profile only: no foreignObject HTML, no scripts, no handlers, no `<style>`). */
export function sanitizeSvg(svg: string): string {
  try {
    return getPurifier().sanitize(svg, { USE_PROFILES: { svg: true, svgFilters: true }, ADD_ATTR: ['target'], FORBID_TAGS: FORBIDDEN_TAGS, FORBID_ATTR: FORBIDDEN_ATTRS }) as string;
  } finally {
    refusedLinks.clear();
  }
}
