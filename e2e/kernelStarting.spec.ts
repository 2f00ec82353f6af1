/**
 * Shift+Enter right after opening, while the kernel is still starting: the cell waits in the
 * queue and runs once the kernel is up (it must not be dropped with "No kernel is running").
 * The kernelspec delays a real ipykernel by a few seconds so the window is always hit.
 */
import { expect, test } from './fixtures/quireServer';
import { cell, notebook, openNotebook, shot } from './editorHelpers';

const slowNotebook = notebook([{ source: 'print("ran after the slow start")' }]) as { metadata: Record<string, unknown> };
slowNotebook.metadata = { kernelspec: { name: 'slowpy', display_name: 'Slow Python', language: 'python' }, language_info: { name: 'python' } };

test.use({
  workspaceFiles: {
    'slow.ipynb': slowNotebook,
    'jupyter/kernels/slowpy/kernel.json': {
      argv: ['/bin/sh', '-c', 'sleep 4; exec /usr/bin/python3 -m ipykernel_launcher -f "$0"', '{connection_file}'],
      display_name: 'Slow Python',
      language: 'python',
    },
  },
  openPath: 'slow.ipynb',
  serverEnv: { JUPYTER_PATH: '{root}/jupyter' },
});

test('a cell run while the kernel starts is queued, then runs', async ({ page, url }) => {
  await openNotebook(page, url, { kernel: false });
  await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'starting');
  await cell(page, 0).getByTestId('cell-editor').click();
  await page.keyboard.press('Shift+Enter');
  await expect(cell(page, 0)).toHaveAttribute('data-state', 'queued');
  await shot(page, 'editor-queued-while-kernel-starts');
  await expect(cell(page, 0).getByTestId('cell-outputs')).toContainText('ran after the slow start', { timeout: 60_000 });
  await expect(cell(page, 0).getByTestId('execution-count')).toHaveText('[1]');
});
