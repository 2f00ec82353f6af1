/**
 * The work gets out whatever goes away: a page closed abruptly with unsaved edits (they come back
 * from the host's journal in a browser with empty storage), and a host killed under the page
 * ("Download a copy" still hands the notebook over). Real `quire serve`, real Chromium.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, startQuireServer, stopQuireServer, test } from './fixtures/quireServer';
import { notebook, readJson, sourceOf } from './editorHelpers';
import { cellText, killHard, typeInCell, workspace } from './hostLoss';

/** The host's journal entry for `notebook` (the fixture points QUIRE_DATA_DIR at `<root>/../data`). */
function hostJournalText(root: string, notebook: string): string | undefined {
  const name = createHash('sha256').update(join(root, notebook)).digest('hex');
  try {
    const entry = JSON.parse(readFileSync(join(root, '..', 'data', 'recovery', `${name}.json`), 'utf8')) as { notebook: { cells: Array<{ source: string | string[] }> } };
    return sourceOf(entry.notebook.cells[0]);
  } catch {
    return undefined;
  }
}

test.describe('nothing is lost when the page cannot help', () => {
  test('a page closed abruptly with unsaved edits: a new browser (empty storage) on the same host is offered them, Restore brings them back', async ({ browser }) => {
    const { root, cleanup } = workspace();
    let child: ChildProcess | undefined;
    try {
      // Autosave waits ten minutes, so the typed text is unsaved when the file changes below.
      const configDir = join(root, '..', 'cfg');
      mkdirSync(configDir);
      writeFileSync(join(configDir, 'settings.json'), JSON.stringify({ 'files.autosaveDelayMs': 600_000 }));
      const started = await startQuireServer(root, 'a.ipynb', { QUIRE_CONFIG_DIR: configDir });
      child = started.child;
      const first = await browser.newContext();
      const page = await first.newPage();
      await page.goto(started.server.url);
      await expect(page.getByTestId('notebook')).toBeVisible();
      await typeInCell(page, 0, ' + 5');
      await expect.poll(() => cellText(page, 0)).toBe('a = 1 + 5');
      // Another program changes the file: the page shows the conflict at once and saves nothing
      // over it, so the typed text is only in the page and its journals when the page goes.
      writeFileSync(join(root, 'a.ipynb'), `${JSON.stringify(notebook([{ source: 'changed outside' }]), null, 1)}\n`);
      await expect(page.getByTestId('conflict-banner')).toBeVisible();
      await expect.poll(() => hostJournalText(root, 'a.ipynb')).toBe('a = 1 + 5');
      await page.close({ runBeforeUnload: false });
      await first.close();
      expect(sourceOf(readJson(root, 'a.ipynb').cells[0])).toBe('changed outside');

      const second = await browser.newContext();
      const again = await second.newPage();
      await again.goto(started.server.url);
      const offer = again.getByTestId('recovery-banner');
      await expect(offer).toContainText('Recover unsaved changes from');
      expect(await again.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('quire.recovery:')))).toEqual([]);
      await offer.getByRole('button', { name: 'Restore' }).click();
      await expect.poll(() => cellText(again, 0)).toBe('a = 1 + 5');
      // The restored edits were made on the file as it was: saving them meets the outside change.
      await again.keyboard.press('ControlOrMeta+S');
      await expect(again.getByTestId('conflict-banner')).toBeVisible();
      expect(sourceOf(readJson(root, 'a.ipynb').cells[0])).toBe('changed outside');
      await again.getByRole('button', { name: 'Overwrite with my version' }).click();
      await expect(again.getByTestId('dirty-marker')).toHaveCount(0);
      expect(sourceOf(readJson(root, 'a.ipynb').cells[0])).toBe('a = 1 + 5');
      // Saved: the host forgets the entry.
      await expect.poll(() => hostJournalText(root, 'a.ipynb')).toBeUndefined();
      await second.close();
      await stopQuireServer(child);
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      cleanup();
    }
  });

  test('a killed host: "Download a copy" in the banner hands over the notebook with what was typed', async ({ page }) => {
    const { root, cleanup } = workspace();
    const { server, child } = await startQuireServer(root, 'a.ipynb');
    try {
      await page.goto(server.url);
      await expect(page.getByTestId('notebook')).toBeVisible();
      await killHard(child);
      const banner = page.getByTestId('connection-banner');
      await expect(banner).toContainText('Lost connection to the Quire host');
      await typeInCell(page, 0, ' + 8');
      await expect.poll(() => cellText(page, 0)).toBe('a = 1 + 8');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        banner.getByRole('button', { name: 'Download a copy' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('a.ipynb');
      const saved = JSON.parse(readFileSync(await download.path(), 'utf8')) as { nbformat: number; cells: Array<{ source: string | string[] }> };
      expect(saved.nbformat).toBe(4);
      expect(sourceOf(saved.cells[0])).toBe('a = 1 + 8');
      // Still on the app (a download is not a navigation), still editing.
      await expect(page.getByTestId('notebook')).toBeVisible();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      cleanup();
    }
  });
});

test.describe('a host restarted on the same folder', () => {
  test('after SIGKILL, a new `quire serve` (no --port) takes its place: pages left open, by token and by launch cookie, reconnect by themselves and save their edits', async ({ browser }) => {
    const { root, cleanup } = workspace();
    const children: ChildProcess[] = [];
    try {
      const first = await startQuireServer(root, 'a.ipynb', {}, 'remembered');
      children.push(first.child);
      const context = await browser.newContext();
      const byToken = await context.newPage();
      await byToken.goto(first.server.url);
      // As `npm start` does: the launch page's one-time code becomes an HttpOnly session cookie; the page URL has no token.
      const byCookie = await context.newPage();
      await byCookie.goto(first.server.launchUrl);
      await expect(byCookie).toHaveURL(`${first.server.origin}/`);
      for (const page of [byToken, byCookie]) await expect(page.getByTestId('notebook')).toBeVisible();

      await killHard(first.child);
      for (const page of [byToken, byCookie]) {
        await expect(page.getByTestId('connection-banner')).toBeVisible();
        await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'disconnected');
      }
      await typeInCell(byCookie, 0, ' + 3');
      await expect.poll(() => cellText(byCookie, 0)).toBe('a = 1 + 3');
      expect(sourceOf(readJson(root, 'a.ipynb').cells[0])).toBe('a = 1');

      const second = await startQuireServer(root, 'a.ipynb', {}, 'remembered');
      children.push(second.child);
      expect({ port: second.server.port, token: second.server.token }).toEqual({ port: first.server.port, token: first.server.token });
      expect(second.server.output().stdout).toContain('Took the place of the earlier host on this folder');
      for (const page of [byToken, byCookie]) {
        await expect(page.getByTestId('connection-banner')).toHaveCount(0);
        await expect(page.getByTestId('kernel-status')).not.toHaveAttribute('data-status', 'disconnected');
      }
      // The edit typed while the host was gone reaches the disk (saved with the hash it was based on).
      await expect.poll(() => sourceOf(readJson(root, 'a.ipynb').cells[0])).toBe('a = 1 + 3');
      await expect(byCookie.getByTestId('dirty-marker')).toHaveCount(0);
      await context.close();
      // Stopped on purpose (SIGTERM): the record goes, so the next host starts with a new token.
      const record = join(root, '..', 'data', 'serve', `${createHash('sha256').update(root).digest('hex')}.json`);
      expect(existsSync(record)).toBe(true);
      await stopQuireServer(second.child);
      expect(existsSync(record)).toBe(false);
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      cleanup();
    }
  });
});
