import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './staticFiles';

/** A policy as directive → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name, sources]));
}

const header = directives(contentSecurityPolicy('http://127.0.0.1:4321'));
const html = readFileSync(new URL('../../assets/index.html', import.meta.url), 'utf8');
const meta = directives(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '');

describe("the app page's Content-Security-Policy", () => {
  it('allows https: for images only (markdown images), everything else stays on the app origin', () => {
    for (const policy of [header, meta]) {
      expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'https:']);
      expect(policy.get('script-src')).toEqual(["'self'"]);
      expect(policy.get('default-src')).toEqual(["'self'"]);
      expect(policy.get('object-src')).toEqual(["'none'"]);
      for (const [name, sources] of policy) {
        if (name === 'img-src') continue;
        expect(sources.filter((s) => s === 'https:' || s === 'http:' || s === '*' || s.startsWith('https://')), name).toEqual([]);
      }
    }
  });

  it('is the same in the HTML meta tag as in the header the hosts send, directive by directive', () => {
    expect(meta.size).toBeGreaterThan(5);
    for (const [name, sources] of meta) {
      // The meta tag cannot know the port, so it allows loopback sockets on any port.
      if (name === 'connect-src') continue;
      expect(header.get(name), name).toEqual(sources);
    }
  });
});
