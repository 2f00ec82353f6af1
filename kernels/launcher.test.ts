import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionFileName, writeConnectionFile } from './connectionFiles';
import { allocatePorts, kernelCommand, kernelEnv, LineRing, newConnectionInfo, waitForPort } from './launcher';
import type { KernelSpec } from './kernelspecs';

const dir = mkdtempSync(join(tmpdir(), 'quire-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec: KernelSpec = {
  name: 'k', displayName: 'K', language: 'python', argv: ['python', '-f', '{connection_file}', '--res={resource_dir}/x'],
  env: { GREETING: 'hi ${USER_FOR_TEST} and ${NOT_SET_ANYWHERE}', PATH_EXTRA: '/opt' }, interruptMode: 'signal', metadata: {},
  resourceDir: '/specs/k', source: 'user', status: 'ok', executable: '/usr/bin/python3',
};

describe('launcher pieces', () => {
  it('substitutes {connection_file} and {resource_dir} and uses the resolved interpreter', () => {
    expect(kernelCommand(spec, '/run/kernel-1.json')).toEqual(['/usr/bin/python3', '-f', '/run/kernel-1.json', '--res=/specs/k/x']);
  });

  it('merges the spec env over ours, expanding ${VAR} from ours, and tells the kernel our pid', () => {
    process.env.USER_FOR_TEST = 'ada';
    try {
      const env = kernelEnv(spec, { EXTRA: '1' });
      expect(env.GREETING).toBe('hi ada and ${NOT_SET_ANYWHERE}');
      expect(env.PATH).toBe(process.env.PATH);
      expect(env.JPY_PARENT_PID).toBe(String(process.pid));
      expect(env.EXTRA).toBe('1');
    } finally {
      delete process.env.USER_FOR_TEST;
    }
  });

  it('allocates distinct ports and writes a 0600 connection file with a 32-byte hex key', async () => {
    expect(new Set(await allocatePorts(5)).size).toBe(5);
    const info = await newConnectionInfo('k');
    expect(info.key).toMatch(/^[0-9a-f]{64}$/);
    expect(info).toMatchObject({ transport: 'tcp', ip: '127.0.0.1', signature_scheme: 'hmac-sha256', kernel_name: 'k' });
    const file = await writeConnectionFile(info, dir, 'abc');
    expect(file).toBe(join(dir, connectionFileName('abc')));
    expect(file).toMatch(new RegExp(`/kernel-quire-[0-9a-f]{8}-${process.pid}-abc\\.json$`));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(info);
  });

  it('keeps the last lines of a stream, across chunk boundaries', () => {
    const ring = new LineRing(3);
    ring.write('one\ntw');
    ring.write('o\nthree\r\nfour\nfi');
    expect(ring.lines()).toEqual(['two', 'three', 'four', 'fi']);
  });

  it('waitForPort resolves once something listens, and honours timeout and abort', async () => {
    const [port] = await allocatePorts(1);
    const server = createServer();
    const waiting = waitForPort('127.0.0.1', port, { intervalMs: 5 });
    setTimeout(() => server.listen(port, '127.0.0.1'), 50);
    await waiting;
    server.close();
    const [closed] = await allocatePorts(1);
    await expect(waitForPort('127.0.0.1', closed, { timeoutMs: 60 })).rejects.toMatchObject({ code: 'KERNEL_START_TIMEOUT' });
    await expect(waitForPort('127.0.0.1', closed, { signal: AbortSignal.timeout(30) })).rejects.toBeDefined();
  });
});
