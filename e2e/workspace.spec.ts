/**
 * Several notebooks in one window (tabs) against the browser host and Debian's ipykernel: three
 * notebooks open in tabs, cells of two run at the same time and their outputs never cross, a tab
 * closed during a run leaves the run going (listed after a reload and after a host restart), and
 * a tab with unsaved edits asks before it closes. Screenshots: e2e-results/screenshots/workspace-*.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, startQuireServer, stopQuireServer, test } from './fixtures/quireServer';
import { descendantPids } from './fixtures/processes';
import { notebook, readJson, shot, sourceOf } from './editorHelpers';

/** The active tab's document. */
const active = (page: Page): Locator => page.locator('[data-testid="document"][data-active="true"]');
const tab = (page: Page, name: string): Locator => page.getByTestId('tab').filter({ has: page.getByTestId('tab-label').getByText(name, { exact: true }) });

/** Opens `name` from the workspace with Ctrl+O, as a person would; it gets a tab of its own. */
async function openFromPicker(page: Page, name: string): Promise<void> {
  await active(page).getByTestId('notebook').focus();
  await page.keyboard.press('Control+O');
  await page.getByTestId('picker-entry').filter({ hasText: name }).click();
  await expect(tab(page, name)).toHaveAttribute('aria-selected', 'true');
  await expect(active(page).getByTestId('notebook')).toBeVisible();
}

async function runFirstCell(page: Page): Promise<void> {
  await active(page).getByTestId('cell').first().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');
}

// Cell A waits for the file cell B writes: the two run at the same time, whatever the machine's load.
const GO = 'go-signal';
test.describe('three notebooks in tabs', () => {
  test.use({
    workspaceFiles: {
      'a.ipynb': notebook([{ source: `import os, time\nfor i in range(3):\n    print("from A", i, flush=True)\nwhile not os.path.exists(${JSON.stringify(GO)}):\n    time.sleep(0.02)\nprint("A saw B", flush=True)` }]),
      'b.ipynb': notebook([{ source: `for i in range(3):\n    print("from B", i, flush=True)\nopen(${JSON.stringify(GO)}, "w").close()` }]),
      'c.ipynb': notebook([{ source: 'print("from C")' }]),
    },
    openPath: 'a.ipynb',
  });

  test('open in tabs, run in two at once: each cell shows only its own notebook\'s output; switching keeps each one', async ({ page, url }) => {
    await page.goto(url);
    await expect(active(page).getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 60_000 });
    await openFromPicker(page, 'b.ipynb');
    await openFromPicker(page, 'c.ipynb');
    await expect(page.getByTestId('tab')).toHaveCount(3);
    // Opening a notebook that is open shows its tab instead of a second copy.
    await openFromPicker(page, 'a.ipynb');
    await expect(page.getByTestId('tab')).toHaveCount(3);

    await expect(active(page).getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 60_000 });
    await runFirstCell(page);
    // A is waiting for B.
    await expect(active(page).getByTestId('cell').first()).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
    await expect(active(page).getByTestId('cell').first()).toContainText('from A 2');
    await tab(page, 'b.ipynb').click();
    await expect(active(page).getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 60_000 });
    await runFirstCell(page);
    await expect(active(page).getByTestId('cell').first()).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    const bOutput = await active(page).getByTestId('cell').first().locator('.quire-output-area').innerText();
    expect(bOutput).toContain('from B 2');
    expect(bOutput).not.toContain('from A');
    await tab(page, 'a.ipynb').click();
    await expect(active(page).getByTestId('cell').first()).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    const aOutput = await active(page).getByTestId('cell').first().locator('.quire-output-area').innerText();
    expect(aOutput).toContain('A saw B');
    expect(aOutput).not.toContain('from B');
    // C ran nothing.
    await tab(page, 'c.ipynb').click();
    await expect(active(page).getByTestId('cell').first().locator('.quire-output-area')).toHaveCount(0);
    await shot(page, 'workspace-tabs');
  });

  test('closing a tab with unsaved edits asks; "Keep open" keeps them, "Don\'t save" closes and stops its kernel', async ({ page, url, quire, root }) => {
    await page.goto(url);
    await expect(active(page).getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 60_000 });
    await openFromPicker(page, 'c.ipynb');
    await expect(active(page).getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 60_000 });
    const kernelsBefore = descendantPids(quire.pid).length;
    // Type into C (autosave waits 2 s; the close comes first).
    await active(page).getByTestId('cell').first().locator('.monaco-editor').click();
    await page.keyboard.insertText('# typed ');
    await expect(tab(page, 'c.ipynb').getByTestId('tab-dirty')).toBeVisible();
    await tab(page, 'c.ipynb').getByTestId('tab-close').click();
    await expect(page.getByTestId('close-prompt')).toBeVisible();
    await page.getByTestId('close-keep').click();
    await expect(page.getByTestId('close-prompt')).toHaveCount(0);
    await expect(active(page).getByTestId('cell').first()).toContainText('# typed');

    // Alt+W closes the active tab (the browser keeps Ctrl+W).
    await page.keyboard.press('Alt+W');
    await expect(page.getByTestId('close-prompt')).toBeVisible();
    await shot(page, 'workspace-close-prompt');
    await page.getByTestId('close-discard').click();
    await expect(page.getByTestId('tab')).toHaveCount(1);
    await expect(tab(page, 'a.ipynb')).toHaveAttribute('aria-selected', 'true');
    expect(sourceOf(readJson(root, 'c.ipynb').cells[0])).toBe('print("from C")');
    // Its kernel (and only its) is shut down.
    await expect.poll(() => descendantPids(quire.pid).length, { timeout: 30_000 }).toBeLessThan(kernelsBefore);
    await expect(active(page).getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle');
  });
});

test.describe('a run outlives its tab', () => {
  const RUN_GATE = 'release-run';
  test('close the tab during a run: the run finishes and is listed after reloading and after restarting the host', async ({ browser }) => {
    const base = mkdtempSync(join(tmpdir(), 'quire-e2e-'));
    const root = join(base, 'workspace');
    mkdirSync(root);
    writeFileSync(join(root, 'slow.ipynb'), JSON.stringify(notebook([
      { source: 'label = "base"', tags: ['parameters'] },
      { source: `import os, time\nprint("waiting", label, flush=True)\nwhile not os.path.exists(${JSON.stringify(join(root, RUN_GATE))}):\n    time.sleep(0.05)\nprint("released")` },
    ])));
    writeFileSync(join(root, 'other.ipynb'), JSON.stringify(notebook([{ source: '1' }])));
    let server = await startQuireServer(root, 'other.ipynb');
    try {
      const page = await browser.newPage();
      await page.goto(server.server.url);
      await expect(active(page).getByTestId('notebook')).toBeVisible();
      await openFromPicker(page, 'slow.ipynb');
      await page.keyboard.press('Control+Alt+P');
      await expect(page.getByTestId('run-dialog')).toBeVisible();
      await page.getByTestId('param-input-label').fill('outlives');
      await page.getByTestId('run-start').click();
      await expect(active(page).getByTestId('run-live-output')).toContainText('waiting outlives', { timeout: 60_000 });

      await tab(page, 'slow.ipynb').getByTestId('tab-close').click();
      await expect(page.getByTestId('close-prompt-runs')).toContainText('still going');
      await page.getByTestId('close-tab-confirm').click();
      await expect(page.getByTestId('tab')).toHaveCount(1);
      await expect(page.getByTestId('workspace-notice')).toContainText('keeps going');

      writeFileSync(join(root, RUN_GATE), '');
      await expect.poll(() => existsSync(join(root, 'runs')), { timeout: 60_000 }).toBe(true);
      const listed = async (p: Page) => {
        await openFromPicker(p, 'slow.ipynb');
        await p.keyboard.press('Control+Alt+R');
        const row = active(p).getByTestId('run-row').first();
        await expect(row.getByTestId('run-status')).toHaveText(/completed/i, { timeout: 60_000 });
        await expect(row).toContainText('outlives');
      };
      await listed(page);
      await page.reload();
      await expect(active(page).getByTestId('notebook')).toBeVisible();
      await listed(page);
      await shot(page, 'workspace-run-outlived-tab');
      await page.close();

      await stopQuireServer(server.child);
      server = await startQuireServer(root, 'other.ipynb');
      const again = await browser.newPage();
      await again.goto(server.server.url);
      await expect(active(again).getByTestId('notebook')).toBeVisible();
      await listed(again);
      await again.close();
    } finally {
      await stopQuireServer(server.child);
      rmSync(base, { recursive: true, force: true });
    }
  });
});
