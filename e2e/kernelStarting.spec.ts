/**
 * Shift+Enter right after opening, while the kernel is still starting: the cell waits in the
 * queue and runs once the kernel is up (it must not be dropped with "No kernel is running").
 * The kernelspec holds a real ipykernel back until the test creates a gate file, so the window is
 * always hit however loaded the machine is (no sleep to race).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures/quireServer';
import { cell, notebook, openNotebook, shot } from './editorHelpers';

const GATE = 'release-kernel';
const slowNotebook = notebook([{ source: 'print("ran after the slow start")' }]) as { metadata: Record<string, unknown> };
slowNotebook.metadata = { kernelspec: { name: 'slowpy', display_name: 'Slow Python', language: 'python' }, language_info: { name: 'python' } };

// The kernel inherits the server's environment, which names the gate file; without it, fail fast.
const waitForGate = '[ -n "$QUIRE_TEST_KERNEL_GATE" ] || exit 3; while [ ! -e "$QUIRE_TEST_KERNEL_GATE" ]; do sleep 0.05; done; exec /usr/bin/python3 -m ipykernel_launcher -f "$0"';

test.use({
  workspaceFiles: {
    'slow.ipynb': slowNotebook,
    'jupyter/kernels/slowpy/kernel.json': {
      argv: ['/bin/sh', '-c', waitForGate, '{connection_file}'],
      display_name: 'Slow Python',
      language: 'python',
    },
  },
  openPath: 'slow.ipynb',
  serverEnv: { JUPYTER_PATH: '{root}/jupyter', QUIRE_TEST_KERNEL_GATE: `{root}/${GATE}` },
});

test('a cell run while the kernel starts is queued, then runs', async ({ page, url, root }) => {
  await openNotebook(page, url, { kernel: false });
  await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'starting');
  await cell(page, 0).getByTestId('cell-editor').click();
  await page.keyboard.press('Shift+Enter');
  await expect(cell(page, 0)).toHaveAttribute('data-state', 'queued');
  await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'starting');
  await shot(page, 'editor-queued-while-kernel-starts');
  writeFileSync(join(root, GATE), '');
  await expect(cell(page, 0).getByTestId('cell-outputs')).toContainText('ran after the slow start', { timeout: 60_000 });
  await expect(cell(page, 0).getByTestId('execution-count')).toHaveText('[1]');
});
