import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTPUT_FRAME_CSP, OUTPUT_FRAME_PATH_RE } from '../../src/outputs/outputFrame';
import { serveStatic } from './staticFiles';

let dir: string;
let server: Server;
let port: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quire-frame-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'assets', 'outputFrame-AbC_12-x.html'), '<!doctype html><p>frame</p>');
  server = createServer((req, res) => serveStatic(dir, `http://127.0.0.1:${port}`, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function head(path: string): Promise<Record<string, string | string[] | undefined>> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: String(res.statusCode), ...res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

describe('output frame page', () => {
  it('is served with its own CSP and may be framed by the app only; the app keeps its strict policy', async () => {
    const frame = await head('/assets/outputFrame-AbC_12-x.html');
    expect(frame.status).toBe('200');
    expect(frame['content-security-policy']).toBe(`${OUTPUT_FRAME_CSP}; frame-ancestors 'self'`);
    expect(frame['x-frame-options']).toBeUndefined();
    expect(frame['content-type']).toBe('text/html; charset=utf-8');
    const app = await head('/');
    expect(app['content-security-policy']).toContain("script-src 'self'");
    expect(app['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(app['x-frame-options']).toBe('DENY');
  });

  it('matches only the frame page names', () => {
    expect(OUTPUT_FRAME_PATH_RE.test('/assets/outputFrame-oumDMQSx.html')).toBe(true);
    expect(OUTPUT_FRAME_PATH_RE.test('/renderer/outputs/frame/outputFrame.html')).toBe(true);
    expect(OUTPUT_FRAME_PATH_RE.test('/index.html')).toBe(false);
    expect(OUTPUT_FRAME_PATH_RE.test('/assets/myoutputFrame.html')).toBe(false);
    expect(OUTPUT_FRAME_PATH_RE.test('/assets/outputFrame-x.js')).toBe(false);
  });

  it('declares the same policy in its meta tag as the hosts send', () => {
    const html = readFileSync(new URL('../../renderer/outputs/frame/outputFrame.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(OUTPUT_FRAME_CSP);
  });
});
