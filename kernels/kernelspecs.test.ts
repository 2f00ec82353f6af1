import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findKernelSpec, findKernelSpecs, kernelSearchDirs } from './kernelspecs';
import { jupyterDataDir, jupyterRuntimeDir } from './jupyterPaths';

const root = mkdtempSync(join(tmpdir(), 'quire-specs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function spec(dir: string, name: string, json: unknown): string {
  const resourceDir = join(dir, 'kernels', name);
  mkdirSync(resourceDir, { recursive: true });
  writeFileSync(join(resourceDir, 'kernel.json'), typeof json === 'string' ? json : JSON.stringify(json));
  return resourceDir;
}

const first = join(root, 'first');
const second = join(root, 'second');
const user = join(root, 'user');
const venv = join(root, 'venv');
const fakePython = join(venv, 'bin', 'python');
mkdirSync(join(venv, 'bin'), { recursive: true });
writeFileSync(fakePython, '#!/bin/sh\n');
chmodSync(fakePython, 0o755);

const py = (display: string, extra: object = {}) => ({ argv: ['/usr/bin/python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: display, language: 'python', ...extra });
const firstPy = spec(first, 'python3', py('Shadowing Python', { env: { A: '1' }, interrupt_mode: 'message', metadata: { debugger: false } }));
spec(second, 'python3', py('Second Python'));
spec(second, 'ok-second', py('OK second'));
spec(first, 'missing-interp', { argv: ['/nonexistent/bin/python9', '-f', '{connection_file}'], display_name: 'Gone', language: 'python' });
spec(first, 'not-on-path', { argv: ['definitely-not-a-command-quire', '{connection_file}'], display_name: 'Nope', language: 'x' });
spec(first, 'bad-json', '{ "argv": [ "python", ');
spec(first, 'no-argv', { display_name: 'No argv', language: 'python' });
spec(user, 'user-kernel', py('User kernel'));
spec(venv + '/share/jupyter', 'venv-kernel', { argv: ['python', '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: 'Venv', language: 'python' });
mkdirSync(join(first, 'kernels', 'no-kernel-json'), { recursive: true });

const options = {
  env: { JUPYTER_PATH: [first, second].join(':'), JUPYTER_DATA_DIR: user, PATH: '/usr/bin:/bin' },
  environments: [venv],
};

describe('findKernelSpecs', () => {
  it('searches JUPYTER_PATH, the user dir, environments, then system dirs, in that order', () => {
    const dirs = kernelSearchDirs({ ...options, platform: 'linux' });
    expect(dirs.map((d) => [d.dir, d.source])).toEqual([
      [join(first, 'kernels'), 'JUPYTER_PATH'],
      [join(second, 'kernels'), 'JUPYTER_PATH'],
      [join(user, 'kernels'), 'user'],
      [join(venv, 'share/jupyter/kernels'), 'environment'],
      ['/usr/local/share/jupyter/kernels', 'system'],
      ['/usr/share/jupyter/kernels', 'system'],
    ]);
  });

  it('JUPYTER_PREFER_ENV_PATH puts environments before the user dir', () => {
    const dirs = kernelSearchDirs({ ...options, env: { ...options.env, JUPYTER_PREFER_ENV_PATH: '1' }, platform: 'linux' });
    expect(dirs.map((d) => d.source)).toEqual(['JUPYTER_PATH', 'JUPYTER_PATH', 'environment', 'user', 'system', 'system']);
  });

  it('first name wins and reports what it shadows (including the system python3)', async () => {
    const specs = await findKernelSpecs(options);
    const python = specs.find((s) => s.name === 'python3')!;
    expect(python).toMatchObject({
      displayName: 'Shadowing Python', language: 'python', source: 'JUPYTER_PATH', status: 'ok', resourceDir: firstPy,
      env: { A: '1' }, interruptMode: 'message', metadata: { debugger: false }, executable: '/usr/bin/python3',
    });
    expect(python.shadows).toEqual([join(second, 'kernels', 'python3'), '/usr/share/jupyter/kernels/python3']);
    expect(specs.find((s) => s.name === 'ok-second')?.source).toBe('JUPYTER_PATH');
    expect(specs.find((s) => s.name === 'user-kernel')?.source).toBe('user');
    expect(specs.map((s) => s.name)).not.toContain('no-kernel-json');
  });

  it('lists broken specs with the reason instead of dropping them', async () => {
    const specs = await findKernelSpecs(options);
    const problem = (name: string) => specs.find((s) => s.name === name);
    expect(problem('missing-interp')).toMatchObject({ status: 'broken', displayName: 'Gone', problem: "interpreter '/nonexistent/bin/python9' does not exist or is not executable" });
    expect(problem('not-on-path')).toMatchObject({ status: 'broken', problem: "interpreter 'definitely-not-a-command-quire' was not found on PATH" });
    expect(problem('bad-json')?.status).toBe('broken');
    expect(problem('bad-json')?.problem).toMatch(/^kernel.json does not parse: /);
    expect(problem('no-argv')).toMatchObject({ status: 'broken', displayName: 'No argv', problem: "kernel.json has no valid 'argv' (a non-empty list of strings)" });
  });

  it("resolves a bare interpreter in an environment's bin/ before PATH", async () => {
    const specs = await findKernelSpecs(options);
    expect(specs.find((s) => s.name === 'venv-kernel')).toMatchObject({ source: 'environment', status: 'ok', executable: fakePython });
    // Without the environment the spec is not found at all.
    const without = await findKernelSpecs({ env: options.env });
    expect(without.map((s) => s.name)).not.toContain('venv-kernel');
  });

  it('finds the real system python3 spec by default and explains unknown names', async () => {
    const spec = await findKernelSpec('python3', { env: { ...process.env, JUPYTER_PATH: '', JUPYTER_DATA_DIR: user } });
    expect(spec.resourceDir, 'install python3-ipykernel (Debian) for /usr/share/jupyter/kernels/python3').toBe('/usr/share/jupyter/kernels/python3');
    expect(spec.status).toBe('ok');
    await expect(findKernelSpec('nope', options)).rejects.toMatchObject({ code: 'KERNELSPEC_NOT_FOUND' });
  });

  it('computes Jupyter data and runtime dirs per platform', () => {
    expect(jupyterDataDir({ env: {}, platform: 'linux', homeDir: '/h' })).toBe('/h/.local/share/jupyter');
    expect(jupyterDataDir({ env: { XDG_DATA_HOME: '/x' }, platform: 'linux', homeDir: '/h' })).toBe('/x/jupyter');
    expect(jupyterDataDir({ env: {}, platform: 'darwin', homeDir: '/h' })).toBe('/h/Library/Jupyter');
    expect(jupyterDataDir({ env: { JUPYTER_DATA_DIR: '/d' }, platform: 'darwin' })).toBe('/d');
    expect(jupyterRuntimeDir({ env: {}, platform: 'linux', homeDir: '/h' })).toBe('/h/.local/share/jupyter/runtime');
    expect(jupyterRuntimeDir({ env: { JUPYTER_RUNTIME_DIR: '/r' } })).toBe('/r');
  });
});
