/**
 * Kernels under faults, with Debian's ipykernel through the browser host: a kernel that ignores
 * SIGINT makes the running cell say the interrupt had no effect and offer a restart, which works.
 * (That a kernel which answers the interrupt never shows the message is proved with virtual time
 * in renderer/features/kernels/kernelsEpics.test.ts.)
 */
import { expect, test } from './fixtures/quireServer';
import { cell, notebook, openNotebook, setCellText, shot } from './editorHelpers';

test.use({
  workspaceFiles: {
    'faults.ipynb': notebook([
      { source: 'x = 6 * 7' },
      { source: '' },
    ]),
  },
  openPath: 'faults.ipynb',
});

test('a kernel that ignores SIGINT: the cell says the interrupt had no effect; its restart works', async ({ page, url }) => {
  await openNotebook(page, url);
  await setCellText(page, 1, 'import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint("ignoring interrupts", flush=True)\nwhile True:\n    time.sleep(0.05)');
  await page.keyboard.press('ControlOrMeta+Enter');
  // The handler is in place once the cell printed.
  await expect(cell(page, 1).getByTestId('cell-outputs')).toContainText('ignoring interrupts');
  await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'busy');
  const clicked = Date.now();
  await page.getByRole('button', { name: 'Interrupt kernel' }).click();
  const message = cell(page, 1).getByTestId('interrupt-unanswered');
  await expect(message).toContainText('The kernel did not respond to the interrupt.', { timeout: 15_000 });
  const took = Date.now() - clicked;
  console.log(`[measure] "did not respond" shown ${took} ms after the interrupt click`);
  expect(took).toBeGreaterThanOrEqual(3000);
  await expect(cell(page, 1)).toHaveAttribute('data-state', 'running');
  await shot(page, 'interrupt-unanswered');

  await message.getByRole('button', { name: 'Restart kernel?' }).click();
  await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 60_000 });
  await expect(cell(page, 1).getByTestId('cell-status')).toContainText('the kernel restarted');
  await expect(page.getByTestId('interrupt-unanswered')).toHaveCount(0);
  await setCellText(page, 0, 'print("alive", 40 + 2)');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, 0).getByTestId('cell-outputs')).toContainText('alive 42');
});
