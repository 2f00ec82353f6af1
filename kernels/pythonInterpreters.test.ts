/**
 * Real interpreters on a PATH the test builds: Debian's /usr/bin/python3 (has ipykernel, the test
 * packages install it) under two names in two folders, a venv made from it without system
 * site-packages (a real interpreter without ipykernel, which links to the same binary), one that
 * never answers, and files that only look like Python.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPythonInterpreters } from './pythonInterpreters';

const root = mkdtempSync(join(tmpdir(), 'quire-pythons-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const bin = join(root, 'bin');
const bin2 = join(root, 'bin2');
const venv = join(root, 'env');
mkdirSync(bin);
mkdirSync(bin2);
symlinkSync('/usr/bin/python3', join(bin, 'python3'));
symlinkSync('/usr/bin/python3', join(bin2, 'python3')); // the same interpreter again, later on PATH
symlinkSync('/usr/bin/python3', join(bin, 'python')); // and by another name
writeFileSync(join(bin, 'python3.97'), '#!/bin/sh\nexec /bin/sleep 600\n'); // never answers
chmodSync(join(bin, 'python3.97'), 0o755);
writeFileSync(join(bin, 'python3.98'), 'not executable');
writeFileSync(join(bin, 'python3.96'), '#!/bin/sh\necho "Python 2.7"; exit 1\n'); // runs, but is no Python 3
chmodSync(join(bin, 'python3.96'), 0o755);
execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', venv]);

const debianPython = realpathSync('/usr/bin/python3');
const context = { debian: true, isRoot: false, systemPython3: debianPython };

describe('findPythonInterpreters', () => {
  it('lists each distinct interpreter on PATH once, in PATH order, with whether it has ipykernel and what to type', async () => {
    const PATH = [bin, join(venv, 'bin'), bin2, join(root, 'missing')].join(':');
    const found = await findPythonInterpreters({ env: { PATH }, timeoutMs: 2_000, context });
    const version = execFileSync('/usr/bin/python3', ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' }).trim();
    expect(found).toEqual([
      {
        path: join(bin, 'python3'), realPath: debianPython, version, hasIpykernel: true, inVenv: false,
        installCommands: [`${join(bin, 'python3')} -m ipykernel install --user`],
      },
      {
        path: join(venv, 'bin', 'python3'), realPath: debianPython, version, hasIpykernel: false, inVenv: true,
        installCommands: [`${join(venv, 'bin', 'python3')} -m pip install ipykernel`, `${join(venv, 'bin', 'python3')} -m ipykernel install --user`],
      },
    ]);
  });

  it('probes in parallel: a PATH of interpreters that never answer costs one timeout, not one each', async () => {
    const slow = join(root, 'slow');
    mkdirSync(slow);
    for (const name of ['python3', 'python3.8', 'python3.9', 'python']) {
      writeFileSync(join(slow, name), '#!/bin/sh\nexec /bin/sleep 600\n');
      chmodSync(join(slow, name), 0o755);
    }
    const started = performance.now();
    expect(await findPythonInterpreters({ env: { PATH: slow }, timeoutMs: 1_500, context })).toEqual([]);
    // Four serial timeouts would be 6 s; any load short of that still passes.
    expect(performance.now() - started).toBeLessThan(5_500);
  });
});
