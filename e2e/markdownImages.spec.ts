/**
 * Markdown images as real notebooks use them: files next to the notebook (relative paths, `../`,
 * spaces), https: images from the web, and the ones that cannot be shown (missing, outside the
 * workspace, http:), which show their alt text and why. Browser host, Debian's Chromium, ipykernel.
 */
import type { Request } from '@playwright/test';
import { expect, test } from './fixtures/quireServer';
import { gradientPng } from './fixtures/pngImage';
import { cell, notebook, shot } from './editorHelpers';

const PLOT = gradientPng(240, 90);
// The script and handler must never run: an SVG shown through <img> cannot run either.
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" onload="window.__svgPwned=1"><script>window.__svgPwned=2</script>'
  + '<rect width="64" height="64" rx="12" fill="#3b82d6"/><circle cx="32" cy="32" r="16" fill="#fff"/></svg>\n';

const FIGURES = [
  '# Figures',
  '',
  '![the plot](figures/my%20plot.png)',
  '',
  '<img src="../shared/logo.svg" alt="logo" width="48">',
  '',
  '![missing figure](figures/nope.png) ![outside](../../outside.png) ![insecure](http://images.quire.test/badge.png)',
  '',
  '![remote badge](https://images.quire.test/badge.png)',
].join('\n');

const MAKE_FIGURE = [
  'import shutil',
  'from IPython.display import Markdown',
  "shutil.copy('figures/my plot.png', 'figures/made by kernel.png')  # the kernel starts in the notebook's folder",
  "Markdown('![made by the kernel](<figures/made by kernel.png>)')",
].join('\n');

test.use({
  workspaceFiles: {
    'reports/analysis.ipynb': notebook([{ type: 'markdown', source: FIGURES }, { source: MAKE_FIGURE }]),
    'reports/figures/my plot.png': PLOT,
    'shared/logo.svg': LOGO,
    '../outside.png': gradientPng(12, 12),
  },
  // The workspace is the folder above the notebook's (`quire serve` on a file would serve its folder),
  // so `../shared/logo.svg` is inside it and images resolve from reports/, not from the workspace root.
  openPath: undefined,
});

test('markdown shows images next to the notebook and from https, and says why others are missing', async ({ page, url, quire }) => {
  // Relative images must be read through the host, never asked of the page's own origin.
  const appRequests: string[] = [];
  page.on('request', (r: Request) => {
    if (r.url().startsWith(quire.origin)) appRequests.push(new URL(r.url()).pathname);
  });
  // The web image comes from a route, so the test needs no network; it is only asked for if the CSP allows https: images.
  const remote: string[] = [];
  await page.route('https://images.quire.test/**', async (route) => {
    // No Referer: the page URL carries the host's token.
    remote.push(`${route.request().url()} referer=${(await route.request().allHeaders()).referer ?? 'none'}`);
    return route.fulfill({ contentType: 'image/png', body: gradientPng(88, 20) });
  });
  await page.goto(url);
  await page.getByTestId('folder-entry').filter({ hasText: 'reports' }).click();
  await page.getByTestId('folder-entry').filter({ hasText: 'analysis.ipynb' }).click();
  await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 60_000 });

  const md = cell(page, 0).getByTestId('markdown-rendered');
  await expect(md.locator('h1')).toHaveText('Figures');
  const naturalWidth = (alt: string) => md.locator(`img[alt="${alt}"]`).evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0));
  await expect.poll(() => naturalWidth('the plot')).toBe(240);
  await expect.poll(() => naturalWidth('logo')).toBe(64);
  await expect(md.locator('img[alt="logo"]')).toHaveAttribute('src', /^data:image\/svg\+xml;base64,/);
  await expect.poll(() => naturalWidth('remote badge')).toBe(88);
  expect(remote).toEqual(['https://images.quire.test/badge.png referer=none']);

  // What cannot be shown is its alt text, with the reason in the tooltip.
  const missing = md.getByTestId('markdown-image-missing');
  await expect(missing).toHaveText(['missing figure', 'outside', 'insecure']);
  await expect(missing.nth(0)).toHaveAttribute('title', /^figures\/nope\.png: .*\/reports\/figures\/nope\.png does not exist\.$/);
  await expect(missing.nth(1)).toHaveAttribute('title', /is outside the workspace folder/);
  await expect(missing.nth(2)).toHaveAttribute('title', /Only https: images/);
  await expect(md.locator('img')).toHaveCount(3);

  // A text/markdown output of a real kernel, naming a file the kernel has just written.
  await cell(page, 1).locator('.monaco-editor').click();
  await page.keyboard.press('Shift+Enter');
  const made = cell(page, 1).locator('.quire-output-markdown img[alt="made by the kernel"]');
  await expect.poll(() => made.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: 30_000 }).toBe(240);

  expect(await page.evaluate(() => (window as unknown as { __svgPwned?: number }).__svgPwned)).toBeUndefined();
  expect(appRequests.filter((p) => /figures|logo|outside/.test(decodeURIComponent(p)))).toEqual([]);
  await page.keyboard.press('Escape');
  await missing.nth(0).hover();
  await shot(page, 'markdown-images');
});
