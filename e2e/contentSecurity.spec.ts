/**
 * Notebook content is hostile to the app (docs/architecture.md, "Outputs and markdown"): it must not
 * dress up as the app (a position:fixed "sign-in screen" over the window) and its links must not
 * navigate the app (an OSC-8 link in a stream did) or open windows without a click (a script in an
 * output frame posting link messages). Browser host, Debian's Chromium, a saved notebook (no kernel).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/quireServer';
import { cell, openNotebook } from './editorHelpers';

const FAKE_SIGN_IN = [
  '<div id="fake-signin" style="position:fixed; inset:0; z-index:2147483647; background:#fff; transform:scale(1.01)">',
  '<h1>Sign in to Quire</h1><p>Your session expired. Password: ________</p></div>',
  '',
  '<div id="fake-backdrop" class="quire-modal-backdrop">backdrop</div>',
  '',
  'After the fake screen.',
].join('\n');

const osc8 = (url: string, text: string) => `\u001b]8;;${url}\u001b\\${text}\u001b]8;;\u001b\\`;

// A frame whose script keeps posting link messages by itself (no click) until the test stops it, and a
// button that posts three per click.
const FRAME_HTML = [
  '<a id="frame-link" href="https://quire.invalid/frame">frame link</a> ',
  '<button id="multi" onclick="for (var i = 0; i < 3; i++) parent.postMessage({ type: \'quire-frame:link\', href: \'https://quire.invalid/multi-\' + i, activated: true }, \'*\')">three links</button>',
  "<script>window.__spam = setInterval(function () { parent.postMessage({ type: 'quire-frame:link', href: 'https://quire.invalid/spam', activated: true }, '*'); }, 20);</script>",
].join('');

const NOTEBOOK = {
  cells: [
    { cell_type: 'markdown', id: 'fake', metadata: {}, source: FAKE_SIGN_IN },
    {
      cell_type: 'code', id: 'stream', metadata: {}, execution_count: 1, source: 'print(link)',
      outputs: [{ output_type: 'stream', name: 'stdout', text: `docs: ${osc8('https://quire.invalid/osc8', 'open the docs')} | bad: ${osc8('javascript:alert(1)', 'js link')}\n` }],
    },
    {
      cell_type: 'code', id: 'frame', metadata: {}, execution_count: 2, source: 'HTML(...)',
      outputs: [{ output_type: 'display_data', data: { 'text/html': FRAME_HTML }, metadata: {} }],
    },
  ],
  metadata: { kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
  nbformat: 4,
  nbformat_minor: 5,
};

test.use({ workspaceFiles: { 'hostile.ipynb': NOTEBOOK }, openPath: 'hostile.ipynb' });

/** The element at a point, described by whether it lies in the app's own UI or in notebook content. */
function whatIsAt(page: Page, x: number, y: number): Promise<{ fake: boolean; inContent: boolean; testIds: string[] }> {
  return page.evaluate(([px, py]) => {
    const el = document.elementFromPoint(px, py);
    const testIds: string[] = [];
    for (let e = el; e; e = e.parentElement) if (e.getAttribute('data-testid')) testIds.push(e.getAttribute('data-testid')!);
    return { fake: !!el?.closest('#fake-signin, #fake-backdrop, #injected'), inContent: !!el?.closest('.quire-markdown'), testIds };
  }, [x, y] as const);
}

test('markdown cannot cover the app: styles are filtered and content is contained in its cell', async ({ page, url }) => {
  await openNotebook(page, url, { kernel: false });
  const md = cell(page, 0).getByTestId('markdown-rendered');
  await expect(md).toContainText('After the fake screen.');
  await expect(md.locator('#fake-signin')).not.toHaveAttribute('style', /position|z-index|inset|transform/);
  await expect(md.locator('#fake-backdrop')).not.toHaveClass(/quire-modal-backdrop/);

  const title = await page.getByTestId('title').boundingBox();
  const viewport = page.viewportSize()!;
  // The toolbar and the bottom of the window are the app's, not the notebook's.
  expect(await whatIsAt(page, title!.x + title!.width / 2, title!.y + title!.height / 2)).toMatchObject({ fake: false, testIds: expect.arrayContaining(['title']) });
  expect((await whatIsAt(page, viewport.width / 2, viewport.height - 5)).fake).toBe(false);
  const cellBox = (await md.boundingBox())!;
  const fakeBox = (await md.locator('#fake-signin').boundingBox())!;
  expect(fakeBox.y).toBeGreaterThanOrEqual(cellBox.y - 1);
  expect(fakeBox.y + fakeBox.height).toBeLessThanOrEqual(cellBox.y + cellBox.height + 1);

  // The second fence (CSS containment): even a fixed, top-most element that got past the sanitizer
  // is positioned and clipped inside its markdown box.
  await md.evaluate((el) => {
    const div = document.createElement('div');
    div.id = 'injected';
    div.style.cssText = 'position:fixed; inset:0; z-index:2147483647; background:red';
    el.appendChild(div);
  });
  const injected = (await md.locator('#injected').boundingBox())!;
  expect(injected.height).toBeLessThanOrEqual(cellBox.height + 1);
  expect(injected.y).toBeGreaterThanOrEqual(cellBox.y - 1);
  expect(await whatIsAt(page, title!.x + title!.width / 2, title!.y + title!.height / 2)).toMatchObject({ fake: false, testIds: expect.arrayContaining(['title']) });
  expect((await whatIsAt(page, viewport.width / 2, viewport.height - 5)).fake).toBe(false);
});

test('links from content open outside the app, never navigate it, and an output frame opens one link per click', async ({ page, url, context }) => {
  // Popups load a stand-in page: no network needed.
  await context.route('https://quire.invalid/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>outside</title>outside' }));
  const nextPopup = () => context.waitForEvent('page').then(async (p) => {
    await p.waitForURL(/^https:\/\/quire\.invalid\//);
    return p.url();
  });
  await openNotebook(page, url, { kernel: false });
  const appUrl = page.url();

  const frame = page.frameLocator('iframe.quire-output-frame');
  await expect(frame.locator('#frame-link')).toBeVisible();

  // OSC-8 link in a stream: a new page with the link, and the app stays where it is. Meanwhile the
  // frame keeps asking for links: the gestures made outside it (this click, a click on a cell, typing)
  // must not open them.
  const streamOut = cell(page, 1).getByTestId('cell-outputs');
  await expect(streamOut).toContainText('open the docs');
  const link = streamOut.getByText('open the docs');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  const popup = nextPopup();
  await link.click();
  expect(await popup).toBe('https://quire.invalid/osc8');
  expect(page.url()).toBe(appUrl);
  await expect(page.getByTestId('notebook')).toBeVisible();
  await cell(page, 0).click();
  await page.keyboard.press('ArrowDown');
  // The javascript: one is not a link at all.
  await expect(streamOut.locator('a')).toHaveCount(1);

  // Stop the frame's requests, and let every message it sent reach the app (one frame's messages arrive in order).
  const outputFrame = page.frames().find((f) => f.url().includes('outputFrame'))!;
  await page.evaluate(() => {
    (window as unknown as { __drained: Promise<void> }).__drained = new Promise<void>((resolve) => {
      window.addEventListener('message', (e) => {
        if ((e.data as { type?: string })?.type === 'test:drained') resolve();
      });
    });
  });
  await outputFrame.evaluate(() => {
    clearInterval((window as unknown as { __spam: number }).__spam);
    parent.postMessage({ type: 'test:drained' }, '*');
  });
  await page.evaluate(() => (window as unknown as { __drained: Promise<void> }).__drained);
  const others = () => context.pages().filter((p) => p !== page).map((p) => p.url());
  expect(others(), 'only the OSC-8 link opened; nothing the frame asked for without a click in it').toEqual(['https://quire.invalid/osc8']);

  // Clicking the frame's link opens exactly that one.
  const framePopup = nextPopup();
  await frame.locator('#frame-link').click();
  expect(await framePopup).toBe('https://quire.invalid/frame');
  // One click that posts three link messages opens one page; the next click opens the next.
  const multiPopup = nextPopup();
  await frame.locator('#multi').click();
  expect(await multiPopup).toBe('https://quire.invalid/multi-0');
  const again = nextPopup();
  await frame.locator('#frame-link').click();
  expect(await again).toBe('https://quire.invalid/frame');
  await expect.poll(others).toEqual([
    'https://quire.invalid/osc8', 'https://quire.invalid/frame', 'https://quire.invalid/multi-0', 'https://quire.invalid/frame',
  ]);
  expect(page.url()).toBe(appUrl);
});
