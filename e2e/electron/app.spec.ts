import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinaryPath, IS_ROOT, REPO_ROOT } from '../fixtures/environment';

/**
 * The desktop app itself. Where the Electron binary is not installed (it is downloaded by
 * electron's install script, which is skipped here: ELECTRON_SKIP_BINARY_DOWNLOAD=1), these are
 * reported as skipped with the reason — never as passed.
 */
const binary = electronBinaryPath();
test.skip(!binary, 'Electron binary not installed (node_modules/electron/dist is missing). On a machine that can reach GitHub: `node node_modules/electron/install.js`, then `npm run build`.');

const notebook = {
  nbformat: 4, nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [{ cell_type: 'code', id: 'c1', metadata: {}, execution_count: null, outputs: [], source: '21 * 2' }],
};

test.describe('Electron app', () => {
  let dir: string;
  test.beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quire-electron-'));
    writeFileSync(join(dir, 'demo.ipynb'), JSON.stringify(notebook));
  });
  test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const launch = () => electron.launch({
    executablePath: binary!,
    args: [...(IS_ROOT ? ['--no-sandbox'] : []), REPO_ROOT, join(dir, 'demo.ipynb')],
    env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), QUIRE_DATA_DIR: join(dir, 'data') },
  });

  test('opens the notebook from argv in a locked-down window', async () => {
    const app = await launch();
    try {
      const win = await app.firstWindow();
      expect(win.url()).toBe('quire://app/index.html');
      // What the page can reach: no Node (require/process), only the two-function bridge.
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await win.evaluate(() => Object.keys(window.nbHost ?? {}).sort())).toEqual(['onMessage', 'send']);
      await expect(win.getByTestId('title')).toContainText('demo.ipynb', { timeout: 30_000 });
      const cell = win.locator('[data-testid="cell"][data-cell-type="code"]').first();
      await cell.getByTestId('cell-editor').click();
      await win.keyboard.press('Shift+Enter');
      await expect(cell.getByTestId('cell-outputs')).toContainText('42', { timeout: 60_000 });
      await win.screenshot({ path: test.info().outputPath('electron-window.png') });
    } finally {
      await app.close();
    }
  });

  test('refuses navigation away from the app and new windows', async () => {
    const app = await launch();
    try {
      const win = await app.firstWindow();
      await win.evaluate(() => {
        window.location.href = 'https://example.com/';
      }).catch(() => undefined);
      await win.evaluate(() => void window.open('https://example.com/'));
      expect(win.url()).toBe('quire://app/index.html');
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
