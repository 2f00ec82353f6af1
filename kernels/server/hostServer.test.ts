import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connectHostClient } from '../../src/host/channels';
import { createHost, type QuireHost } from '../host/createHost';
import { HostServer, tokensMatch, webSocketProtocol } from './hostServer';

let dir: string;
let host: QuireHost;
let server: HostServer;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quire-server-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  mkdirSync(join(dir, 'workspace'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Quire</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'top secret');
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'renderer', 'link.txt'));
  host = createHost({ root: join(dir, 'workspace'), shell: 'browser', configDir: join(dir, 'config') });
  server = await HostServer.start({ host, staticDir: join(dir, 'renderer') });
});

afterEach(async () => {
  await server.close();
  await host.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw GET that does not normalize the path (fetch would collapse `..`). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves 'open' or the HTTP status of the refused upgrade. */
function tryConnect(url: string, origin?: string, cookie?: string): Promise<{ ws?: WebSocket; status: number | 'open' }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ...(origin ? { origin } : {}), ...(cookie ? { headers: { Cookie: cookie } } : {}) });
    ws.once('open', () => resolve({ ws, status: 'open' }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', (e) => {
      if (ws.readyState !== ws.CLOSED) reject(e);
    });
  });
}

describe('HostServer WebSocket', () => {
  it('accepts the right token from its own origin and serves the host over RPC', async () => {
    const { ws, status } = await tryConnect(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, server.origin);
    expect(status).toBe('open');
    const transport = webSocketProtocol(ws!);
    const { host: remote, client } = connectHostClient(transport.protocol, { native: false });
    const workspace = await remote.files.getWorkspace();
    expect(workspace.root).toBe(join(dir, 'workspace'));
    expect(workspace.shell).toBe('browser');
    // The browser host keeps paths inside the workspace even for a connected page.
    await expect(remote.files.readNotebook(join(dir, 'secret.txt'))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    client.dispose();
    transport.dispose();
    ws!.close();
  });

  it('refuses a socket without a token, with a wrong token, or with a token one character short', async () => {
    const base = `ws://127.0.0.1:${server.port}/rpc`;
    expect((await tryConnect(base, server.origin)).status).toBe(403);
    expect((await tryConnect(`${base}?token=${'0'.repeat(64)}`, server.origin)).status).toBe(403);
    expect((await tryConnect(`${base}?token=${server.token.slice(0, -1)}`, server.origin)).status).toBe(403);
    expect(server.connectionCount).toBe(0);
  });

  it('refuses the right token from another origin or without an Origin header', async () => {
    const url = `ws://127.0.0.1:${server.port}/rpc?token=${server.token}`;
    expect((await tryConnect(url, 'http://evil.example')).status).toBe(403);
    expect((await tryConnect(url, `http://localhost:${server.port}`)).status).toBe(403);
    expect((await tryConnect(url, `http://127.0.0.1:${server.port + 1}`)).status).toBe(403);
    expect((await tryConnect(url)).status).toBe(403);
  });

  it('refuses sockets on other paths', async () => {
    expect((await tryConnect(`ws://127.0.0.1:${server.port}/other?token=${server.token}`, server.origin)).status).toBe(404);
  });

  it('generates a 64-hex-digit token and compares tokens exactly', () => {
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abd')).toBe(false);
    expect(tokensMatch('abc', 'abcd')).toBe(false);
    expect(tokensMatch('abc', null)).toBe(false);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
  });
});

describe('HostServer launch codes (the token never on a command line)', () => {
  const launchPath = (url: string) => url.slice(server.origin.length);

  it('swaps a one-time code for an HttpOnly SameSite=Strict cookie that opens the socket', async () => {
    const launchUrl = server.createLaunchUrl();
    expect(launchUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/launch\\?code=[0-9a-f]{64}$`));
    expect(launchUrl).not.toContain(server.token);
    const res = await get(launchPath(launchUrl));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(res.headers['cache-control']).toBe('no-store');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^quire-session-${server.port}=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict$`));
    expect(setCookie).not.toContain(server.token);
    const cookie = setCookie.split(';')[0];
    const base = `ws://127.0.0.1:${server.port}/rpc`;
    const { ws, status } = await tryConnect(base, server.origin, `other=1; ${cookie}`);
    expect(status).toBe('open');
    ws!.close();
    // The cookie still needs our Origin, and a wrong token is not rescued by it.
    expect((await tryConnect(base, 'http://evil.example', cookie)).status).toBe(403);
    expect((await tryConnect(`${base}?token=${'0'.repeat(64)}`, server.origin, cookie)).status).toBe(403);
  });

  it('accepts each code once, and refuses made-up codes and forged cookies', async () => {
    const launchUrl = server.createLaunchUrl();
    expect((await get(launchPath(launchUrl))).status).toBe(303);
    const again = await get(launchPath(launchUrl));
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await get('/launch?code=' + '0'.repeat(64))).status).toBe(403);
    expect((await get('/launch')).status).toBe(403);
    expect((await get(launchPath(server.createLaunchUrl()), { Host: `evil.example:${server.port}` })).status).toBe(403);
    const base = `ws://127.0.0.1:${server.port}/rpc`;
    expect((await tryConnect(base, server.origin, `quire-session-${server.port}=${'0'.repeat(64)}`)).status).toBe(403);
    expect((await tryConnect(base, server.origin, `quire-session-${server.port}=${server.token}`)).status).toBe(403);
    expect((await tryConnect(base, server.origin, 'quire-session-1=x')).status).toBe(403);
  });
});

describe('HostServer HTTP', () => {
  it('serves index.html at / with the CSP and the right content types', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>Quire</title>');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("img-src 'self' data: blob: https:;");
    expect(csp).toContain(`ws://127.0.0.1:${server.port}`);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    const js = await get('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/link.txt', '/%00index.html']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('top secret');
    }
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/assets')).status).toBe(404);
  });

  it('refuses other methods and foreign Host headers (DNS rebinding); sends localhost to 127.0.0.1', async () => {
    expect((await get('/', {}, 'POST')).status).toBe(405);
    expect((await get('/', { Host: `evil.example:${server.port}` })).status).toBe(403);
    const moved = await get('/?token=abc', { Host: `localhost:${server.port}` });
    expect(moved.status).toBe(308);
    expect(moved.headers.location).toBe(`http://127.0.0.1:${server.port}/?token=abc`);
  });

  it('binds to 127.0.0.1 only', async () => {
    const addresses = Object.values(networkInterfaces()).flat()
      .filter((a) => a && !a.internal && !a.address.startsWith('fe80')).map((a) => a!.address);
    addresses.push('::1'); // loopback, but not the address we bound
    for (const address of addresses) {
      await expect(new Promise((resolve, reject) => {
        const socket = connect(server.port, address, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', reject);
      }), address).rejects.toMatchObject({ code: expect.stringMatching(/^E[A-Z]+/) }); // refused (or no route), never connected
    }
    await expect(new Promise((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', reject);
    })).resolves.toBe('connected');
  });
});
