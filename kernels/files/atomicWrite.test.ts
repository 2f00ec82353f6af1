import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, type QuireError } from '../../src/errors';
import { atomicWriteFile } from './atomicWrite';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-atomic-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('atomicWriteFile', () => {
  it('a failed read-back check leaves the original and no temp file', async () => {
    const path = join(dir, 'a.txt');
    writeFileSync(path, 'original');
    let error: QuireError | undefined;
    await atomicWriteFile(path, 'new text', {
      verify: (text) => {
        expect(text).toBe('new text');
        throw new Error('does not parse');
      },
    }).catch((e: QuireError) => (error = e));
    expect(error?.code).toBe(ErrorCode.WriteFailed);
    expect(error?.message).toContain('does not parse');
    expect(readFileSync(path, 'utf8')).toBe('original');
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });

  it('concurrent writes each land whole (one wins), with the requested mode', async () => {
    const path = join(dir, 'b.txt');
    const texts = Array.from({ length: 20 }, (_, i) => `${i}`.repeat(10_000));
    await Promise.all(texts.map((t) => atomicWriteFile(path, t, { mode: 0o600 })));
    expect(texts).toContain(readFileSync(path, 'utf8'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.includes('quire-tmp'))).toEqual([]);
  });
});
