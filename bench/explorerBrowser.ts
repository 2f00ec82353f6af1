// Browser half of the explorer benchmark: the real app (`quire serve` + Debian's Chromium + a real
// ipykernel) exploring a live 1,000,000-row frame. Measures what the user waits for (open, sort,
// filter, chart) and the longest main-thread task during each action (PerformanceObserver
// 'longtask'), plus frame gaps while the grid scrolls. Imported by explorer.bench.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { pythonStartupCode } from '../src/explorer/pythonHelper';

export interface BrowserRow { name: string; ms: number; longestTaskMs: number; targetMs?: number; note?: string }

async function serve(path: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/quire.js', 'serve', path, '--no-browser', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`quire serve printed no URL: ${out}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`quire serve exited ${code}: ${out}`)); });
  });
  return { child, url };
}

/**
 * Runs `action` and waits until `done` (an expression over `document`, checked in the page on
 * every animation frame) holds. Time is taken in the page, from the user's input event (the
 * first pointerdown/input/change after arming; the arming time when the action sends none) to
 * the first frame where `done` holds, so neither Playwright's actionability checks nor its
 * polling interval count. Also reports the longest main-thread task meanwhile.
 */
async function measure(page: Page, name: string, action: () => Promise<void>, done: string, targetMs?: number): Promise<BrowserRow> {
  await page.evaluate(`(() => {
    const w = window;
    w.__long = [];
    w.__armedAt = performance.now();
    w.__actionAt = undefined;
    const mark = () => { if (w.__actionAt === undefined) w.__actionAt = performance.now(); };
    for (const type of ['pointerdown', 'input', 'change']) addEventListener(type, mark, { capture: true, once: true });
  })()`);
  await action();
  const ms = await waitInPage(page, done, '(performance.now() - (window.__actionAt ?? window.__armedAt))');
  await page.waitForTimeout(50);
  const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
  return { name, ms, longestTaskMs: Math.max(0, ...long), targetMs };
}

/**
 * Waits until `condition` holds, checked in the page on every animation frame, and resolves with
 * `result` evaluated then. (A string through page.evaluate: the app's CSP forbids
 * page.waitForFunction's eval.)
 */
function waitInPage(page: Page, condition: string, result = 'true'): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const deadline = performance.now() + 60000;
    const check = () => {
      if (${condition}) resolve(${result});
      else if (performance.now() > deadline) reject(new Error('timed out waiting for ' + ${JSON.stringify(condition)}));
      else requestAnimationFrame(check);
    };
    check();
  })`) as Promise<number>;
}

export async function browserBench(makeFrame: string): Promise<BrowserRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'quire-bench-explorer-ui-'));
  const cell = (id: string, source: string) => ({ cell_type: 'code', id, metadata: {}, source, execution_count: null, outputs: [] });
  writeFileSync(join(dir, 'big.ipynb'), JSON.stringify({
    cells: [cell('setup', pythonStartupCode({ tableSchema: true })), cell('frame', `${makeFrame}\nfrom IPython.display import display\ndisplay(df)`)],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, nbformat: 4, nbformat_minor: 5,
  }));
  const { child, url } = await serve(join(dir, 'big.ipynb'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  const rows: BrowserRow[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await page.getByTestId('kernel-status').and(page.locator('[data-status="idle"]')).waitFor({ timeout: 60_000 });
    for (const i of [0, 1]) {
      const c = page.getByTestId('cell').nth(i);
      await c.click({ position: { x: 4, y: 4 } });
      await page.keyboard.press('Escape');
      await page.keyboard.press('ControlOrMeta+Enter');
      await c.and(page.locator('[data-state="done"]')).waitFor({ timeout: 120_000 });
    }
    await page.evaluate(() => {
      const w = window as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__long.push(e.duration); }).observe({ type: 'longtask' });
    });
    const output = page.getByTestId('cell').nth(1).getByTestId('cell-outputs');
    const explorer = page.getByTestId('data-explorer');
    const grid = page.getByTestId('explorer-grid');
    const count = page.getByTestId('explorer-count');
    const q = (selector: string) => `document.querySelector(${JSON.stringify(selector)})`;
    const gridRowShown = `!!${q('[data-testid="explorer-grid"] .qx-row .qx-td')}`;
    const countText = `(${q('[data-testid="explorer-count"]')}?.textContent ?? '')`;
    rows.push(await measure(page, 'UI: open the explorer on the live frame (first rows shown)', () => output.getByRole('button', { name: 'Explore data' }).click(),
      `(${q('[data-testid="explorer-status"]')}?.textContent ?? '').includes('Live') && ${countText}.startsWith('1,000,000 rows') && ${gridRowShown}`, 1000));

    // Scroll through the grid: 60 animation frames, 40,000 px each; record the frame gaps.
    await page.evaluate(() => { (window as unknown as { __long: number[] }).__long = []; });
    // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
    const gaps = await page.evaluate(`new Promise((resolve) => {
      const el = document.querySelector('[data-testid="explorer-grid"]');
      const out = [];
      let last = performance.now();
      let n = 0;
      const step = (t) => {
        out.push(t - last);
        last = t;
        el.scrollTop += 40000;
        if (++n < 60) requestAnimationFrame(step);
        else resolve(out);
      };
      requestAnimationFrame(step);
    })`) as number[];
    const scrollLong = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
    const sorted = gaps.slice(1).sort((a, b) => a - b);
    rows.push({ name: 'UI: grid scroll, 60 frames x 40,000 px (worst frame gap)', ms: sorted[sorted.length - 1], longestTaskMs: Math.max(0, ...scrollLong), note: `median frame ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms` });
    rows.push(await measure(page, 'UI: rows appear after the scroll', async () => undefined, gridRowShown, 1000));
    await grid.evaluate((el) => { el.scrollTop = 0; });

    const header = (label: string) => grid.getByRole('columnheader').filter({ has: page.locator('.qx-th-name', { hasText: new RegExp(`^${label}$`) }) });
    const firstRowText = () => grid.locator('.qx-row').first().innerText();
    const before = await firstRowText();
    const firstRow = q('[data-testid="explorer-grid"] .qx-row');
    rows.push(await measure(page, 'UI: sort by value (float) until the rows show', () => header('value').getByRole('button').click(),
      `!!${q('[role="columnheader"][aria-sort="ascending"]')} && !!${firstRow}?.querySelector('.qx-td') && ${firstRow}.innerText !== ${JSON.stringify(before)}`, 1000));
    rows.push(await measure(page, 'UI: filter category contains "cat_1" until the count shows', () => grid.getByLabel('Filter category').fill('cat_1'),
      `${countText}.includes('of 1,000,000 rows')`, 1000 + 250));
    rows[rows.length - 1].note = 'includes the 250 ms typing debounce';
    await explorer.getByRole('button', { name: 'Clear filters' }).click();
    await count.filter({ hasText: /^1,000,000 rows/ }).waitFor();
    const chartDrawn = `!!${q('.qx-vega[data-drawn="true"]')} && !${q('[data-testid="explorer-chart"]')}.textContent.includes('Computing…')`;
    rows.push(await measure(page, 'UI: chart tab → first chart drawn', () => explorer.getByRole('tab', { name: 'Chart' }).click(), chartDrawn, 1000));
    const chartDone = () => waitInPage(page, chartDrawn);
    // Each chart is timed from its last pick (the earlier picks are the user's, not the app's, time).
    await explorer.getByLabel('Chart type').selectOption('bar');
    await explorer.getByLabel('Chart x').selectOption({ label: 'category' });
    await explorer.getByLabel('Chart y').selectOption({ label: 'amount' });
    await chartDone();
    rows.push(await measure(page, 'UI: chart → bar mean(amount) by category, drawn', () => explorer.getByLabel('Chart aggregate').selectOption('mean').then(() => undefined), chartDrawn, 1000));
    await explorer.getByLabel('Chart type').selectOption('heatmap');
    await explorer.getByLabel('Chart x').selectOption({ label: 'value' });
    await chartDone();
    rows.push(await measure(page, 'UI: chart → heatmap value x score, drawn', () => explorer.getByLabel('Chart y').selectOption({ label: 'score' }).then(() => undefined), chartDrawn, 1000));
    rows.push(await measure(page, 'UI: chart → scatter (3,000 sampled points), drawn', () => explorer.getByLabel('Chart type').selectOption('scatter').then(() => undefined), chartDrawn, 1000));
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
