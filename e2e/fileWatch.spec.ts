/**
 * Changes on disk while a notebook is open are noticed at once, as VS Code does: a clean notebook
 * shows the new content without a page reload (same tab, same kernel); one with unsaved edits shows
 * the conflict banner before any save and keeps the edits. Real `quire serve`, real Chromium.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/quireServer';
import { appState, notebook, readJson, sourceOf } from './editorHelpers';
import { cellText, typeInCell } from './hostLoss';

/** Writes `a.ipynb` as another program would: a temp file renamed over it (an atomic save). */
function writeFromOutside(root: string, source: string): void {
  const path = join(root, 'a.ipynb');
  writeFileSync(`${path}.other-editor.tmp`, `${JSON.stringify(notebook([{ source }]), null, 1)}\n`);
  renameSync(`${path}.other-editor.tmp`, path);
}

/** The notebook is open, its kernel idle, and nothing unsaved (what the kernel recorded is saved). */
async function openAndClean(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('notebook')).toBeVisible();
  await expect.poll(() => appState<string>(page, 'kernels.status'), { timeout: 60_000 }).toBe('idle');
  await expect.poll(async () => (await appState<number>(page, 'files.savedVersion')) === (await appState<number>(page, 'notebook.version')), { timeout: 30_000 }).toBe(true);
}

test.describe('a clean notebook changed on disk', () => {
  test.use({ workspaceFiles: { 'a.ipynb': notebook([{ source: 'a = 1' }]) }, openPath: 'a.ipynb' });

  test('shows the new content without a reload, in the same tab, with the same kernel', async ({ page, url, root }) => {
    await openAndClean(page, url);
    const kernelId = await appState<string>(page, 'kernels.kernelId');
    // A marker on the page object: a page reload would lose it.
    await page.evaluate(() => { (window as unknown as { __marker: number }).__marker = 42; });
    writeFromOutside(root, 'a = 2  # from another program');
    await expect(page.getByTestId('cell').first()).toContainText('a = 2  # from another program');
    await expect(page.getByTestId('notice-banner')).toContainText('Reloaded: a.ipynb changed on disk.');
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);
    expect(await appState<string>(page, 'kernels.kernelId')).toBe(kernelId);
    await expect(page.getByTestId('tab')).toHaveCount(1);
    await expect(page.getByTestId('conflict-banner')).toHaveCount(0);
    // Its own saves are no news: an edit saved with Ctrl+S leaves no banner and no reload.
    await typeInCell(page, 0, ' + 1');
    await page.keyboard.press('ControlOrMeta+S');
    await expect.poll(() => sourceOf(readJson(root, 'a.ipynb').cells[0])).toBe('a = 2  # from another program + 1');
    await expect(page.getByTestId('save-state')).not.toHaveText('Unsaved changes');
    await expect(page.getByTestId('conflict-banner')).toHaveCount(0);
  });
});

test.describe('a notebook with unsaved edits changed on disk', () => {
  test.use({
    workspaceFiles: { 'a.ipynb': notebook([{ source: 'a = 1' }]), '../cfg/settings.json': { 'files.autosaveDelayMs': 600_000 } },
    // Autosave waits ten minutes: the edits are certainly unsaved when the file changes.
    serverEnv: { QUIRE_CONFIG_DIR: '{root}/../cfg' },
    openPath: 'a.ipynb',
  });

  test('the conflict banner appears before any save, and the edits stay', async ({ page, url, root }) => {
    await page.goto(url);
    await expect(page.getByTestId('notebook')).toBeVisible();
    await expect.poll(() => appState<string>(page, 'kernels.status'), { timeout: 60_000 }).toBe('idle');
    await typeInCell(page, 0, ' + 41');
    await expect.poll(() => cellText(page, 0)).toBe('a = 1 + 41');
    writeFromOutside(root, 'a = 100  # theirs');
    const banner = page.getByTestId('conflict-banner');
    await expect(banner).toBeVisible();
    // Nothing was saved or reloaded: the edits are in the page, the other program's bytes on disk.
    expect(await cellText(page, 0)).toBe('a = 1 + 41');
    expect(sourceOf(readJson(root, 'a.ipynb').cells[0])).toBe('a = 100  # theirs');
    await expect(page.getByTestId('save-state')).toHaveText('Not saved');
    // The person keeps their version: the save overwrites on purpose.
    await banner.getByRole('button', { name: 'Overwrite with my version' }).click();
    await expect(banner).toHaveCount(0);
    await expect.poll(() => readFileSync(join(root, 'a.ipynb'), 'utf8')).toContain('a = 1 + 41');
  });
});
