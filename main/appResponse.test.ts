import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appResponse } from './appResponse';

let dir: string;
let renderer: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-appres-'));
  renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Quire</title>');
  writeFileSync(join(renderer, 'assets', 'main.js'), 'export {}');
  writeFileSync(join(renderer, 'assets', 'outputFrame-Ab12.html'), '<!doctype html><title>frame</title>');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  symlinkSync(join(dir, 'secret.txt'), join(renderer, 'link.txt'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quire://app responses', () => {
  it('serves the renderer with its content type and CSP', async () => {
    const index = await appResponse(renderer, 'quire://app/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('content-security-policy')).toContain("img-src 'self' data: blob: https:;");
    expect(await index.text()).toContain('<title>Quire</title>');
    expect((await appResponse(renderer, 'quire://app/assets/main.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('gives the outputs sandbox page its own policy, frameable by the app only', async () => {
    const frame = await appResponse(renderer, 'quire://app/assets/outputFrame-Ab12.html');
    expect(frame.status).toBe(200);
    const csp = frame.headers.get('content-security-policy')!;
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(frame.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('refuses other hosts, traversal and links out', async () => {
    for (const url of ['quire://other/index.html', 'quire://app/../secret.txt', 'quire://app/%2e%2e/secret.txt', 'quire://app/..%2fsecret.txt', 'quire://app/link.txt', 'quire://app/nope.js', 'not a url']) {
      const res = await appResponse(renderer, url);
      expect(res.status, url).toBe(404);
    }
  });
});
