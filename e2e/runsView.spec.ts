/**
 * The Runs view (Ctrl+Shift+R) against `quire serve` and Debian's ipykernel: a run started in the
 * app and a run started with `quire run` in a terminal (another process, the same data folder), of
 * two notebooks, are listed together, live; filters by notebook and status; run again from the
 * view; cancel the terminal's run from the view (the host sends it SIGTERM, it records itself
 * cancelled). The terminal's run waits for a file the test writes, never a timer.
 * Screenshot: e2e-results/screenshots/runsView.png.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { requireBuiltCli } from './fixtures/environment';
import { expect, test } from './fixtures/quireServer';
import { notebook, openNotebook, shot } from './editorHelpers';

test.use({
  workspaceFiles: {
    'jobs/job.ipynb': notebook([
      { source: 'GO = ""\nn = 1', tags: ['parameters'] },
      { source: 'import os, time\nwhile not (GO and os.path.exists(GO)):\n    time.sleep(0.05)\nprint("n is", n)' },
    ]),
    'analysis.ipynb': notebook([
      { source: 'label = "base"', tags: ['parameters'] },
      { source: 'print("done", label)' },
    ]),
  },
  // The host serves the opened notebook's folder: both notebooks are inside it (runs of notebooks
  // elsewhere are not this page's to see).
  openPath: 'analysis.ipynb',
  serverEnv: { QUIRE_DATA_DIR: '{root}/../quire-data' },
});

test('every run across notebooks, from the app and a terminal, live; filter by notebook and status; run again; cancel the terminal run', async ({ page, url, root }) => {
  await openNotebook(page, url, { kernel: false });

  // A run of the open notebook, from the app.
  await page.getByRole('button', { name: /Run with parameters/ }).first().click();
  await page.getByTestId('param-input-label').fill('from-app');
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });

  // The view, by its shortcut: the app's run is there.
  await page.getByTestId('notebook').focus();
  await page.keyboard.press('Control+Shift+R');
  const view = page.getByTestId('runs-view');
  await expect(view).toBeVisible();
  const rows = view.getByTestId('runs-view-row');
  await expect(rows).toHaveCount(1);
  const appRow = rows.filter({ hasText: 'analysis.ipynb' });
  await expect(appRow).toHaveAttribute('data-status', 'completed');
  await expect(appRow.getByTestId('runs-view-origin')).toHaveText('App');
  await expect(appRow.getByTestId('runs-view-params')).toHaveText('label=from-app');

  // A run of the other notebook from a terminal shows up while the view is open, running.
  const go = join(root, '..', 'go');
  const terminal: ChildProcess = spawn(process.execPath, [requireBuiltCli(), 'run', join(root, 'jobs', 'job.ipynb'), join(root, 'jobs', 'runs', 'from-terminal.ipynb'), '-p', 'n', '7', '-r', 'GO', go], {
    env: { ...process.env, QUIRE_DATA_DIR: join(root, '..', 'quire-data') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  terminal.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => terminal.on('close', resolve));
  try {
    await expect(rows).toHaveCount(2, { timeout: 60_000 });
    const cliRow = rows.filter({ hasText: 'job.ipynb' });
    await expect(cliRow).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
    await expect(cliRow.getByTestId('runs-view-origin')).toHaveText('Terminal');
    await expect(cliRow.getByTestId('runs-view-params')).toContainText('n=7');
    await expect(cliRow).toContainText('jobs/runs/from-terminal.ipynb');
    await expect(view.getByTestId('runs-view-count')).toHaveText('2 runs');

    // Filter by notebook: the notebooks present are offered.
    const byNotebook = view.getByTestId('runs-view-notebook');
    await expect(byNotebook.locator('option')).toHaveText(['All notebooks', 'analysis.ipynb', 'jobs/job.ipynb']);
    await byNotebook.selectOption({ label: 'jobs/job.ipynb' });
    await expect(rows).toHaveCount(1);
    await expect(rows).toHaveAttribute('data-run-id', (await cliRow.getAttribute('data-run-id'))!);
    await expect(view.getByTestId('runs-view-count')).toHaveText('1 of 2 runs');
    await byNotebook.selectOption({ label: 'All notebooks' });
    await expect(rows).toHaveCount(2);

    // Filter by status.
    await view.getByTestId('runs-view-status-completed').check();
    await expect(rows).toHaveCount(1);
    await expect(rows).toHaveAttribute('data-notebook', join(root, 'analysis.ipynb'));
    await view.getByTestId('runs-view-status-running').check();
    await expect(rows).toHaveCount(2);
    await view.getByTestId('runs-view-status-completed').uncheck();
    await expect(rows).toHaveCount(1);
    await expect(rows).toHaveAttribute('data-notebook', join(root, 'jobs', 'job.ipynb'));
    await shot(page, 'runsView');
    await view.getByRole('button', { name: 'Clear filters' }).click();
    await expect(rows).toHaveCount(2);

    // Run again from the view: a third run of the open notebook, with the same parameters, completes.
    await appRow.getByTestId('runs-view-again').click();
    await expect(rows).toHaveCount(3, { timeout: 60_000 });
    await expect(rows.filter({ hasText: 'analysis.ipynb' }).and(page.locator('[data-status="completed"]'))).toHaveCount(2, { timeout: 60_000 });
    await expect(rows.filter({ hasText: 'analysis.ipynb' }).first().getByTestId('runs-view-params')).toHaveText('label=from-app');

    // Cancel the terminal's run from the view: its process gets SIGTERM and records itself cancelled.
    await cliRow.getByTestId('runs-view-cancel').click();
    await expect(cliRow).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
    expect(await exited, stderr).toBe(130);
    await expect(cliRow.getByTestId('runs-view-cancel')).toHaveCount(0);
    await expect(view.getByTestId('runs-view-action-error')).toHaveCount(0);

    // The shortcut toggles: closed and opened again, it lists the same runs (from the index and this host).
    await page.keyboard.press('Control+Shift+R');
    await expect(view).toHaveCount(0);
    await page.keyboard.press('Control+Shift+R');
    await expect(rows).toHaveCount(3);
    await expect(rows.filter({ hasText: 'job.ipynb' })).toHaveAttribute('data-status', 'cancelled');
  } finally {
    terminal.kill('SIGKILL');
  }
});
