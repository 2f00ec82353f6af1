/**
 * A machine without a usable kernel: the notebook's kernelspec does not exist and the only other
 * one (a `python3` in JUPYTER_PATH whose interpreter is gone, hiding the system's) cannot start. The
 * page says no Jupyter kernel was found and lists the real interpreters on the server's PATH (a
 * venv without ipykernel first, Debian's python3) with their commands. Then the test installs the
 * notebook's kernelspec into the watched folder, as `ipykernel install` would, and the page starts
 * it and runs a cell without a reload: gated on the page, never on a time.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures/quireServer';
import { cell, notebook, openNotebook, shot } from './editorHelpers';

const nb = notebook([{ source: 'import sys; print("ran on", sys.version_info[0])' }]) as { metadata: Record<string, unknown> };
nb.metadata = { kernelspec: { name: 'late-python', display_name: 'Late Python', language: 'python' }, language_info: { name: 'python' } };
const kernelJson = (python: string) => ({ argv: [python, '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: 'Late Python', language: 'python' });

test.use({
  workspaceFiles: {
    'late.ipynb': nb,
    'jupyter/kernels/python3/kernel.json': kernelJson('/nonexistent/python3'),
  },
  openPath: 'late.ipynb',
  // The venv is made beside the workspace (removed with it) before the page asks for interpreters.
  serverEnv: { JUPYTER_PATH: '{root}/jupyter', PATH: '{root}/../venv/bin:/usr/bin:/bin' },
});

test('no kernel: the page says so with the commands, and picks up a kernel installed meanwhile', async ({ page, url, root }) => {
  // A real interpreter without ipykernel: a venv of Debian's python3 without its site-packages.
  const venv = join(root, '..', 'venv');
  execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', venv]);
  await openNotebook(page, url, { kernel: false });
  const panel = page.getByTestId('no-kernel');
  await expect(panel.getByRole('heading')).toHaveText('No Jupyter kernel was found', { timeout: 30_000 });
  const venvPython = join(venv, 'bin', 'python3');
  const venvEntry = panel.locator(`[data-testid="python-interpreter"][data-path="${venvPython}"]`);
  await expect(venvEntry).toContainText('without ipykernel');
  await expect(venvEntry.getByTestId('python-commands')).toHaveText(`${venvPython} -m pip install ipykernel\n${venvPython} -m ipykernel install --user`);
  // Debian's python3 has ipykernel (the test packages): it only lacks a kernelspec here.
  const debianEntry = panel.locator('[data-testid="python-interpreter"][data-path="/usr/bin/python3"]');
  await expect(debianEntry.getByTestId('python-commands')).toHaveText('/usr/bin/python3 -m ipykernel install --user');
  await shot(page, 'no-kernel-found');

  // A page reload would lose this.
  await page.evaluate(() => { (window as unknown as { quireSamePage: boolean }).quireSamePage = true; });
  mkdirSync(join(root, 'jupyter', 'kernels', 'late-python'));
  writeFileSync(join(root, 'jupyter', 'kernels', 'late-python', 'kernel.json'), JSON.stringify(kernelJson('/usr/bin/python3')));

  await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 60_000 });
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('kernel-name')).toHaveText('Late Python');
  await cell(page, 0).getByTestId('cell-editor').click();
  await page.keyboard.press('Shift+Enter');
  await expect(cell(page, 0).getByTestId('cell-outputs')).toContainText('ran on 3', { timeout: 60_000 });
  expect(await page.evaluate(() => (window as unknown as { quireSamePage?: boolean }).quireSamePage)).toBe(true);
});
