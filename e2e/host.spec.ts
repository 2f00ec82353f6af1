import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/quireServer';

/** Opens a WebSocket from inside the page; reports whether it opened and what an RPC call returned. */
async function socketFromPage(page: Page, wsUrl: string): Promise<{ opened: boolean; reply?: string }> {
  return page.evaluate((url) => new Promise<{ opened: boolean; reply?: string }>((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send(JSON.stringify({ t: 'req', id: 1, ch: 'files', m: 'getWorkspace', a: [] }));
    ws.onmessage = (e) => {
      resolve({ opened: true, reply: String(e.data) });
      ws.close();
    };
    ws.onclose = () => resolve({ opened: false });
  }), wsUrl);
}

/** A raw upgrade request, so the server's answer is seen even if a browser would refuse first. */
function upgradeStatus(port: number, path: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1', port, path,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...(origin ? { Origin: origin } : {}) },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

test.describe('browser host security', () => {
  test('accepts the page token from its own origin and answers RPC', async ({ page, quire }) => {
    await page.goto(`${quire.origin}/__blank__`);
    const result = await socketFromPage(page, `ws://127.0.0.1:${quire.port}/rpc?token=${quire.token}`);
    expect(result.opened).toBe(true);
    const reply = JSON.parse(result.reply!);
    expect(reply).toMatchObject({ t: 'res', id: 1, r: { root: quire.root, shell: 'browser' } });
    expect(await upgradeStatus(quire.port, `/rpc?token=${quire.token}`, quire.origin)).toBe(101);
  });

  test('refuses a socket without the token or with a wrong one', async ({ page, quire }) => {
    await page.goto(`${quire.origin}/__blank__`);
    expect((await socketFromPage(page, `ws://127.0.0.1:${quire.port}/rpc`)).opened).toBe(false);
    expect((await socketFromPage(page, `ws://127.0.0.1:${quire.port}/rpc?token=${'0'.repeat(64)}`)).opened).toBe(false);
    expect(await upgradeStatus(quire.port, '/rpc', quire.origin)).toBe(403);
    expect(await upgradeStatus(quire.port, `/rpc?token=${quire.token.slice(1)}`, quire.origin)).toBe(403);
  });

  test('refuses a socket with the right token from another origin', async ({ page, quire }) => {
    // A page on another site that somehow learned the token still cannot drive the host.
    await page.route('http://evil.test/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>evil</title>' }));
    await page.goto('http://evil.test/');
    expect((await socketFromPage(page, `ws://127.0.0.1:${quire.port}/rpc?token=${quire.token}`)).opened).toBe(false);
    expect(await upgradeStatus(quire.port, `/rpc?token=${quire.token}`, 'http://evil.test')).toBe(403);
    expect(await upgradeStatus(quire.port, `/rpc?token=${quire.token}`, `http://localhost:${quire.port}`)).toBe(403);
    expect(await upgradeStatus(quire.port, `/rpc?token=${quire.token}`)).toBe(403);
  });

  test('serves nothing outside dist/renderer', async ({ quire }) => {
    for (const path of ['/../kernels/cli.js', '/..%2fkernels%2fcli.js', '/%2e%2e/kernels/cli.js', '/../../package.json', '/%2e%2e/%2e%2e/package.json', '/..\\..\\package.json', '/does-not-exist.js']) {
      const res = await rawGet(quire.port, path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('"name": "quire"');
      expect(res.body, path).not.toContain('registeredCommands');
    }
  });

  test('listens on 127.0.0.1 only', async ({ quire }) => {
    // The kernel's own table of listening sockets for this port: one, on 127.0.0.1.
    const hexPort = quire.port.toString(16).toUpperCase().padStart(4, '0');
    const listening = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1))
      .map((line) => line.trim().split(/\s+/)).filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A').map((f) => f[1]);
    expect(listening).toEqual([`0100007F:${hexPort}`]);
    const external = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal && !a.address.startsWith('fe80')).map((a) => a!.address);
    for (const address of [...external, '::1']) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect(quire.port, address, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(outcome, address).not.toBe('connected');
    }
  });
});

test.describe('browser host lifecycle', () => {
  test('SIGTERM shuts down the kernels the page started', async ({ page, quire }) => {
    // The fixture's teardown sends SIGTERM and fails the test if any kernel process is left.
    await page.goto(`${quire.origin}/__blank__`);
    const started = await page.evaluate((url) => new Promise<{ id?: string; pid?: number; error?: string }>((resolve) => {
      const ws = new WebSocket(url);
      ws.onopen = () => ws.send(JSON.stringify({ t: 'req', id: 1, ch: 'kernels', m: 'startKernel', a: [{ specName: 'python3' }] }));
      ws.onmessage = (e) => {
        const frame = JSON.parse(String(e.data));
        if (frame.id !== 1) return;
        resolve(frame.t === 'res' ? { id: frame.r.id, pid: frame.r.pid } : { error: frame.e.message });
      };
    }), `ws://127.0.0.1:${quire.port}/rpc?token=${quire.token}`);
    expect(started.error, 'python3 kernel should start (install python3-ipykernel)').toBeUndefined();
    expect(started.pid).toBeGreaterThan(0);
    expect(() => process.kill(started.pid!, 0)).not.toThrow();
  });
});
