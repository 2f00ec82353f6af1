/**
 * Links and media URLs from notebook content (markdown, outputs, OSC-8 links in streams, sanitized
 * HTML) are hostile to the app: they must never navigate the app itself, and only a few schemes leave
 * it at all. The sanitizer drops what these rules refuse; the click guard (linkGuard.ts) and the
 * output frame's link message open what they allow in a new browsing context.
 */

/** Schemes a content link may open (outside the app): never javascript:, file:, data:, blob: or app-relative paths. */
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The absolute URL a content link may open, or undefined. Relative links (`other.ipynb`, `//host`) are refused too. */
export function externalLinkUrl(href: string): string | undefined {
  // The URL parser drops tabs and newlines (`java\tscript:`) and leading spaces; check what it sees.
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (!/^\s*[a-z][a-z0-9+.-]*:/i.test(href.replace(/[\t\n\r]/g, ''))) return undefined;
  if (!LINK_PROTOCOLS.has(url.protocol) || url.username || url.password) return undefined;
  return url.href;
}

/** `#section`: a link within the page, which stays in the app (headings have ids). */
export function isInPageAnchor(href: string): boolean {
  return href.startsWith('#');
}

/** An https: URL for media the page loads by itself (`<video src>`, `poster`, `background`…), or undefined. */
export function httpsMediaUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' && !url.username && !url.password ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens a content link outside the app: a new tab in the browser, the OS browser in Electron (main's
 * window-open handler takes http(s) only). No opener, no referrer. Returns whether it was opened.
 */
export function openExternalLink(
  href: string,
  open: (url: string, target: string, features: string) => unknown = (u, t, f) => window.open(u, t, f),
  appOrigin: string | undefined = globalThis.location?.origin,
): boolean {
  const url = externalLinkUrl(href);
  // A link to the app's own origin (the browser host) is not "outside": it would open another app page.
  if (!url || new URL(url).origin === appOrigin) return false;
  open(url, '_blank', 'noopener,noreferrer');
  return true;
}
