/**
 * The run engine reaches kernels only through the provider port (src/kernels/kernelProvider.ts):
 * nothing in kernels/run imports the local provider's processes, sockets or kernelspec lookup,
 * so a remote provider needs no change here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const LOCAL_ONLY = ['kernelManager', 'kernelSession', 'launcher', 'kernelspecs', 'zmqChannels', 'connectionFiles', 'kernelHandshake', 'localKernelProvider', 'wire'];

describe('kernels/run', () => {
  it('imports nothing of the local kernel provider', () => {
    const folder = join(__dirname);
    const files = readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offending: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(folder, file), 'utf8');
      for (const match of text.matchAll(/(?:from|import\()\s*'([^']+)'/g)) {
        const target = match[1];
        if (target.startsWith('../') && !target.startsWith('../../') && LOCAL_ONLY.includes(target.slice(3))) offending.push(`${file} → ${target}`);
        if (target === 'zeromq') offending.push(`${file} → zeromq`);
      }
    }
    expect(offending).toEqual([]);
  });
});
