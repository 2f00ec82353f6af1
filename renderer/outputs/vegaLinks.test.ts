import { describe, expect, it } from 'vitest';
import { loader } from 'vega';
import { guardVegaLinks } from './vegaLinks';

describe('guardVegaLinks', () => {
  it("opens a mark's http(s)/mailto href in a new context and refuses what vega alone would let through", async () => {
    const guarded = guardVegaLinks(loader());
    await expect(guarded.sanitize('https://example.org/a', { context: 'href' })).resolves.toEqual({ href: 'https://example.org/a', target: '_blank', rel: 'noopener noreferrer' });
    for (const bad of ['file:///etc/passwd', 'data:text/html,x', 'javascript:alert(1)', 'other.ipynb', '//evil.example/']) {
      // vega's own sanitize accepts these (the first two and relative ones) for links.
      await expect(guarded.sanitize(bad, { context: 'href' }), bad).rejects.toThrow(/only http:, https: and mailto:/);
    }
    await expect(loader().sanitize('file:///etc/passwd', { context: 'href' })).resolves.toMatchObject({ href: '/etc/passwd' });
    // Data loads keep vega's own rules.
    await expect(guarded.sanitize('data/cars.json', { context: 'dataflow', response: 'json' })).resolves.toMatchObject({ href: 'data/cars.json' });
  });
});
