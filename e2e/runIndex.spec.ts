/**
 * The run index in the app: a run started with `quire run` in a terminal (another process, the
 * same data folder) shows in the notebook's runs panel while it runs and when it ends, once, with
 * its parameters. The cell waits for a file the test writes, never a timer.
 * Screenshot: e2e-results/screenshots/runIndex-terminal-run.png.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBuiltCli } from './fixtures/environment';
import { expect, test } from './fixtures/quireServer';
import { notebook, openNotebook, shot } from './editorHelpers';

test.use({
  workspaceFiles: {
    'job.ipynb': notebook([
      { source: 'GO = ""\nn = 1', tags: ['parameters'] },
      { source: 'import os, time\nwhile not (GO and os.path.exists(GO)):\n    time.sleep(0.05)\nprint("n is", n)' },
    ]),
  },
  openPath: 'job.ipynb',
  serverEnv: { QUIRE_DATA_DIR: '{root}/../quire-data' },
});

test('a run started with quire run in a terminal shows in the runs panel, live, then completed', async ({ page, url, root }) => {
  await openNotebook(page, url, { kernel: false });
  await page.getByRole('button', { name: /Runs panel/ }).click();
  await expect(page.getByTestId('runs-panel')).toContainText('No runs of this notebook yet');

  const go = join(root, '..', 'go');
  const terminal: ChildProcess = spawn(process.execPath, [requireBuiltCli(), 'run', join(root, 'job.ipynb'), join(root, 'runs', 'from-terminal.ipynb'), '-p', 'n', '7', '-r', 'GO', go], {
    env: { ...process.env, QUIRE_DATA_DIR: join(root, '..', 'quire-data') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  terminal.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => terminal.on('close', resolve));
  try {
    const row = page.getByTestId('run-row');
    await expect(row).toHaveCount(1, { timeout: 60_000 });
    await expect(row).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
    await expect(row.getByTestId('run-param-n')).toHaveText('7');
    await shot(page, 'runIndex-terminal-run');
    writeFileSync(go, '');
    expect(await exited, stderr).toBe(0);
    await expect(row).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
    // The output on disk and the index entry are one run.
    await page.reload();
    await page.getByRole('button', { name: /Runs panel/ }).click();
    await expect(page.getByTestId('run-row')).toHaveCount(1);
    await expect(page.getByTestId('run-row')).toHaveAttribute('data-status', 'completed');
  } finally {
    terminal.kill('SIGKILL');
  }
});
