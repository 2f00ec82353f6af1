import { isInPageAnchor, openExternalLink } from './linkRules';

/** Where notebook content is inserted into the app document. */
export const CONTENT_SELECTOR = '.quire-markdown, .quire-output-area, .quire-output-svg, .quire-output-latex';
const XLINK = 'http://www.w3.org/1999/xlink';

function linkHref(link: Element): string | null {
  return link.getAttribute('href') ?? link.getAttributeNS(XLINK, 'href');
}

/**
 * A click (or middle click) on a link inside notebook content never navigates the app: unless it is
 * an in-page `#anchor`, the default action is cancelled and an allowed link (linkRules.ts) opens in a
 * new browsing context. This holds whatever the sanitizer let through (an OSC-8 link in a stream, an
 * SVG `<a>`, a future renderer). Capture phase on the document, so content cannot stop it first.
 */
export function installLinkGuard(doc: Document = document, open: (href: string) => void = (href) => void openExternalLink(href)): () => void {
  const onClick = (event: MouseEvent): void => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const link = target.closest('a, area');
    if (!link || !link.closest(CONTENT_SELECTOR)) return;
    const href = linkHref(link);
    if (href === null || isInPageAnchor(href)) return;
    event.preventDefault();
    if (event.type === 'click' || event.button === 1) open(href);
  };
  doc.addEventListener('click', onClick, true);
  doc.addEventListener('auxclick', onClick, true);
  return () => {
    doc.removeEventListener('click', onClick, true);
    doc.removeEventListener('auxclick', onClick, true);
  };
}
