/**
 * The data explorer in the real app: a cell makes a 200,000-row pandas frame, the output's
 * "Explore data" toggle opens the explorer on the LIVE frame in Debian's ipykernel, then sort,
 * filter, summary, chart, the saved view in the notebook file, and the fallback to the output's
 * rows once the frame is deleted. Screenshots go to e2e-results/screenshots/explorer-*.png.
 */
import type { Page } from '@playwright/test';
import { cell, commandMode, openNotebook, readJson, shot } from './editorHelpers';
import { expect, test } from './fixtures/quireServer';

const FRAME = [
  'import numpy as np, pandas as pd',
  'from IPython.display import display',
  'n = 200_000',
  'df = pd.DataFrame({',
  "    'id': np.arange(n),",
  "    'value': (np.arange(n) * 7919 % 10007) / 100,",
  "    'city': np.array(['Oslo', 'Lima', 'Kyoto', 'Accra'])[np.arange(n) % 4],",
  "    'when': pd.date_range('2024-01-01', periods=n, freq='min'),",
  '})',
  // display() rather than a bare `df`, so IPython's Out[] does not keep the frame alive.
  'display(df)',
].join('\n');

const code = (id: string, source: string, metadata: object = {}) => ({ cell_type: 'code', id, metadata, source, execution_count: null, outputs: [] });

test.use({
  workspaceFiles: {
    'explore.ipynb': {
      cells: [
        code('frame', FRAME),
        code('drop', 'del df\nimport gc; gc.collect()'),
      ],
      metadata: { kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
      nbformat: 4,
      nbformat_minor: 5,
    },
  },
  openPath: 'explore.ipynb',
});

const grid = (page: Page) => page.getByTestId('explorer-grid');
/** Text of column `c` in the first `n` rendered rows. */
async function column(page: Page, c: number, n: number): Promise<string[]> {
  const rows = grid(page).locator('.qx-row');
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await rows.nth(i).locator('.qx-td').nth(c).innerText());
  return out;
}

/** A screenshot with the explorer at the top of the window. */
async function explorerShot(page: Page, name: string): Promise<void> {
  await page.getByTestId('data-explorer').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, name);
}

async function runCell(page: Page, index: number): Promise<void> {
  await cell(page, index).click({ position: { x: 4, y: 4 } });
  await commandMode(page);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(page, index)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
}

test('explore a live 200,000-row frame: sort, filter, summary, chart, fallback', async ({ page, url }) => {
  await openNotebook(page, url);
  // No set-up cell: the app installs the explorer helper and pandas' table schema when the kernel starts.
  await runCell(page, 0);
  const output = cell(page, 0).getByTestId('cell-outputs');
  await output.getByRole('button', { name: 'Explore data' }).click();

  const explorer = page.getByTestId('data-explorer');
  await expect(page.getByTestId('explorer-status')).toContainText('Live', { timeout: 30_000 });
  await expect(page.getByTestId('explorer-count')).toHaveText('200,000 rows · 5 columns');
  await expect(explorer).toHaveAttribute('data-source', 'kernel');
  await expect(grid(page).locator('.qx-row').first()).toContainText('Oslo');

  // Sort by value: ascending, ties stable (value 0 at ids 0, 10007, 20014 …).
  await grid(page).getByRole('button', { name: /value/ }).click();
  await expect.poll(() => column(page, 1, 3)).toEqual(['0', '10007', '20014']);
  expect(await column(page, 2, 3)).toEqual(['0', '0', '0']);
  // Scroll deep into the sorted frame: rows arrive by page from the kernel.
  await grid(page).evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(grid(page).locator('.qx-row[aria-rowindex="200000"]')).toContainText('100.06');
  await grid(page).evaluate((el) => { el.scrollTop = 0; });
  await explorerShot(page, 'explorer-sorted');

  // Filter: city contains "os" (case-insensitive) keeps Oslo only.
  await grid(page).getByLabel('Filter city').fill('OS');
  await expect(page.getByTestId('explorer-count')).toHaveText('50,000 of 200,000 rows · 5 columns');
  await expect.poll(async () => new Set(await column(page, 3, 5))).toEqual(new Set(['Oslo']));
  await explorerShot(page, 'explorer-filtered');

  await explorer.getByRole('tab', { name: 'Summary' }).click();
  const value = explorer.getByRole('region', { name: 'Summary of value' });
  await expect(value).toContainText('count50,000');
  await explorerShot(page, 'explorer-summary');

  // Chart: mean value by city over the whole frame (filter cleared), drawn by vega in a canvas.
  await explorer.getByRole('button', { name: 'Clear filters' }).click();
  await explorer.getByRole('tab', { name: 'Chart' }).click();
  await explorer.getByLabel('Chart type').selectOption('bar');
  await explorer.getByLabel('Chart x').selectOption({ label: 'city' });
  await explorer.getByLabel('Chart y').selectOption({ label: 'value' });
  await explorer.getByLabel('Chart aggregate').selectOption('mean');
  await expect(explorer.getByText('Computing…')).toHaveCount(0);
  await expect(explorer.locator('.qx-vega[data-drawn="true"] canvas')).toBeVisible();
  await explorerShot(page, 'explorer-chart-bar');
  await explorer.getByLabel('Chart type').selectOption('heatmap');
  await explorer.getByLabel('Chart x').selectOption({ label: 'when' });
  await explorer.getByLabel('Chart y').selectOption({ label: 'value' });
  await expect(explorer.getByText('Computing…')).toHaveCount(0);
  await expect(explorer.locator('.qx-vega[data-drawn="true"] canvas')).toBeVisible();
  await explorerShot(page, 'explorer-chart-heatmap');
  await explorer.getByLabel('Chart type').selectOption('scatter');
  await expect(explorer.getByRole('note').filter({ hasText: 'Sampled 3,000 of 200,000 points' })).toBeVisible();
  await expect(explorer.locator('.qx-vega[data-drawn="true"] canvas')).toBeVisible();
  // Bars over a column with thousands of distinct values: drawn as bins, and the chart says so.
  await explorer.getByLabel('Chart type').selectOption('bar');
  await explorer.getByLabel('Chart x').selectOption({ label: 'value' });
  await expect(explorer.getByRole('note').filter({ hasText: 'value has too many distinct values to draw one by one; binned into 30 intervals.' })).toBeVisible();
  await expect(explorer.locator('.qx-vega[data-drawn="true"] canvas')).toBeVisible();

  // Delete the frame in the kernel: reopening explores the output's rows and says why.
  await runCell(page, 1);
  // The frame's cell is not selected: one click on a button in its output both selects it and acts.
  await output.getByRole('button', { name: 'Show table' }).click();
  await expect(cell(page, 0)).toHaveClass(/is-active/);
  await output.getByRole('button', { name: 'Explore data' }).click();
  await expect(page.getByTestId('explorer-status')).toContainText("Exploring only the 60 rows in the output of the dataframe's 200,000", { timeout: 30_000 });
  await expect(page.getByTestId('explorer-status')).toContainText('no longer in the kernel');
  await expect(page.getByTestId('data-explorer')).toHaveAttribute('data-source', 'local');
  await explorerShot(page, 'explorer-fallback');
});

test('the chosen view is saved in the output metadata of the notebook file', async ({ page, url, root }) => {
  await openNotebook(page, url);
  await runCell(page, 0);
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  await cell(page, 0).getByTestId('cell-outputs').getByRole('button', { name: 'Explore data' }).click();
  // Choosing a view is a change to the notebook: it is unsaved until Ctrl+S.
  await expect(page.getByTestId('dirty-marker')).toHaveCount(1);
  await grid(page).getByRole('button', { name: /value/ }).click();
  await page.getByTestId('data-explorer').getByRole('tab', { name: 'Chart' }).click();
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
  const outputs = readJson(root, 'explore.ipynb').cells[0].outputs as Array<{ metadata: { quire?: { explorer?: unknown } } }>;
  expect(outputs.find((o) => o.metadata.quire?.explorer)?.metadata.quire?.explorer).toMatchObject({ tab: 'chart', view: { sort: [{ column: 2, descending: false }] } });
});
