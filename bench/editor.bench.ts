// The notebook editor in Chromium against `quire serve` on the renderer's test build (window.__quire;
// `npm run bench` builds it, else `npm run build:test`):
//  - open-to-interactive of a 2,000-cell notebook vs a 10-cell one (goto → a typed key painted);
//  - input-to-paint while typing in both (keydown timestamp → the frame after it);
//  - a 200,000-line `print(i, flush=True)` flood: input-to-paint while it streams (target < 100 ms)
//    and its total time vs the same code under jupyter_client alone (target ≤ 1.5×).
// Writes bench-results/editor.json.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchServer, stopBenchServer } from './benchServer';
import { chromium, type Page } from 'playwright-core';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.QUIRE_CHROMIUM || '/usr/bin/chromium';
const FLOOD_LINES = Number(process.env.BENCH_FLOOD_LINES ?? 200_000);
const KEYS = 40;
const TRIALS = Number(process.env.BENCH_OPEN_TRIALS ?? 3);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
};
const median = (xs: number[]) => quantile(xs, 0.5);
const round = (x: number) => Math.round(x * 10) / 10;

function makeNotebook(n: number): object {
  const cells: object[] = Array.from({ length: n }, (_, i) => (i % 4 === 0
    ? { cell_type: 'markdown', id: `m${i}`, metadata: {}, source: [`## Section ${i}\n`, '\n', `Some *text* for cell ${i}, with \`code\`.`] }
    : { cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: i, source: [`value_${i} = ${i} * 2\n`, `print(value_${i})\n`, `value_${i}`],
      outputs: [{ output_type: 'stream', name: 'stdout', text: [`${i * 2}\n`] }, { output_type: 'execute_result', execution_count: i, metadata: {}, data: { 'text/plain': [`${i * 2}`] } }] }));
  cells[1] = { cell_type: 'code', id: 'c1', metadata: {}, execution_count: null, source: [] as string[], outputs: [] };
  cells[2] = { cell_type: 'code', id: 'c2', metadata: {}, execution_count: null, source: [] as string[], outputs: [] };
  return { cells, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' }, language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 };
}

/** A private copy of the built renderer, so a rebuild elsewhere during the run cannot pull it away. */
let rendererDir = '';

const serve = (root: string, open: string) => startBenchServer(root, open, rendererDir);
const stop = stopBenchServer;

/** Records keydown → next frame latencies in the page (rAF, then a task after the paint). */
async function instrument(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __lat: number[] };
    w.__lat = [];
    window.addEventListener('keydown', (e) => {
      const t0 = e.timeStamp;
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => w.__lat.push(performance.now() - t0);
        ch.port2.postMessage(0);
      });
    }, true);
  });
}

async function latencies(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __lat: number[] }).__lat.splice(0));
}

async function typeIn(page: Page, cellIndex: number, keys: number, delay = 40): Promise<void> {
  await page.getByTestId('cell').nth(cellIndex).locator('.monaco-editor').click();
  for (let i = 0; i < keys; i++) await page.keyboard.type(i % 10 === 9 ? ' ' : 'x', { delay });
}

/** goto → notebook painted → a click and a typed key visible in the first code cell. */
async function openToInteractive(page: Page, url: string): Promise<number> {
  const t0 = performance.now();
  await page.goto(url);
  const editor = page.getByTestId('cell').nth(1).locator('.monaco-editor');
  await editor.waitFor({ state: 'visible', timeout: 60_000 });
  await editor.click();
  await page.keyboard.type('q');
  await page.getByTestId('cell').nth(1).locator('.view-lines', { hasText: 'q' }).waitFor({ timeout: 60_000 });
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'quire-bench-editor-'));
  const root = join(base, 'ws');
  mkdirSync(root);
  // The test build: the bench reads and drives the page's stores through window.__quire.
  const built = join(REPO, 'dist', 'renderer-test');
  if (!existsSync(join(built, 'index.html'))) throw new Error(`${built} is missing: run \`npm run build:test\` first.`);
  rendererDir = join(base, 'renderer');
  cpSync(built, rendererDir, { recursive: true });
  writeFileSync(join(root, 'small.ipynb'), JSON.stringify(makeNotebook(10)));
  writeFileSync(join(root, 'large.ipynb'), JSON.stringify(makeNotebook(2000)));
  writeFileSync(join(root, 'flood.ipynb'), JSON.stringify(makeNotebook(3)));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  // Shared machines skew latencies: record the load next to the numbers.
  const results: Record<string, unknown> = { loadAverageAtStart: loadavg().map(round) };
  try {
    for (const [name, file] of [['cells10', 'small.ipynb'], ['cells2000', 'large.ipynb']] as const) {
      const open: number[] = [];
      let typing: number[] = [];
      for (let t = 0; t < TRIALS; t++) {
        const { url, child } = await serve(root, file);
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        try {
          open.push(await openToInteractive(page, url));
          if (t === TRIALS - 1) {
            await instrument(page);
            await typeIn(page, 2, KEYS);
            typing = await latencies(page);
          }
        } finally {
          await page.close();
          await stop(child);
        }
      }
      results[name] = { openToInteractiveMs: { median: round(median(open)), trials: open.map(round) },
        inputToPaintMs: { median: round(median(typing)), p95: round(quantile(typing, 0.95)), samples: typing.length } };
    }

    // The flood.
    const code = `for i in range(${FLOOD_LINES}):\n    print(i, flush=True)`;
    const { url, child } = await serve(root, 'flood.ipynb');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(url);
      await page.getByTestId('kernel-status').and(page.locator('[data-status="idle"]')).waitFor({ timeout: 60_000 });
      const first = page.getByTestId('cell').nth(1);
      await first.locator('.monaco-editor').click();
      await page.keyboard.insertText(code);
      await instrument(page);
      await latencies(page);
      const t0 = performance.now();
      await page.keyboard.press('Control+Enter');
      await first.and(page.locator('[data-state="running"]')).waitFor({ timeout: 60_000 });
      // Type into another cell while the output streams.
      const typing = page.getByTestId('cell').nth(2).locator('.monaco-editor').click().then(async () => {
        for (let i = 0; i < 200; i++) {
          if (await first.getAttribute('data-state') !== 'running') break;
          await page.keyboard.type('y', { delay: 50 });
        }
      });
      await first.and(page.locator('[data-state="done"]')).waitFor({ timeout: 600_000 });
      const totalMs = performance.now() - t0;
      await typing;
      const during = await latencies(page);
      // Every line arrived (the output area itself shows a cut view of long text).
      const tail = await page.evaluate(() => {
        const s = (window as unknown as { __quire: { store: { getState(): { notebook: { cells: Array<{ outputs?: Array<{ text?: string | string[] }> }> } } } } }).__quire.store.getState();
        const t = s.notebook.cells[1].outputs?.[0]?.text ?? '';
        return (Array.isArray(t) ? t.join('') : t).slice(-40);
      });
      if (!tail.endsWith(`${FLOOD_LINES - 1}\n`)) throw new Error(`the flood's last line ${FLOOD_LINES - 1} is missing: ...${tail}`);
      const ref = spawnSync('/usr/bin/python3', [fileURLToPath(new URL('./reference/editor_flood_jupyter_client.py', import.meta.url)), code], { encoding: 'utf8', timeout: 600_000 });
      if (ref.status !== 0) throw new Error(`jupyter_client reference failed (python3-jupyter-client installed?): ${ref.stderr}`);
      const reference = JSON.parse(ref.stdout.trim().split('\n').pop()!) as { totalMs: number; messages: number; complete: boolean };
      results.flood = {
        lines: FLOOD_LINES,
        quireTotalMs: round(totalMs),
        jupyterClientTotalMs: round(reference.totalMs),
        // jupyter_client reads slower than the kernel writes: its PUB socket drops messages past
        // the high-water mark, so it may finish early with fewer messages (and no idle).
        jupyterClientMessages: reference.messages,
        jupyterClientSawIdle: reference.complete,
        ratio: round((totalMs / reference.totalMs) * 100) / 100,
        inputToPaintDuringFloodMs: { median: round(median(during)), p95: round(quantile(during, 0.95)), max: round(Math.max(...during)), samples: during.length },
      };
    } finally {
      await page.close();
      await stop(child);
    }
  } finally {
    await browser.close();
    rmSync(base, { recursive: true, force: true });
  }
  results.loadAverageAtEnd = loadavg().map(round);
  mkdirSync(join(REPO, 'bench-results'), { recursive: true });
  writeFileSync(join(REPO, 'bench-results', 'editor.json'), `${JSON.stringify(results, null, 2)}\n`);
  const r = results as { cells10: { openToInteractiveMs: { median: number }; inputToPaintMs: { median: number; p95: number } }; cells2000: typeof r.cells10;
    flood: { quireTotalMs: number; jupyterClientTotalMs: number; ratio: number; inputToPaintDuringFloodMs: { median: number; p95: number } } };
  console.table({
    'open→interactive 10 cells (ms)': r.cells10.openToInteractiveMs.median,
    'open→interactive 2000 cells (ms, target < 2000)': r.cells2000.openToInteractiveMs.median,
    'input→paint 10 cells median/p95 (ms)': `${r.cells10.inputToPaintMs.median} / ${r.cells10.inputToPaintMs.p95}`,
    'input→paint 2000 cells median/p95 (ms)': `${r.cells2000.inputToPaintMs.median} / ${r.cells2000.inputToPaintMs.p95}`,
    'flood input→paint median/p95 (ms, target < 100)': `${r.flood.inputToPaintDuringFloodMs.median} / ${r.flood.inputToPaintDuringFloodMs.p95}`,
    'flood total Quire / jupyter_client (ms)': `${r.flood.quireTotalMs} / ${r.flood.jupyterClientTotalMs}`,
    'flood ratio (target ≤ 1.5)': r.flood.ratio,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
