/**
 * Nothing typed is lost: switching notebooks right after typing, a host that dies (SIGKILL) or
 * stops (SIGTERM), a file deleted under the editor. Real `quire serve`, real Chromium.
 */
import type { ChildProcess } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, startQuireServer, stopQuireServer, test } from './fixtures/quireServer';
import { notebook, readJson, sourceOf } from './editorHelpers';
import { cellText, killHard, typeInCell, workspace } from './hostLoss';

test.describe('switching notebooks', () => {
  test.use({
    workspaceFiles: { 'a.ipynb': notebook([{ source: 'a = 1' }]), 'b.ipynb': notebook([{ source: 'b = 2' }]) },
    openPath: 'a.ipynb',
  });

  test('typing then opening another notebook at once: it opens in its own tab, the first keeps the edit and saves it', async ({ page, url, root }) => {
    await page.goto(url);
    await expect(page.getByTestId('notebook')).toBeVisible();
    await typeInCell(page, 0, ' + 41');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ControlOrMeta+O');
    await page.getByTestId('picker-entry').filter({ hasText: 'b.ipynb' }).click();
    const active = page.locator('[data-testid="document"][data-active="true"]');
    await expect(active.getByTestId('title')).toHaveText('b.ipynb');
    await expect(page.getByTestId('tab')).toHaveCount(2);
    // The first tab still holds the edit, and autosave writes it.
    await expect(page.locator('[data-testid="document"][data-active="false"]').getByTestId('cell').first()).toContainText('a = 1 + 41');
    await expect.poll(() => sourceOf(readJson(root, 'a.ipynb').cells[0]), { timeout: 30_000 }).toBe('a = 1 + 41');
  });
});

test.describe('a deleted file', () => {
  test.use({ workspaceFiles: { 'a.ipynb': notebook([{ source: 'a = 1' }]) }, openPath: 'a.ipynb' });

  test('is not recreated behind the person\'s back: the editor asks', async ({ page, url, root }) => {
    await page.goto(url);
    await expect(page.getByTestId('notebook')).toBeVisible();
    unlinkSync(join(root, 'a.ipynb'));
    await typeInCell(page, 0, ' + 1');
    await page.keyboard.press('ControlOrMeta+S');
    const banner = page.getByTestId('deleted-banner');
    await expect(banner).toContainText('deleted or renamed');
    await expect(page.getByTestId('save-state')).toHaveText('Not saved');
    await banner.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByTestId('close-confirm')).toBeVisible();
    await banner.getByRole('button', { name: 'Keep editing' }).click();
    await banner.getByRole('button', { name: 'Save here' }).click();
    await expect(banner).toHaveCount(0);
    expect(sourceOf(readJson(root, 'a.ipynb').cells[0])).toBe('a = 1 + 1');
  });
});

test.describe('the host goes away', () => {
  test('killed: the page says so, keeps editing and journals; a new host on the notebook offers the edits back', async ({ browser }) => {
    const { root, cleanup } = workspace();
    const started: ChildProcess[] = [];
    try {
      const first = await startQuireServer(root, 'a.ipynb');
      started.push(first.child);
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(first.server.url);
      await expect(page.getByTestId('notebook')).toBeVisible();

      await killHard(first.child);
      await expect(page.getByTestId('connection-banner')).toHaveText(/Lost connection to the Quire host — your edits are kept in this page/);
      await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'disconnected');
      await typeInCell(page, 0, ' + 99');
      await expect.poll(() => cellText(page, 0)).toBe('a = 1 + 99');
      await expect(page.getByTestId('save-state')).toHaveText('Unsaved changes');
      // The journal in the page's storage has the edit (written at once on the loss, then within 1 s of typing).
      await expect.poll(() => page.evaluate(() => {
        const key = Object.keys(localStorage).find((k) => k.startsWith('quire.recovery:'));
        const source = key ? (JSON.parse(localStorage.getItem(key) ?? '{}') as { notebook: { cells: Array<{ source: string | string[] }> } }).notebook.cells[0].source : '';
        return Array.isArray(source) ? source.join('') : source;
      })).toBe('a = 1 + 99');
      await page.close({ runBeforeUnload: false });

      // A new host where the old one was (same origin, so the same page storage; it takes over the token too).
      const second = await startQuireServer(root, 'a.ipynb', {}, first.server.port);
      started.push(second.child);
      const again = await context.newPage();
      await again.goto(second.server.url);
      const offer = again.getByTestId('recovery-banner');
      await expect(offer).toContainText('Recover unsaved changes from');
      expect(sourceOf(readJson(root, 'a.ipynb').cells[0])).toBe('a = 1');
      await offer.getByRole('button', { name: 'Restore' }).click();
      await expect.poll(() => cellText(again, 0)).toBe('a = 1 + 99');
      await again.keyboard.press('ControlOrMeta+S');
      await expect(again.getByTestId('dirty-marker')).toHaveCount(0);
      expect(sourceOf(readJson(root, 'a.ipynb').cells[0])).toBe('a = 1 + 99');
      await context.close();
      await stopQuireServer(second.child);
    } finally {
      for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      cleanup();
    }
  });

  test('stopped (SIGTERM) right after typing: the page saves before the host exits', async ({ page }) => {
    const { root, cleanup } = workspace();
    const { server, child } = await startQuireServer(root, 'a.ipynb');
    try {
      await page.goto(server.url);
      await expect(page.getByTestId('notebook')).toBeVisible();
      await typeInCell(page, 0, ' + 7');
      await expect(page.getByTestId('dirty-marker')).toBeVisible();
      await stopQuireServer(child);
      expect(sourceOf(readJson(root, 'a.ipynb').cells[0])).toBe('a = 1 + 7');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      cleanup();
    }
  });
});
