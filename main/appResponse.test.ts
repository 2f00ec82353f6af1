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
    expect(await index.text()).toContain('<title>Quire</title>');
    expect((await appResponse(renderer, 'quire://app/assets/main.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses other hosts, traversal and links out', async () => {
    for (const url of ['quire://other/index.html', 'quire://app/../secret.txt', 'quire://app/%2e%2e/secret.txt', 'quire://app/..%2fsecret.txt', 'quire://app/link.txt', 'quire://app/nope.js', 'not a url']) {
      const res = await appResponse(renderer, url);
      expect(res.status, url).toBe(404);
    }
  });
});
