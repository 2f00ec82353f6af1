/**
 * HTML and SVG sanitizing with DOMPurify. Markdown and SVG outputs are inserted into the app's own
 * document, so scripts, event handlers and javascript: URLs must go; rich HTML outputs do not come
 * here (they run in the sandboxed output frame instead).
 */
import DOMPurify from 'dompurify';
import type { MultilineString } from '../../src/jupyter/nbformat';

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

// A dedicated instance so our hooks never affect another DOMPurify user.
let purifier: ReturnType<typeof DOMPurify> | undefined;
let currentAttachments: Attachments | undefined;

function getPurifier(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  purifier = DOMPurify(window);
  purifier.addHook('uponSanitizeAttribute', (node, data) => {
    // Runs before DOMPurify's URL check, so the resolved data: URL is what gets checked.
    if (data.attrName === 'src' && data.attrValue.startsWith('attachment:')) {
      data.attrValue = resolveAttachment(data.attrValue, currentAttachments) ?? '';
    }
  });
  purifier.addHook('afterSanitizeAttributes', (node) => {
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
}

/** Sanitizes HTML for insertion into the app document (keeps MathML and inline SVG, drops scripts and handlers). */
export function sanitizeHtml(html: string, options: SanitizeOptions = {}): string {
  const p = getPurifier();
  currentAttachments = options.attachments;
  try {
    return p.sanitize(html, {
      USE_PROFILES: { html: true, svg: true, svgFilters: true, mathMl: true },
      ADD_ATTR: ['target'],
      FORBID_TAGS: ['style', 'form'],
    }) as string;
  } finally {
    currentAttachments = undefined;
  }
}

/** Sanitizes an SVG document (SVG profile only: no foreignObject HTML, no scripts, no handlers). */
export function sanitizeSvg(svg: string): string {
  return getPurifier().sanitize(svg, { USE_PROFILES: { svg: true, svgFilters: true } }) as string;
}
