import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, startQuireServer, stopQuireServer, test } from './fixtures/quireServer';

/** A notebook with the usual kinds of output, so the dark theme is seen on real content. */
function sampleNotebook(): object {
  const code = (id: string, n: number, source: string, outputs: unknown[]) => ({ cell_type: 'code', id, metadata: {}, execution_count: n, source, outputs });
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: [
      { cell_type: 'markdown', id: 'md', metadata: {}, source: '# Sales review\n\nA **quick** look at `sales.csv`, with a [link](https://example.org).\n\n| region | total |\n|---|---:|\n| north | 1,204 |\n| south | 980 |' },
      code('c1', 1, 'import math\nfor i in range(3):\n    print(f"row {i}: {math.sqrt(i):.3f}")', [{ output_type: 'stream', name: 'stdout', text: 'row 0: 0.000\nrow 1: 1.000\nrow 2: 1.414\n' }]),
      code('c2', 2, 'total = sum(x * 2 for x in range(10))\ntotal', [{ output_type: 'execute_result', execution_count: 2, metadata: {}, data: { 'text/plain': '90' } }]),
      code('c3', 3, '1 / 0', [{ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['\u001b[0;31mZeroDivisionError\u001b[0m: division by zero'] }]),
      code('c4', 4, '{"a": [1, 2], "b": None}', [{ output_type: 'execute_result', execution_count: 4, metadata: {}, data: { 'application/json': { a: [1, 2], b: null }, 'text/plain': "{'a': [1, 2], 'b': None}" } }]),
    ],
  };
}

const background = (page: Page) => page.locator('.quire-main');
const LIGHT_BG = 'rgb(247, 248, 250)';
const DARK_BG = 'rgb(24, 27, 33)';

async function openNotebook(page: Page, url: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(url);
  // A just-restarted host on a loaded machine (kernels of other tests starting) can take a while.
  await expect(page.getByTestId('notebook')).toBeVisible({ timeout: 40_000 });
}

test('the theme setting applies at once in every tab and survives a restart of the host', async ({ browser }, testInfo) => {
  const base = mkdtempSync(join(tmpdir(), 'quire-e2e-settings-'));
  const root = join(base, 'workspace');
  const configDir = join(base, 'settings-folder');
  mkdirSync(root);
  writeFileSync(join(root, 'review.ipynb'), `${JSON.stringify(sampleNotebook(), null, 1)}\n`);
  const env = { QUIRE_CONFIG_DIR: configDir };
  let running = await startQuireServer(root, 'review.ipynb', env);
  const context = await browser.newContext({ viewport: { width: 1200, height: 860 } });
  try {
    const first = await context.newPage();
    const second = await context.newPage();
    await openNotebook(first, running.server.url);
    await openNotebook(second, running.server.url);
    await expect(background(first)).toHaveCSS('background-color', LIGHT_BG);

    // Ctrl+, opens the settings page; choosing Dark repaints this tab and the other one.
    await first.keyboard.press('Control+Comma');
    await expect(first.getByTestId('settings-page')).toBeVisible();
    await expect(first.getByTestId('settings-path')).toHaveText(join(configDir, 'settings.json'));
    await first.getByTestId('setting-theme').selectOption('dark');
    await expect(background(first)).toHaveCSS('background-color', DARK_BG);
    await expect(background(second)).toHaveCSS('background-color', DARK_BG);
    await expect(second.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(JSON.parse(readFileSync(join(configDir, 'settings.json'), 'utf8'))).toMatchObject({ theme: 'dark' });

    await first.keyboard.press('Escape');
    await expect(first.getByTestId('settings-page')).toBeHidden();
    // Monaco (its editors come in idle time) follows too.
    await expect(first.locator('.monaco-editor').first()).toHaveClass(/vs-dark/);
    await first.screenshot({ path: testInfo.outputPath('dark-notebook.png') });

    // A second start of the host (as `npm start` in browser mode does) reads the same settings.
    await context.close();
    await stopQuireServer(running.child);
    running = await startQuireServer(root, 'review.ipynb', env);
    const again = await browser.newPage();
    await openNotebook(again, running.server.url);
    await expect(again.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(background(again)).toHaveCSS('background-color', DARK_BG);

    // "Follow the system" follows the OS's light/dark switch live.
    await again.getByRole('button', { name: 'Settings' }).first().click();
    await again.getByTestId('setting-theme').selectOption('system');
    await expect(background(again)).toHaveCSS('background-color', LIGHT_BG);
    await again.emulateMedia({ colorScheme: 'dark' });
    await expect(background(again)).toHaveCSS('background-color', DARK_BG);
    await again.close();
  } finally {
    await context.close().catch(() => undefined);
    await stopQuireServer(running.child);
    rmSync(base, { recursive: true, force: true });
  }
});

test('a settings file that does not parse is reported with its location and left as it is', async ({ browser }) => {
  const base = mkdtempSync(join(tmpdir(), 'quire-e2e-settings-'));
  const root = join(base, 'workspace');
  const configDir = join(base, 'cfg');
  mkdirSync(root);
  mkdirSync(configDir);
  const broken = '{\n  "theme": "dark",\n  "editor.fontSize": 15,\n  oops\n}\n';
  writeFileSync(join(configDir, 'settings.json'), broken);
  const { child, server } = await startQuireServer(root, undefined, { QUIRE_CONFIG_DIR: configDir });
  const page = await browser.newPage();
  try {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Settings' }).first().click();
    await expect(page.getByTestId('settings-parse-error')).toContainText('line 4, column 3');
    await page.getByTestId('setting-theme').selectOption('dark');
    // The change applies for the session, the page says it was not saved, and the file is untouched.
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByTestId('settings-save-error')).toContainText('not saved');
    expect(readFileSync(join(configDir, 'settings.json'), 'utf8')).toBe(broken);
  } finally {
    await page.close();
    await stopQuireServer(child);
    rmSync(base, { recursive: true, force: true });
  }
});
