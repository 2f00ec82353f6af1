import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli';

const root = mkdtempSync(join(tmpdir(), 'quire-kernels-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function spec(dir: string, name: string, json: object | string) {
  mkdirSync(join(dir, 'kernels', name), { recursive: true });
  writeFileSync(join(dir, 'kernels', name, 'kernel.json'), typeof json === 'string' ? json : JSON.stringify(json));
}
const jp = join(root, 'jp');
const venv = join(root, 'venv');
spec(jp, 'python3', { argv: ['/usr/bin/python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: 'Mine', language: 'python' });
spec(jp, 'ghost', { argv: ['/nonexistent/python', '-f', '{connection_file}'], display_name: 'Ghost', language: 'python' });
spec(join(venv, 'share', 'jupyter'), 'venvy', { argv: ['/usr/bin/python3', '-f', '{connection_file}'], display_name: 'In venv', language: 'python' });

/** Runs `quire kernels ARGS` in-process with a controlled Jupyter environment, capturing stdout. */
async function quire(...args: string[]) {
  const saved = { JUPYTER_PATH: process.env.JUPYTER_PATH, JUPYTER_DATA_DIR: process.env.JUPYTER_DATA_DIR };
  Object.assign(process.env, { JUPYTER_PATH: jp, JUPYTER_DATA_DIR: join(root, 'user') });
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const code = await main(['kernels', ...args]);
    return { code, stdout };
  } finally {
    write.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('quire kernels', async () => {
  it('prints a table with status, source and path, broken specs with the reason, and shadowed specs', async () => {
    const { code, stdout } = await quire('--env', venv);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+DISPLAY NAME\s+LANGUAGE\s+STATUS\s+SOURCE\s+PATH$/);
    expect(stdout).toMatch(/ghost\s+Ghost\s+python\s+BROKEN: interpreter '\/nonexistent\/python' does not exist or is not executable\s+JUPYTER_PATH/);
    expect(stdout).toMatch(/python3\s+Mine\s+python\s+ok\s+JUPYTER_PATH\s+\S+\/jp\/kernels\/python3/);
    expect(stdout).toMatch(/venvy\s+In venv\s+python\s+ok\s+environment/);
    expect(stdout).toContain('Shadowed:\n  python3: /usr/share/jupyter/kernels/python3');
  });

  it('--json prints the specs as data', async () => {
    const { code, stdout } = await quire('--json');
    expect(code).toBe(0);
    const specs = JSON.parse(stdout) as Array<{ name: string; status: string; problem?: string }>;
    expect(specs.map((s) => s.name)).toEqual(['ghost', 'python3']);
    expect(specs[0]).toMatchObject({ status: 'broken', problem: expect.stringContaining('/nonexistent/python') });
  });
});
