/**
 * The explorer component alone in Chromium (renderer/explorer/harness, served by vite with the
 * app's CSP): awkward inputs render something sensible in every view — never a blank panel or a
 * crash — and charts draw without eval. Screenshots: e2e-results/screenshots/explorer-input-*.png.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import { shot } from './editorHelpers';
import { REPO_ROOT } from './fixtures/environment';
import { expect, test } from '@playwright/test';

let server: ViteDevServer;
let base: string;

test.beforeAll(async () => {
  server = await createServer({
    configFile: false,
    root: join(REPO_ROOT, 'renderer/explorer/harness'),
    server: { port: 0, host: '127.0.0.1', fs: { allow: [REPO_ROOT] } },
    logLevel: 'warn',
  });
  await server.listen();
  base = server.resolvedUrls!.local[0];
});
test.afterAll(async () => {
  await server?.close();
});

async function open(page: Page, name: string): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.text()) && !/Failed to load resource/.test(m.text())) problems.push(m.text());
  });
  await page.goto(`${base}?case=${name}`);
  return problems;
}

test('bad input: mixed types, lying schema, duplicates, nested, huge strings, time zones, NaN/Infinity', async ({ page }) => {
  const problems = await open(page, 'bad');
  const explorer = page.getByTestId('data-explorer');
  await expect(explorer.getByRole('note').filter({ hasText: 'Duplicate column name "dup"' })).toBeVisible();
  const header = explorer.getByRole('columnheader');
  await expect(header).toHaveCount(9);
  await expect(header.nth(2)).toContainText('lies');
  await expect(header.nth(2).locator('.qx-warn')).toHaveAttribute('title', /schema says number, but the values are 75% text, 25% numbers/);
  await expect(header.nth(4)).toContainText('dup (2)');
  const first = explorer.locator('.qx-row').first();
  await expect(first.locator('.qx-td').nth(5)).toHaveText('{"a":[1,2],"b":{"c":null}}');
  expect((await first.locator('.qx-td').nth(6).innerText()).length).toBeLessThanOrEqual(501);
  await expect(explorer.locator('.qx-row').nth(1).locator('.qx-td').nth(8)).toHaveText('∞');
  await shot(page, 'explorer-input-bad-grid');
  await explorer.getByRole('tab', { name: 'Summary' }).click();
  await expect(explorer.getByRole('region', { name: 'Summary of special' })).toContainText('±∞');
  await shot(page, 'explorer-input-bad-summary');
  await explorer.getByRole('tab', { name: 'Chart' }).click();
  await explorer.getByLabel('Chart type').selectOption('bar');
  await explorer.getByLabel('Chart x').selectOption({ label: 'mixed' });
  await expect(explorer.locator('.qx-vega[data-drawn="true"] canvas')).toBeVisible();
  await shot(page, 'explorer-input-bad-chart');
  expect(problems).toEqual([]);
});

test('zero rows, MultiIndex, not a table', async ({ page }) => {
  const problems = await open(page, 'empty');
  await expect(page.getByTestId('explorer-count')).toHaveText('0 rows · 3 columns');
  await expect(page.getByText('The table has no rows.')).toBeVisible();
  await page.getByRole('tab', { name: 'Summary' }).click();
  await expect(page.getByRole('region', { name: 'Summary of a' })).toContainText('count0');
  await page.getByRole('tab', { name: 'Chart' }).click();
  await expect(page.getByRole('note').filter({ hasText: 'No rows to chart.' })).toBeVisible();
  await shot(page, 'explorer-input-empty');

  await page.goto(`${base}?case=multiindex`);
  await expect(page.getByRole('columnheader')).toHaveText([/city/, /year/, /pop \/ total/, /pop \/ urban/]);
  await shot(page, 'explorer-input-multiindex');

  await page.goto(`${base}?case=notatable`);
  await expect(page.getByRole('alert')).toHaveText('This output cannot be explored: The data resource is text that is not JSON.');
  expect(problems).toEqual([]);
});

test('a saved view comes back: chart tab, filter and chart choice from the metadata', async ({ page }) => {
  const problems = await open(page, 'saved');
  const explorer = page.getByTestId('data-explorer');
  await expect(explorer.getByRole('tab', { name: 'Chart' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('explorer-count')).toContainText(/of 60 rows/);
  await expect(explorer.getByLabel('Chart aggregate')).toHaveValue('sum');
  await expect(explorer.locator('.qx-vega[data-drawn="true"] canvas')).toBeVisible();
  // Opening changed nothing: the metadata is written only when the user changes something.
  await expect(page.getByTestId('metadata-log')).toHaveAttribute('data-changes', '0');
  await explorer.getByLabel('Chart type').selectOption('line');
  await expect(page.getByTestId('metadata-log')).toHaveAttribute('data-changes', '1');
  await expect(page.getByTestId('metadata-log')).toContainText('"mark":"line"');
  await shot(page, 'explorer-input-saved');
  // PNG and SVG export and the CSV of the filtered rows download as files.
  const png = page.waitForEvent('download');
  await explorer.getByRole('button', { name: 'PNG' }).click();
  expect((await png).suggestedFilename()).toBe('chart.png');
  const svg = page.waitForEvent('download');
  await explorer.getByRole('button', { name: 'SVG' }).click();
  expect((await svg).suggestedFilename()).toBe('chart.svg');
  const csv = page.waitForEvent('download');
  await explorer.getByRole('button', { name: 'Export CSV' }).click();
  const file = await (await csv).path();
  const text = (await import('node:fs')).readFileSync(file!, 'utf8');
  const lines = text.trim().split('\n');
  expect(lines[0]).toBe('index,date,region,product,units,price,discount,returned');
  expect(lines.slice(1).every((l) => l.split(',')[2] === 'North')).toBe(true);
  expect(problems).toEqual([]);
});

test('a 100,000-row output is parsed and queried in a worker', async ({ page }) => {
  const problems = await open(page, 'big');
  const explorer = page.getByTestId('data-explorer');
  await expect(page.getByTestId('explorer-count')).toHaveText('100,000 rows · 8 columns', { timeout: 30_000 });
  expect(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('localWorker')))).toBe(true);
  await explorer.getByRole('columnheader').nth(5).getByRole('button').click(); // price ascending
  const priceOf = (i: number) => explorer.locator('.qx-row').nth(i).locator('.qx-td').nth(5).innerText();
  await expect.poll(async () => Number(await priceOf(0))).toBeLessThan(5.01);
  expect(Number(await priceOf(0))).toBeLessThanOrEqual(Number(await priceOf(1)));
  await explorer.getByLabel('Filter region').fill('north');
  await expect(page.getByTestId('explorer-count')).toHaveText(/^2\d,\d{3} of 100,000 rows/);
  await explorer.getByRole('tab', { name: 'Chart' }).click();
  await expect(explorer.locator('.qx-vega[data-drawn="true"] canvas')).toBeVisible({ timeout: 30_000 });
  await shot(page, 'explorer-input-big-worker');
  expect(problems).toEqual([]);
});

test('60 columns: scrolled right and down, the far columns show and every cell sits under its header', async ({ page }) => {
  const problems = await open(page, 'wide');
  await expect(page.getByTestId('explorer-count')).toHaveText('300 rows · 60 columns');
  const grid = page.getByTestId('explorer-grid');
  const header = (name: string) => grid.getByRole('columnheader').filter({ has: page.locator('.qx-th-name', { hasText: new RegExp(`^${name}$`) }) });
  await expect(header('c0')).toBeInViewport();
  await expect(header('c59')).toHaveCount(0);
  await grid.evaluate((el) => { el.scrollLeft = el.scrollWidth; el.scrollTop = 150 * 26; });
  await expect(header('c59')).toBeInViewport();
  await expect(header('c0')).toHaveCount(0);
  await expect(grid.locator('.qx-row[aria-rowindex="160"] .qx-td').last()).toHaveText('r159c59');
  // Each rendered cell carries its row and column; it must sit in that row, under that column's header.
  const placed = await grid.evaluate((el) => {
    const lefts = new Map([...el.querySelectorAll('[role="columnheader"]')].map((h) => [h.querySelector('.qx-th-name')!.textContent, h.getBoundingClientRect().left]));
    return [...el.querySelectorAll('.qx-row')].flatMap((row) => [...row.querySelectorAll('.qx-td')].map((cell) => {
      const [, r, c] = /^r(\d+)c(\d+)$/.exec(cell.textContent ?? '') ?? [];
      return { rowOk: Number(r) + 1 === Number(row.getAttribute('aria-rowindex')), offset: cell.getBoundingClientRect().left - (lefts.get(`c${c}`) ?? NaN) };
    }));
  });
  expect(placed.length).toBeGreaterThan(20);
  expect(placed.every((p) => p.rowOk && Math.abs(p.offset) < 1)).toBe(true);
  await shot(page, 'explorer-input-wide');
  expect(problems).toEqual([]);
});

test('1,500,000 rows: the compressed scroll range still reaches every row', async ({ page }) => {
  const problems = await open(page, 'tall');
  await expect(page.getByTestId('explorer-count')).toHaveText('1,500,000 rows · 2 columns', { timeout: 60_000 });
  const grid = page.getByTestId('explorer-grid');
  await grid.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(grid.locator('.qx-row[aria-rowindex="1500000"] .qx-td').first()).toHaveText('1499999');
  await grid.evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
  const middle = grid.locator('.qx-row .qx-td').first();
  await expect.poll(async () => Number(await middle.innerText())).toBeGreaterThan(700_000);
  // Rows sit in order and on screen under the compressed scrollTop.
  const tops = await grid.locator('.qx-row').evaluateAll((rows) => rows.map((r) => [Number(r.getAttribute('aria-rowindex')), r.getBoundingClientRect().top]));
  const sorted = [...tops].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i][1] - sorted[i - 1][1]).toBeCloseTo(26 * (sorted[i][0] - sorted[i - 1][0]), 0);
  await grid.evaluate((el) => { el.scrollTop = 0; });
  await expect(grid.locator('.qx-row[aria-rowindex="1"] .qx-td').first()).toHaveText('0');
  await shot(page, 'explorer-input-tall');
  expect(problems).toEqual([]);
});
