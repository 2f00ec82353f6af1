/**
 * `window.__quire` (a handle on the app's stores, renderer/testHooks.ts) exists only in the
 * renderer's test build, dist/renderer-test/. The product build (dist/renderer/: `npm run build`,
 * `npm start`, the desktop app) has none of its code, so no page script, and nothing a notebook
 * brings into the page, finds a global door to the stores. `quire serve` serves the test build only
 * when its environment names it (QUIRE_RENDERER_DIR, set by e2e/fixtures/quireServer.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { REPO_ROOT, requireTestRenderer } from './fixtures/environment';
import { expect, test } from './fixtures/quireServer';
import { notebook, openNotebook } from './editorHelpers';

const PRODUCT_DIR = join(REPO_ROOT, 'dist', 'renderer');
/** The global's name, not `__quire_explorer__` (the Python helper's module, which ships on purpose). */
const HOOK = /__quire(?![\w$])/;

/** Every built file (code, source maps, HTML) that names the global. */
function filesNamingHook(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => HOOK.test(readFileSync(file, 'utf8')));
}

/** The app's chunk the page loaded (`assets/startApp-HASH.js`): which build was served. */
async function loadedStartApp(page: Page): Promise<string> {
  const names = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname));
  const chunk = names.find((n) => /\/assets\/startApp-[\w-]+\.js$/.test(n));
  expect(chunk, `the page loaded no startApp chunk: ${names.join(', ')}`).toBeDefined();
  return chunk!.replace(/^\//, '');
}

const workspaceFiles = { 'a.ipynb': notebook([{ type: 'markdown', source: '# Hooks' }]) };

test('the product build has no __quire code; the test build has it', () => {
  expect(existsSync(join(PRODUCT_DIR, 'index.html')), `${PRODUCT_DIR} is missing: run \`npm run build\``).toBe(true);
  expect(filesNamingHook(PRODUCT_DIR)).toEqual([]);
  expect(filesNamingHook(requireTestRenderer()).length).toBeGreaterThan(0);
});

test.describe('quire serve on the product build', () => {
  test.use({ workspaceFiles, openPath: 'a.ipynb', serverEnv: { QUIRE_RENDERER_DIR: PRODUCT_DIR } });

  test('the page has no window.__quire', async ({ page, url }) => {
    await openNotebook(page, url, { kernel: false });
    // The notebook rendered: startApp is past the point where the test build sets the global.
    await expect(page.getByTestId('markdown-rendered').locator('h1')).toHaveText('Hooks');
    expect(existsSync(join(PRODUCT_DIR, await loadedStartApp(page))), 'the page runs the product build').toBe(true);
    expect(await page.evaluate(() => typeof (window as unknown as { __quire?: unknown }).__quire)).toBe('undefined');
  });
});

test.describe('quire serve for the tests (the test build)', () => {
  test.use({ workspaceFiles, openPath: 'a.ipynb' });

  test('the page has window.__quire with the stores', async ({ page, url }) => {
    await openNotebook(page, url, { kernel: false });
    await expect(page.getByTestId('markdown-rendered').locator('h1')).toHaveText('Hooks');
    expect(existsSync(join(requireTestRenderer(), await loadedStartApp(page))), 'the page runs the test build').toBe(true);
    expect(await page.evaluate(() => {
      const hooks = (window as unknown as { __quire?: { store: { getState(): { notebook: { cells: unknown[] } } } } }).__quire;
      return hooks?.store.getState().notebook.cells.length;
    })).toBe(1);
  });
});
