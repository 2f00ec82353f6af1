import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aptCommandLine, aptPlan, browserAdvice, isElectronDownloadFailure, kernelAdvice, missingPackages, npmInstallReason, TEST_PACKAGES } from './setupLib.mjs';

const installed = (names: string[]) => names.map((n) => `${n} install ok installed`).join('\n');

describe('which Debian packages are missing', () => {
  it('none when dpkg lists them all as installed (architecture suffixes included)', () => {
    const out = installed(TEST_PACKAGES.filter((p) => p !== 'python3-yaml')) + '\npython3-yaml:amd64 install ok installed\n';
    expect(missingPackages(out)).toEqual([]);
  });

  it('those not listed, or listed as removed / config-files only, in the list order', () => {
    const out = [installed(TEST_PACKAGES.filter((p) => !['chromium', 'xvfb', 'python3-nbformat'].includes(p))), 'xvfb deinstall ok config-files', 'python3-nbformat unknown ok not-installed'].join('\n');
    expect(missingPackages(out)).toEqual(['chromium', 'python3-nbformat', 'xvfb']);
    expect(missingPackages('')).toEqual(TEST_PACKAGES);
  });
});

describe('how to install them', () => {
  it('as root: apt-get directly; with password-less sudo: sudo -n; never interactive', () => {
    expect(aptPlan(['chromium', 'xvfb'], { isRoot: true, sudoWorks: false })).toEqual({
      run: [['apt-get', 'update', '-qq'], ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', 'chromium', 'xvfb']],
      manual: undefined,
    });
    expect(aptPlan(['xvfb'], { isRoot: false, sudoWorks: true }).run).toEqual([
      ['sudo', '-n', 'apt-get', 'update', '-qq'],
      ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', 'xvfb'],
    ]);
  });

  it('otherwise nothing runs and the exact command to type is given', () => {
    expect(aptPlan(['chromium', 'python3-nbformat'], { isRoot: false, sudoWorks: false })).toEqual({
      run: [],
      manual: 'sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium python3-nbformat',
    });
    expect(aptPlan([], { isRoot: false, sudoWorks: false })).toEqual({ run: [], manual: undefined });
    expect(aptCommandLine(['xvfb'], { isRoot: true })).toBe('apt-get update && env DEBIAN_FRONTEND=noninteractive apt-get install -y xvfb');
  });
});

describe('what npm start says is missing', () => {
  it('nothing when a kernel can start', () => {
    expect(kernelAdvice([{ name: 'python3', status: 'ok' }, { name: 'bad', status: 'broken', problem: 'x' }], { python: '/usr/bin/python3', debian: true, isRoot: false })).toBeUndefined();
  });

  it('no kernel: the apt-get line on Debian and the pip command for the python on PATH', () => {
    const advice = kernelAdvice([{ name: 'old', status: 'broken', problem: "interpreter '/opt/py/bin/python' not found" }], { python: '/usr/bin/python3', debian: true, isRoot: false })!;
    expect(advice).toContain(`kernel "old" is broken: interpreter '/opt/py/bin/python' not found`);
    expect(advice).toContain('sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-ipykernel');
    expect(advice).toContain('/usr/bin/python3 -m pip install ipykernel && /usr/bin/python3 -m ipykernel install --user');
    expect(kernelAdvice([], { python: undefined, debian: false, isRoot: false })).toContain('Install Python 3, then: python3 -m pip install ipykernel');
  });

  it('no browser: the apt-get line for Chromium on Debian', () => {
    expect(browserAdvice({ debian: true, isRoot: true })).toContain('apt-get install -y chromium');
    expect(browserAdvice({ debian: false, isRoot: false })).toContain('install Chromium or Google Chrome');
  });
});

describe('npm packages', () => {
  it('npm ci when node_modules is missing or lacks a locked package', () => {
    expect(npmInstallReason({ nodeModulesExists: false, lockPackages: ['a'], installed: () => true })).toBe('node_modules is missing');
    expect(npmInstallReason({ nodeModulesExists: true, lockPackages: ['a', '@b/c'], installed: (n) => n === 'a' })).toBe('node_modules lacks @b/c');
    expect(npmInstallReason({ nodeModulesExists: true, lockPackages: ['a'], installed: () => true })).toBeUndefined();
  });

  it("retries without Electron's binary only when its download is what failed", () => {
    expect(isElectronDownloadFailure('npm error path node_modules/electron\nnpm error RequestError: getaddrinfo ENOTFOUND github.com')).toBe(true);
    expect(isElectronDownloadFailure('npm error code EUSAGE\nnpm error The `npm ci` command can only install with an existing package-lock.json')).toBe(false);
  });
});

describe('scripts/setup.mjs --dry-run', () => {
  const bin = mkdtempSync(join(tmpdir(), 'quire-setup-bin-'));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('finds what dpkg says is missing and says what it would run, changing nothing', () => {
    // A dpkg-query that reports chromium and xvfb as not installed; apt-get must never be run.
    writeFileSync(join(bin, 'dpkg-query'), `#!/bin/sh\nfor p in ${TEST_PACKAGES.filter((p) => p !== 'chromium' && p !== 'xvfb').join(' ')}; do echo "$p install ok installed"; done\n`);
    writeFileSync(join(bin, 'apt-get'), '#!/bin/sh\necho "apt-get must not run in a dry run" >&2; exit 99\n');
    writeFileSync(join(bin, 'sudo'), '#!/bin/sh\nexit 1\n');
    for (const f of ['dpkg-query', 'apt-get', 'sudo']) chmodSync(join(bin, f), 0o755);
    const result = spawnSync(process.execPath, ['scripts/setup.mjs', '--dry-run'], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    const text = result.stdout + result.stderr;
    expect(text).not.toContain('must not run');
    if (process.getuid?.() === 0) {
      expect(result.status).toBe(0);
      expect(text).toContain('setup: installing Debian packages: chromium xvfb');
      expect(text).toContain('setup: running: env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium xvfb');
      expect(text).toContain('setup: npm packages: installed');
    } else {
      expect(result.status).toBe(1);
      expect(text).toContain('sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium xvfb');
    }
  });
});
