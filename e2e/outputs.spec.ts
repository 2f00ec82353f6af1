import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsoleMessage, Page } from '@playwright/test';
import { expect, test } from './fixtures/quireServer';
import { REPO_ROOT } from './fixtures/environment';
import { gradientPng } from './fixtures/pngImage';

const PNG = gradientPng(160, 60).toString('base64');
let cellNo = 0;
const code = (source: string, outputs: unknown[]) => ({ cell_type: 'code', id: `code-${++cellNo}`, metadata: {}, execution_count: cellNo, source, outputs });
const display = (data: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({ output_type: 'display_data', data, metadata });
const result = (data: Record<string, unknown>) => ({ output_type: 'execute_result', execution_count: cellNo + 1, data, metadata: {} });

const DATAFRAME_HTML = `<div><table border="1" class="dataframe">
  <thead><tr style="text-align: right;"><th></th><th>city</th><th>population</th><th>area_km2</th></tr></thead>
  <tbody>
    <tr><th>0</th><td><a href="https://example.org/oslo">Oslo</a></td><td>709037</td><td>454.0</td></tr>
    <tr><th>1</th><td>Lima</td><td>10092000</td><td>2672.3</td></tr>
    <tr><th>2</th><td>Kyoto</td><td>1464890</td><td>827.8</td></tr>
  </tbody></table><p>3 rows × 3 columns</p></div>`;

const RESOURCE = {
  schema: { fields: [{ name: 'index', type: 'integer' }, { name: 'fruit', type: 'string' }, { name: 'count', type: 'integer' }], primaryKey: ['index'], pandas_version: '1.4.0' },
  data: [{ index: 0, fruit: 'apple', count: 3 }, { index: 1, fruit: 'pear', count: 5 }],
};

function outputsNotebook(): object {
  cellNo = 0;
  const cells = [
    {
      cell_type: 'markdown', id: 'md-1', metadata: {},
      source: [
        '# Outputs gallery\n', '\n',
        'Inline math $e^{i\\pi} + 1 = 0$ and a display formula:\n', '\n',
        '$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$\n', '\n',
        '| metric | value |\n', '|---|---:|\n', '| accuracy | 0.93 |\n', '\n',
        '- [x] load data\n', '- [ ] train ~~nothing~~ model\n', '\n',
        '```python\n', 'def area(r):\n', '    return 3.14 * r ** 2  # circle\n', '```\n', '\n',
        '![chart](attachment:chart.png) <img src="x" onerror="window.__pwned = 1">\n',
      ],
      attachments: { 'chart.png': { 'image/png': PNG } },
    },
    code("print('hello stdout')", [
      { output_type: 'stream', name: 'stdout', text: ['hello stdout\n', '\u001b[1;32mgreen\u001b[0m and \u001b[34mblue\u001b[0m\n'] },
      { output_type: 'stream', name: 'stderr', text: 'UserWarning: careful\n' },
    ]),
    code("raise ValueError('bad value')", [
      {
        output_type: 'error', ename: 'ValueError', evalue: 'bad value',
        traceback: ['\u001b[0;31m---------------------------------------------------------------------------\u001b[0m', '\u001b[0;31mValueError\u001b[0m                                Traceback (most recent call last)', "Cell \u001b[0;32mIn[3], line 1\u001b[0m\n\u001b[0;32m----> 1\u001b[0m \u001b[38;5;28;01mraise\u001b[39;00m \u001b[38;5;167;01mValueError\u001b[39;00m(\u001b[38;5;124m'\u001b[39m\u001b[38;5;124mbad value\u001b[39m\u001b[38;5;124m'\u001b[39m)\n", '\u001b[0;31mValueError\u001b[0m: bad value'],
      },
    ]),
    code('df', [result({ 'text/html': DATAFRAME_HTML, 'text/plain': '    city  population' })]),
    code('HTML(probe)', [display({ 'text/html': '<b id="probe">waiting</b><script>var p = document.getElementById("probe"); try { p.textContent = "reached:" + parent.document.title; } catch (e) { p.textContent = "parent blocked"; }</script>' })]),
    code('Javascript(...)', [display({ 'application/javascript': 'element.innerHTML = "<em>Hello from JavaScript</em>";', 'text/plain': '<IPython.core.display.Javascript object>' })]),
    code('plt.plot()', [display({ 'image/png': PNG, 'text/plain': '<Figure size 640x480>' }, { 'image/png': { width: 320, height: 120 } })]),
    code('SVG(...)', [display({ 'image/svg+xml': '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" onload="window.__pwned=2"><script>window.__pwned=3</script><rect width="120" height="60" rx="8" fill="#e8f0fc"/><circle cx="30" cy="30" r="20" fill="#3b82d6"/><text x="60" y="36" font-size="14">svg</text></svg>', 'text/plain': '<SVG>' })]),
    code('Markdown(...)', [display({ 'text/markdown': '### Markdown output\nWith **bold**, `code` and $\\alpha^2$.', 'text/plain': '<Markdown>' })]),
    code('Latex(...)', [display({ 'text/latex': '$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$', 'text/plain': '<Latex>' })]),
    code('JSON(...)', [display({ 'application/json': { model: 'ridge', params: { alpha: 0.5, fit_intercept: true }, scores: [0.91, 0.93, 0.92] }, 'text/plain': '<JSON>' })]),
    code('alt.Chart(...)', [display({
      'application/vnd.vegalite.v5+json': { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', width: 260, height: 120, data: { values: [{ a: 'A', b: 28 }, { a: 'B', b: 55 }, { a: 'C', b: 43 }] }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } },
      'text/plain': '<VegaLite 5 object>',
    })]),
    code('df (table schema)', [result({ 'application/vnd.dataresource+json': RESOURCE, 'text/html': '<table class="dataframe"><thead><tr><th></th><th>fruit</th><th>count</th></tr></thead><tbody><tr><th>0</th><td>apple</td><td>3</td></tr><tr><th>1</th><td>pear</td><td>5</td></tr></tbody></table>', 'text/plain': 'fruit count' })]),
    code("sb.glue('answer', 42)", [display({ 'application/scrapbook.scrap.json+json': { name: 'answer', data: 42, encoder: 'json', version: 1 } }, { scrapbook: { name: 'answer', data: true, display: false } })]),
    code('for i in range(1500): print(i)', [{ output_type: 'stream', name: 'stdout', text: Array.from({ length: 1500 }, (_, i) => `line ${i}\n`).join('') }]),
  ];
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } }, cells };
}

test.use({ workspaceFiles: { 'outputs.ipynb': outputsNotebook() }, openPath: 'outputs.ipynb' });

/** The output area of the n-th code cell (1-based), found by its cell id. */
const cellOutputs = (page: Page, n: number) => page.locator(`.quire-output-area[data-cell-id="code-${n}"]`);

test('renders saved outputs of every kind, safely', async ({ page, url }) => {
  const cspErrors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (process.env.QUIRE_E2E_DEBUG) console.log('console:', m.type(), m.text());
    // Chromium reports inline handlers met while DOMPurify parses untrusted HTML in its inert DOMParser
    // document (they never run there and are stripped); the DOM check below proves none survive.
    if (/Content Security Policy/i.test(m.text()) && !/^Executing inline event handler/.test(m.text())) cspErrors.push(m.text());
  });
  if (process.env.QUIRE_E2E_DEBUG) {
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => {
      const t = e.target as Element | null;
      console.log('VIOLATION', e.violatedDirective, e.sourceFile, e.lineNumber, e.columnNumber, e.sample, t && 'outerHTML' in t ? t.outerHTML.slice(0, 200) : String(t), new Error().stack);
    }, true));
  }
  // Tall enough that the virtualized notebook renders every cell (and the screenshot shows them all).
  await page.setViewportSize({ width: 1100, height: 7000 });
  await page.goto(url);
  await expect(page.locator('.quire-output-area').first()).toBeVisible({ timeout: 30_000 });

  // Markdown cell: GFM, math, task list, attachment image; the raw <img onerror> is defused.
  const md = page.locator('[data-testid="markdown-rendered"]').first();
  await expect(md.locator('h1')).toHaveText('Outputs gallery');
  await expect(md.locator('.katex')).toHaveCount(2);
  await expect(md.locator('.katex-display')).toHaveCount(1);
  await expect(md.locator('table td').last()).toHaveText('0.93');
  await expect(md.locator('input[type="checkbox"]')).toHaveCount(2);
  await expect(md.locator('s')).toHaveText('nothing');
  // Code fences coloured by monaco (the app has it loaded for code cells).
  await expect(md.locator('pre code.language-python span[class*="mtk"]').first()).toBeVisible();
  await expect(md.locator('pre code.language-python')).toContainText('def area(r):');
  const attachment = md.locator('img[alt="chart"]');
  await expect(attachment).toHaveAttribute('src', /^data:image\/png;base64,/);
  expect(await attachment.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);

  // Streams, stderr tinted, ANSI colours.
  await expect(cellOutputs(page, 1).locator('.quire-output-stream').first()).toContainText('hello stdout');
  await expect(cellOutputs(page, 1).locator('.ansi-green-fg')).toHaveText('green');
  await expect(cellOutputs(page, 1).locator('.is-stderr')).toContainText('UserWarning: careful');

  // Error with header and coloured traceback.
  await expect(cellOutputs(page, 2).locator('.quire-output-error-header')).toHaveText('ValueError: bad value');
  await expect(cellOutputs(page, 2).locator('.quire-output-traceback .ansi-red-fg').first()).toBeVisible();

  // HTML in a sandboxed frame, auto-sized, the DataFrame styled inside it.
  const tableFrame = cellOutputs(page, 3).locator('iframe');
  await expect(tableFrame).toHaveAttribute('sandbox', 'allow-scripts');
  await expect(page.frameLocator('.quire-output-area[data-cell-id="code-3"] iframe').locator('table.dataframe td').first()).toHaveText('Oslo');
  await expect.poll(async () => (await tableFrame.boundingBox())?.height ?? 0).toBeGreaterThan(100);
  // A link in a frame opens outside the app (a new window here; the system browser in Electron).
  await page.context().route('https://example.org/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>oslo</title>' }));
  const popup = page.waitForEvent('popup');
  await page.frameLocator('.quire-output-area[data-cell-id="code-3"] iframe').getByRole('link', { name: 'Oslo' }).click();
  expect((await popup).url()).toBe('https://example.org/oslo');
  await (await popup).close();

  // The frame runs scripts but cannot reach the app.
  await expect(page.frameLocator('.quire-output-area[data-cell-id="code-4"] iframe').locator('#probe')).toHaveText('parent blocked');
  await expect(page.frameLocator('.quire-output-area[data-cell-id="code-5"] iframe').locator('#output em')).toHaveText('Hello from JavaScript');

  // Images: PNG honouring width/height metadata; SVG sanitized.
  const png = cellOutputs(page, 6).locator('img');
  await expect(png).toHaveAttribute('width', '320');
  expect(await png.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.getBoundingClientRect().width])).toEqual([160, 320]);
  await expect(cellOutputs(page, 7).locator('.quire-output-svg svg circle')).toHaveCount(1);
  await expect(cellOutputs(page, 7).locator('.quire-output-svg script')).toHaveCount(0);

  // Markdown and LaTeX outputs.
  await expect(cellOutputs(page, 8).locator('h3')).toHaveText('Markdown output');
  await expect(cellOutputs(page, 8).locator('.katex')).toHaveCount(1);
  await expect(cellOutputs(page, 9).locator('.katex-display .mfrac')).toHaveCount(1);

  // JSON tree: nested objects open on click.
  const json = cellOutputs(page, 10).locator('.quire-json-tree');
  await expect(json).toContainText('"ridge"');
  await json.locator('button.json-toggle', { has: page.locator('.json-key', { hasText: /^params$/ }) }).click();
  await expect(json.locator('.json-boolean')).toHaveText('true');

  // Vega-Lite chart, drawn with the interpreter under the app's CSP.
  await expect(cellOutputs(page, 11).locator('.quire-output-vega[data-ready="true"] svg .mark-rect path')).toHaveCount(3, { timeout: 20_000 });

  // Table schema: the HTML table plus the explorer toggle.
  await expect(page.frameLocator('.quire-output-area[data-cell-id="code-12"] iframe').locator('td').first()).toHaveText('apple');
  await cellOutputs(page, 12).getByRole('button', { name: 'Explore data' }).click();
  await expect(cellOutputs(page, 12).getByTestId('data-explorer')).toBeVisible();
  await expect(cellOutputs(page, 12)).not.toContainText('Data explorer failed');

  // Scrapbook scraps are not shown in the cell.
  await expect(page.locator('[data-testid="cell"][data-cell-id="code-13"]')).toHaveCount(1);
  await expect(cellOutputs(page, 13)).toHaveCount(0);
  await expect(page.getByText('application/scrapbook')).toHaveCount(0);

  // Long output is cut at 1000 lines with "Show all", and the area scrolls with an expand toggle.
  const long = cellOutputs(page, 14);
  await expect(long.getByRole('status')).toContainText('500 more lines hidden');
  await expect(long.locator('.quire-output-scroller.is-scrolled')).toHaveCount(1);
  await expect(long.locator('.quire-output-scroller.is-overflowing')).toHaveCount(1);
  const scrollerHeight = async () => (await long.locator('.quire-output-scroller').boundingBox())?.height ?? 0;
  expect(await scrollerHeight()).toBeLessThan(700);
  await long.getByRole('button', { name: 'Expand output' }).click();
  await expect(long.getByRole('button', { name: 'Collapse output' })).toBeVisible();
  expect(await scrollerHeight()).toBeGreaterThan(5000);
  await long.getByRole('button', { name: 'Collapse output' }).click();
  await expect(long.locator('.quire-output-scroller.is-scrolled')).toHaveCount(1);

  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // No event-handler attributes anywhere in the app document (sanitizing, not just the CSP, stops them).
  const handlers = await page.evaluate(() => [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.outerHTML.slice(0, 160)));
  expect(handlers).toEqual([]);
  expect(cspErrors).toEqual([]);

  // A picture of it all, to look at.
  const dir = join(REPO_ROOT, 'e2e-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.locator('.quire-output-area').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(dir, 'outputs.png'), fullPage: true });
  await long.locator('.quire-output-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await long.screenshot({ path: join(dir, 'outputs-truncated.png') });
});
