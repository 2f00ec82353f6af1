import { externalLinkUrl } from '../markdown/linkRules';

/** What we use of a vega loader. */
export interface SanitizingLoader {
  sanitize(uri: string, options?: { context?: string }): Promise<object>;
}

/**
 * Vega opens a mark's `href` by dispatching a click on a detached `<a>` built from its loader's
 * `sanitize` answer. Detached, that click is out of the link guard's reach and would navigate the
 * app (vega's own check lets file: and data: through). So hrefs follow the content link rules
 * (linkRules.ts) and get a new browsing context without opener or referrer; data and image loads
 * keep vega's handling (the CSP limits them).
 */
export function guardVegaLinks<L extends SanitizingLoader>(loader: L): L {
  const sanitize = loader.sanitize.bind(loader);
  loader.sanitize = async (uri: string, options?: { context?: string }) => {
    if (options?.context !== 'href') return sanitize(uri, options);
    const href = typeof uri === 'string' ? externalLinkUrl(uri) : undefined;
    if (!href) throw new Error('Quire opens only http:, https: and mailto: links from notebooks.');
    return { href, target: '_blank', rel: 'noopener noreferrer' };
  };
  return loader;
}
