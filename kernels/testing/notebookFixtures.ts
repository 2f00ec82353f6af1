/**
 * Test notebooks written by Jupyter itself (Debian's python3-nbformat via /usr/bin/python3), so
 * round-trip tests compare against real Jupyter bytes rather than our own idea of them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The interpreter with nbformat/nbclient/ipykernel (the `python3` on PATH may lack them). */
export const JUPYTER_PYTHON = '/usr/bin/python3';

const SCRIPT = fileURLToPath(new URL('./notebookFixtures.py', import.meta.url));

export interface JupyterFixtures {
  dir: string;
  /** File name (e.g. `rich-4.5.ipynb`) → absolute path. */
  files: Record<string, string>;
  dispose(): void;
}

/**
 * Writes the fixture set into a new temp folder: rich-4.5, rich-4.4, minimal-4.0, empty-4.5,
 * numbers-4.5 and old-v3; with `execute`, also executed-4.5 (run by nbclient on a real ipykernel).
 * Fails loudly, naming the Debian packages, when Python's nbformat is missing.
 */
export function generateJupyterFixtures(options: { execute?: boolean } = {}): JupyterFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'quire-nbfixtures-'));
  let stdout: string;
  try {
    stdout = execFileSync(JUPYTER_PYTHON, [SCRIPT, dir, ...(options.execute ? ['--execute'] : [])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(
      `Could not generate notebooks with ${JUPYTER_PYTHON} + nbformat (install python3-nbformat, python3-nbclient, python3-ipykernel, python3-pandas, python3-matplotlib):\n${stderr || String(error)}`,
      { cause: error },
    );
  }
  const paths = JSON.parse(stdout.trim().split('\n').pop()!) as string[];
  return {
    dir,
    files: Object.fromEntries(paths.map((p) => [basename(p), p])),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs a short Python program with Jupyter's Python and returns its stdout. */
export function runJupyterPython(code: string, input?: string): string {
  return execFileSync(JUPYTER_PYTHON, ['-c', code], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
}
