/**
 * Running code in the editor with Debian's ipykernel through the browser host: outputs, input(),
 * stop at first error, interrupt, restart, a dead kernel, completion.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures/quireServer';
import { appState, cell, cells, commandMode, notebook, openNotebook, readJson, setCellText, shot } from './editorHelpers';

test.use({
  workspaceFiles: {
    'run.ipynb': notebook([
      { type: 'markdown', source: '## Running' },
      { source: 'x = 6 * 7' },
      { source: '' },
    ]),
  },
  openPath: 'run.ipynb',
});

test('type code, run it with Shift+Enter, see the output and the execution count', async ({ page, url, root }) => {
  await openNotebook(page, url);
  await cell(page, 1).locator('.monaco-editor').click();
  await page.keyboard.press('Shift+Enter');
  await setCellText(page, 2, 'print("hello", x)\nx + 1');
  await page.keyboard.press('Shift+Enter');
  await expect(cell(page, 2).getByTestId('cell-outputs')).toContainText('hello 42');
  await expect(cell(page, 2).getByTestId('cell-outputs')).toContainText('43');
  await expect(cell(page, 2).getByTestId('execution-count')).toHaveText('[2]');
  await expect(cell(page, 2).getByTestId('cell-status')).toContainText(/Done in .* · /);
  // Shift+Enter on the last cell adds a new one to type in.
  await expect(cells(page)).toHaveCount(4);
  await expect(page.getByTestId('mode')).toHaveText('Edit');
  await shot(page, 'editor-ran');
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  const saved = readJson(root, 'run.ipynb').cells[2];
  expect(saved.execution_count).toBe(2);
  expect(saved.outputs).toEqual([
    { name: 'stdout', output_type: 'stream', text: ['hello 42\n'] },
    { data: { 'text/plain': ['43'] }, execution_count: 2, metadata: {}, output_type: 'execute_result' },
  ]);
});

test('run all stops at the first error and marks the queued cells skipped', async ({ page, url }) => {
  await openNotebook(page, url);
  await setCellText(page, 2, 'raise ValueError("boom")');
  await commandMode(page);
  await page.keyboard.press('b');
  await page.keyboard.press('Enter');
  await page.keyboard.insertText('print("never")');
  await commandMode(page);
  await page.getByRole('button', { name: 'Run all cells' }).click();
  await expect(cell(page, 2)).toHaveAttribute('data-state', 'error');
  await expect(cell(page, 2).getByTestId('cell-outputs')).toContainText('ValueError');
  await expect(cell(page, 3)).toHaveAttribute('data-state', 'skipped');
  await expect(cell(page, 3).getByTestId('cell-status')).toContainText('Skipped');
  await expect(cell(page, 3).getByTestId('cell-outputs')).toHaveCount(0);
  await shot(page, 'editor-stop-on-error');
});

test('run all above / run selected and all below from the run menu', async ({ page, url }) => {
  await openNotebook(page, url);
  await setCellText(page, 2, 'print(x + 1)');
  await commandMode(page);
  await page.getByRole('button', { name: 'More run actions' }).click();
  await page.getByRole('menuitem', { name: 'Run all above' }).click();
  await expect(cell(page, 1)).toHaveAttribute('data-state', 'done');
  await expect(cell(page, 2)).not.toHaveAttribute('data-state', 'done');
  await page.getByRole('button', { name: 'More run actions' }).click();
  await page.getByRole('menuitem', { name: 'Run selected and all below' }).click();
  await expect(cell(page, 2).getByTestId('cell-outputs')).toContainText('43');
});

test('input() shows a box in the output and the kernel gets the answer', async ({ page, url }) => {
  await openNotebook(page, url);
  await setCellText(page, 2, 'name = input("Your name: ")\nprint("hi", name)');
  await page.keyboard.press('ControlOrMeta+Enter');
  const box = cell(page, 2).getByRole('textbox', { name: 'Your name:' });
  await expect(box).toBeVisible();
  await shot(page, 'editor-input');
  await box.fill('Ada');
  await box.press('Enter');
  await expect(cell(page, 2).getByTestId('cell-outputs')).toContainText('hi Ada');
  await expect(cell(page, 2)).toHaveAttribute('data-state', 'done');
});

test('interrupt stops a sleeping cell; restart clears the kernel state', async ({ page, url }) => {
  await openNotebook(page, url);
  await setCellText(page, 2, 'import time\ntime.sleep(60)');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, 2)).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'busy');
  await shot(page, 'editor-running');
  const started = Date.now();
  await page.getByRole('button', { name: 'Interrupt kernel' }).click();
  await expect(cell(page, 2).getByTestId('cell-outputs')).toContainText('KeyboardInterrupt');
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(cell(page, 2)).toHaveAttribute('data-state', 'error');

  // x exists, then a restart forgets it.
  await cell(page, 1).locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, 1)).toHaveAttribute('data-state', 'done');
  await page.getByRole('button', { name: 'Restart kernel', exact: true }).click();
  await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 60_000 });
  await setCellText(page, 2, 'print(x)');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, 2).getByTestId('cell-outputs')).toContainText('NameError');
  await expect(cell(page, 2).getByTestId('execution-count')).toHaveText('[1]');
});

test('a kernel that dies is shown dead with its last stderr lines, and one click restarts it', async ({ page, url, root }) => {
  await openNotebook(page, url);
  // ipykernel captures fd 2 for the notebook; its saved copy of the original fd is the process's real
  // stderr, which the host keeps a tail of. The cell dies only once the test has seen it running:
  // os._exit right away can beat ipykernel's iopub thread, and then nobody learns the cell started.
  const gate = join(root, 'die-now');
  await setCellText(page, 2, `import os, sys, time\nwhile not os.path.exists(${JSON.stringify(gate)}): time.sleep(0.02)\nos.write(sys.stderr._original_stdstream_copy, b"about to die\\n")\nos._exit(3)`);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, 2)).toHaveAttribute('data-state', 'running');
  writeFileSync(gate, '');
  await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'dead', { timeout: 30_000 });
  await expect(cell(page, 2)).not.toHaveAttribute('data-state', 'running');
  await expect(cell(page, 2).getByTestId('cell-status')).toHaveText('Stopped: the kernel died');
  await expect(page.getByTestId('kernel-stderr')).toContainText('about to die');
  await shot(page, 'editor-kernel-dead');
  await page.getByTestId('kernel-restart').click();
  await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 60_000 });
  await setCellText(page, 2, '1 + 1');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, 2).getByTestId('cell-outputs')).toContainText('2');
});

test('completion comes from the kernel', async ({ page, url }) => {
  await openNotebook(page, url);
  await setCellText(page, 2, 'import collections\ncollections.Ord');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.suggest-widget .monaco-list-row').filter({ hasText: 'OrderedDict' }).first()).toBeVisible();
  await shot(page, 'editor-completion');
  expect(await appState<string>(page, 'kernels.status')).toBe('idle');
});

test('hovering a name shows the kernel\'s inspect reply', async ({ page, url }) => {
  await openNotebook(page, url);
  await setCellText(page, 2, 'len([1, 2])');
  await cell(page, 2).locator('.view-lines span', { hasText: 'len' }).first().hover();
  await expect(page.locator('.monaco-hover').filter({ hasText: 'Return the number of items' })).toBeVisible();
});
