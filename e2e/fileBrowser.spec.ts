/**
 * The workspace file browser in Debian's Chromium against `quire serve`: the tree, opening by
 * keyboard, New notebook, inline rename, trash (a temp XDG_DATA_HOME), drag data, refresh on focus.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures/quireServer';
import { notebook, openNotebook, shot } from './editorHelpers';

test.use({
  workspaceFiles: {
    'analysis.ipynb': notebook([{ source: 'x = 1' }]),
    'data/old.ipynb': notebook([{ source: 'old = 1' }]),
    'data/raw.csv': 'a,b\n1,2\n',
    'notes.txt': 'notes',
  },
  openPath: 'analysis.ipynb',
  serverEnv: { XDG_DATA_HOME: '{root}/../xdg' },
});

test('file browser: tree, rename, trash, refresh on focus, open by keyboard, drag, new notebook', async ({ page, url, quire }) => {
  await openNotebook(page, url);
  const browser = page.getByTestId('file-browser');
  const item = (name: string) => browser.getByRole('treeitem', { name, exact: true });
  const names = () => browser.getByRole('treeitem').allTextContents();

  // The tree: folders first, the open notebook revealed and highlighted.
  await expect.poll(names).toEqual(['data', 'analysis.ipynb', 'notes.txt']);
  await expect(item('analysis.ipynb')).toHaveAttribute('aria-current', 'page');

  // F2 renames inline; Enter commits and the row keeps the keyboard.
  await item('notes.txt').click();
  await page.keyboard.press('F2');
  const input = browser.getByTestId('fb-rename-input');
  await expect(input).toBeFocused();
  await input.fill('notes.md');
  await page.keyboard.press('Enter');
  await expect(item('notes.md')).toBeFocused();
  expect(readFileSync(join(quire.root, 'notes.md'), 'utf8')).toBe('notes');

  // Expand data/ by keyboard; Delete sends raw.csv to the freedesktop trash of the server's XDG_DATA_HOME.
  await item('data').focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(names).toEqual(['data', 'old.ipynb', 'raw.csv', 'analysis.ipynb', 'notes.md']);
  await item('raw.csv').click();
  await page.keyboard.press('Delete');
  await expect(browser.getByTestId('fb-notice')).toContainText('Moved “raw.csv” to the trash');
  const trash = join(quire.root, '..', 'xdg', 'Trash');
  expect(readFileSync(join(trash, 'files', 'raw.csv'), 'utf8')).toBe('a,b\n1,2\n');
  expect(readFileSync(join(trash, 'info', 'raw.csv.trashinfo'), 'utf8')).toContain(`Path=${join(quire.root, 'data', 'raw.csv')}`);
  expect(existsSync(join(quire.root, 'data', 'raw.csv'))).toBe(false);

  // A file made outside the app shows up when the window gets focus.
  writeFileSync(join(quire.root, 'data', 'fresh.ipynb'), JSON.stringify(notebook([{ source: '' }])));
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(item('fresh.ipynb')).toBeVisible();

  // Enter on a notebook opens it in a tab of its own (the app's command-mode keys leave the tree alone).
  const activeTitle = page.locator('[data-testid="document"][data-active="true"]').getByTestId('title');
  await item('old.ipynb').click();
  await expect(item('old.ipynb')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(activeTitle).toContainText('old.ipynb');
  await expect(page.getByTestId('tab')).toHaveCount(2);
  await expect(item('old.ipynb')).toHaveAttribute('aria-current', 'page');

  // Drag data: the notebook's path under application/x-quire-path (Chromium's own DataTransfer).
  const dragged = await item('old.ipynb').evaluate((el) => {
    const dataTransfer = new DataTransfer();
    el.dispatchEvent(new DragEvent('dragstart', { dataTransfer, bubbles: true }));
    return dataTransfer.getData('application/x-quire-path');
  });
  expect(dragged).toBe(join(quire.root, 'data', 'old.ipynb'));

  // New notebook in the selected file's folder: Untitled.ipynb on disk, opened.
  await browser.getByTestId('fb-new-notebook').click();
  await expect(activeTitle).toContainText('Untitled.ipynb');
  await expect(page.getByTestId('tab')).toHaveCount(3);
  await expect(item('Untitled.ipynb')).toHaveAttribute('aria-current', 'page');
  expect(JSON.parse(readFileSync(join(quire.root, 'data', 'Untitled.ipynb'), 'utf8'))).toMatchObject({ nbformat: 4, nbformat_minor: 5 });
  await shot(page, 'file-browser');
});
