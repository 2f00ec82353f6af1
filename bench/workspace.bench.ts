// Tabs (issue 10), in Chromium against `quire serve` (run `npm run build` first):
//  1. Opening a second notebook in a warm app until its first screen is readable (target < 300 ms):
//     the app shows a small notebook (its kernel idle, its editor up, the page idle); the person
//     selects a 100-cell notebook with real outputs (bench/reference/big_notebook.py: text, PNG
//     figures, pandas HTML tables) in the file browser and presses Enter. From the keydown event
//     to the painted frame where the new tab's first screen is readable — the check of
//     bench/bigNotebookOpen.bench.ts (cells on screen show their source text and first outputs,
//     images decoded, HTML frames loaded), within the active document's pane.
//  2. Switching tabs (target < 50 ms to paint): three notebooks open (2,000 cells of the same kind,
//     the 100-cell one, a 10-cell one), each scrolled somewhere of its own; a click on another
//     tab, from the click event to the first painted frame where the target pane is the active one
//     and its first screen is readable (same check). Every ordered pair of the three, many times.
//     Each switch also checks that the target shows the scroll position it was left at.
// Writes bench-results/workspace.json.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchServer, stopBenchServer } from './benchServer';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expectations, watcherScript } from './bigNotebookOpen.bench';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.QUIRE_CHROMIUM || '/usr/bin/chromium';
const PYTHON = process.env.BENCH_PYTHON || '/usr/bin/python3';
const OPEN_TRIALS = Number(process.env.BENCH_WS_OPEN_TRIALS ?? 7);
/** Switches per ordered pair of tabs (six pairs). */
const SWITCH_TRIALS = Number(process.env.BENCH_WS_SWITCH_TRIALS ?? 15);
const VIEWPORT = { width: 1280, height: 900 };

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const load = () => loadavg().map(r1);
const stats = (xs: number[]) => ({ n: xs.length, p50: r1(quantile(xs, 0.5)), p95: r1(quantile(xs, 0.95)), min: r1(Math.min(...xs)), max: r1(Math.max(...xs)) });

/** A private copy of the built renderer, so a rebuild elsewhere during the run cannot pull it away. */
let rendererDir = '';

const serve = (root: string, open: string) => startBenchServer(root, open, rendererDir);
const stop = stopBenchServer;

function smallNotebook(n: number): object {
  const cells = Array.from({ length: n }, (_, i) => (i % 4 === 0
    ? { cell_type: 'markdown', id: `s-m${i}`, metadata: {}, source: [`## Section ${i}\n`, '\n', `Some *text* for cell ${i}.`] }
    : { cell_type: 'code', id: `s-c${i}`, metadata: {}, execution_count: i, source: [`value_${i} = ${i} * 2\n`, `print(value_${i})`],
      outputs: [{ output_type: 'stream', name: 'stdout', text: [`${i * 2}\n`] }] }));
  return { cells, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' }, language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 };
}

/** The pane of the document showing `path`, matched only while it is the active one. */
const activePane = (path: string) => `[data-testid="document"][data-active="true"][data-path=${JSON.stringify(path)}]`;

/** Resolves once the page has had an idle period (no long task pending, monaco upgrades done for now). */
async function idle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => {
    let quiet = 0;
    const giveUp = performance.now() + 15_000;
    const step = () => requestIdleCallback((d) => {
      // Three idle periods in a row with time to spare: nothing queued behind them.
      quiet = d.timeRemaining() > 10 ? quiet + 1 : 0;
      if (quiet >= 3 || performance.now() > giveUp) resolve(); else step();
    }, { timeout: 5_000 });
    step();
  }));
}

async function waitForFirstScreen(page: Page, timeoutMs: number): Promise<{ at: number; cells: number }> {
  await page.waitForFunction(() => (window as { __firstScreen?: number }).__firstScreen !== undefined, undefined, { timeout: timeoutMs, polling: 'raf' });
  return page.evaluate(() => ({ at: (window as { __firstScreen?: number }).__firstScreen!, cells: (window as { __firstScreenCells?: number }).__firstScreenCells! }));
}

/**
 * Installed before the page's scripts: epoch times of the last Enter keydown and tab click, and
 * `__phases(scope)`, which notes the first frame where the pane matching `scope` is there (active)
 * and the first frame where it has a cell, until the watcher's `__firstScreen` is set.
 */
function inputClock(): void {
  const w = window as unknown as { __enterAt?: number; __clickAt?: number; __paneAt?: number; __cellAt?: number; __firstScreen?: number; __phases(scope: string): void };
  const now = () => performance.timeOrigin + performance.now();
  window.addEventListener('keydown', (e) => { if (e.key === 'Enter') w.__enterAt = performance.timeOrigin + e.timeStamp; }, true);
  window.addEventListener('click', (e) => {
    if ((e.target as Element | null)?.closest?.('[data-testid="tab"]')) w.__clickAt = performance.timeOrigin + e.timeStamp;
  }, true);
  w.__phases = (scope) => {
    w.__paneAt = undefined;
    w.__cellAt = undefined;
    const tick = () => {
      const pane = document.querySelector(scope);
      if (pane && w.__paneAt === undefined) w.__paneAt = now();
      if (pane && w.__cellAt === undefined && pane.querySelector('[data-testid="cell"]')) w.__cellAt = now();
      if (w.__cellAt === undefined || w.__firstScreen === undefined) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
}

interface Phases { paneMs: number; cellMs: number }

/** Starts the first-screen watcher and the phase clock for the pane of `path`. */
async function watch(page: Page, path: string, cells: number): Promise<void> {
  await page.evaluate(([scope, n]) => {
    const w = window as unknown as { __watchFirstScreen(s: string, n: number): void; __phases(s: string): void };
    w.__watchFirstScreen(scope, n);
    w.__phases(scope);
  }, [activePane(path), cells] as const);
}

async function phasesSince(page: Page, key: '__enterAt' | '__clickAt'): Promise<{ start: number } & Phases> {
  return page.evaluate((k) => {
    const w = window as unknown as Record<string, number>;
    return { start: w[k], paneMs: w.__paneAt - w[k], cellMs: w.__cellAt - w[k] };
  }, key);
}

async function openWarm(browser: Browser, root: string, target: string, expected: ReturnType<typeof expectations>, cells: number, trace: boolean): Promise<{ ms: number; cells: number } & Phases> {
  const { url, child } = await serve(root, 'first.ipynb');
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    await page.addInitScript(watcherScript('quire', expected));
    // tsx keeps function names through a `__name` helper the page lacks.
    await page.addInitScript({ content: `globalThis.__name = (f) => f;\n(${inputClock.toString()})();` });
    await page.goto(url);
    const first = page.locator('[data-testid="document"][data-active="true"]');
    await first.locator('.monaco-editor').first().waitFor({ timeout: 60_000 });
    await first.getByTestId('kernel-status').and(page.locator('[data-status="idle"]')).waitFor({ timeout: 60_000 });
    const item = page.locator(`[data-testid="fb-item"][data-path=${JSON.stringify(target)}]`);
    await item.click();
    await idle(page);
    await watch(page, target, cells);
    // BENCH_WS_TRACE=dir (first trial): a Chromium performance trace, or with BENCH_WS_PROFILE=1 a CPU profile, of the open.
    const traceFile = trace && process.env.BENCH_WS_TRACE ? join(process.env.BENCH_WS_TRACE, 'open') : undefined;
    const profiler = traceFile ? await startProfile(browser, page, traceFile) : undefined;
    if (process.env.BENCH_WS_DEBUG === '1') {
      await page.evaluate((p) => {
        const w = window as unknown as { __log: string[]; __quire: { window: { getState(): { workspace: { order: string[] }; documents: Record<string, { files: { path?: string; view: string; partial?: boolean }; notebook: { cellOrder?: string[] } }> }; subscribe(f: () => void): void } } };
        w.__log = [];
        let last = '';
        w.__quire.window.subscribe(() => {
          const s = w.__quire.window.getState();
          const id = s.workspace.order[s.workspace.order.length - 1];
          const d = s.documents[id];
          const digest = `${s.workspace.order.length} tabs; ${d?.files.view} ${d?.files.path === p ? 'target' : d?.files.path} partial=${d?.files.partial}`;
          if (digest !== last) { last = digest; w.__log.push(`${(performance.timeOrigin + performance.now()).toFixed(1)} ${digest}`); }
        });
      }, target);
    }
    await page.keyboard.press('Enter');
    const { at, cells: onScreen } = await waitForFirstScreen(page, 60_000);
    await profiler?.stop();
    if (process.env.BENCH_WS_DEBUG === '1') {
      const { log, enter, pane, cell } = await page.evaluate(() => {
        const w = window as unknown as { __log: string[]; __enterAt: number; __paneAt: number; __cellAt: number };
        return { log: w.__log, enter: w.__enterAt, pane: w.__paneAt, cell: w.__cellAt };
      });
      console.log([...log.map((l) => `${(Number(l.split(' ')[0]) - enter).toFixed(1)} ${l.replace(/^\S+ /, '')}`), `${(pane - enter).toFixed(1)} pane frame`, `${(cell - enter).toFixed(1)} cell frame`, `${(at - enter).toFixed(1)} readable painted`].join('\n'));
    }
    const { start, paneMs, cellMs } = await phasesSince(page, '__enterAt');
    return { ms: at - start, paneMs, cellMs, cells: onScreen };
  } finally {
    await page.close();
    await stop(child);
  }
}

/** A Chromium performance trace (`file`.json) or, with BENCH_WS_PROFILE=1, a CPU profile (`file`.cpuprofile) until `stop`. */
async function startProfile(browser: Browser, page: Page, file: string): Promise<{ stop(): Promise<void> }> {
  mkdirSync(dirname(file), { recursive: true });
  if (process.env.BENCH_WS_PROFILE !== '1') {
    await browser.startTracing(page, { path: `${file}.json`, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8.execute'] });
    return { stop: async () => { await browser.stopTracing(); } };
  }
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(`${file}.cpuprofile`, JSON.stringify(profile));
      await cdp.detach();
    },
  };
}

interface Place { scrollTop: number; firstCell: string | null }

/** The scroll position of the pane showing `path` and the first cell on screen there. */
async function placeOf(page: Page, path: string): Promise<Place> {
  return page.evaluate((p) => {
    const pane = document.querySelector(`[data-testid="document"][data-path=${JSON.stringify(p)}]`)!;
    const scroller = pane.querySelector('[data-testid="notebook"]')!;
    const top = scroller.getBoundingClientRect().top;
    const first = Array.from(pane.querySelectorAll('[data-testid="cell"]'))
      .map((c) => ({ id: c.getAttribute('data-cell-id'), r: c.getBoundingClientRect() }))
      .filter(({ r }) => r.height > 0 && r.bottom > top)
      .sort((a, b) => a.r.top - b.r.top)[0];
    return { scrollTop: scroller.scrollTop, firstCell: first?.id ?? null };
  }, path);
}

async function switching(browser: Browser, root: string, files: Array<{ path: string; cells: number; expected: ReturnType<typeof expectations>; scrollTo: number }>): Promise<Record<string, unknown>> {
  const { url, child } = await serve(root, 'big.ipynb');
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    await page.addInitScript(watcherScript('quire', files.flatMap((f) => f.expected)));
    // tsx keeps function names through a `__name` helper the page lacks.
    await page.addInitScript({ content: `globalThis.__name = (f) => f;\n(${inputClock.toString()})();` });
    await page.goto(url);
    // Open all three (the first is the page's), each scrolled to its own place.
    for (const [i, f] of files.entries()) {
      await watch(page, f.path, f.cells);
      if (i > 0) await page.evaluate((path) => (window as unknown as { __quire: { window: { dispatch(a: unknown): void } } }).__quire.window.dispatch({ type: 'workspace/openPathRequested', payload: { path } }), f.path);
      await waitForFirstScreen(page, 120_000);
      await page.locator(activePane(f.path)).getByTestId('kernel-status').and(page.locator('[data-status="idle"]')).waitFor({ timeout: 60_000 });
      if (f.scrollTo > 0) {
        await page.evaluate(([path, y]) => { document.querySelector(`[data-testid="document"][data-path=${JSON.stringify(path)}] [data-testid="notebook"]`)!.scrollTop = y; }, [f.path, f.scrollTo] as const);
        await watch(page, f.path, f.cells);
        await waitForFirstScreen(page, 60_000);
      }
      await idle(page);
    }
    const places = new Map<string, Place>();
    for (const f of files) places.set(f.path, await placeOf(page, f.path));
    const pairs = files.flatMap((a) => files.filter((b) => b !== a).map((b) => [a, b] as const));
    const byPair = new Map<string, number[]>();
    const commit: number[] = [];
    const all: number[] = [];
    const scrollMismatches: string[] = [];
    const name = (p: string) => p.replace(/^.*\//, '');
    let current = files[files.length - 1];
    for (let t = 0; t < SWITCH_TRIALS; t++) {
      for (const [from, to] of pairs) {
        if (current !== from) {
          // Get to `from` first (not measured).
          await watch(page, from.path, from.cells);
          await page.locator(`[data-testid="tab"][title=${JSON.stringify(from.path)}]`).click();
          await waitForFirstScreen(page, 60_000);
          await idle(page);
        }
        const left = await placeOf(page, from.path);
        const before = places.get(from.path)!;
        if (Math.abs(left.scrollTop - before.scrollTop) > 1) scrollMismatches.push(`${name(from.path)}: ${before.scrollTop} → ${left.scrollTop} before leaving`);
        await watch(page, to.path, to.cells);
        await page.locator(`[data-testid="tab"][title=${JSON.stringify(to.path)}]`).click();
        const { at } = await waitForFirstScreen(page, 60_000);
        const { start, paneMs } = await phasesSince(page, '__clickAt');
        const ms = at - start;
        all.push(ms);
        commit.push(paneMs);
        const key = `${name(from.path)} → ${name(to.path)}`;
        byPair.set(key, [...(byPair.get(key) ?? []), ms]);
        const now = await placeOf(page, to.path);
        const was = places.get(to.path)!;
        if (Math.abs(now.scrollTop - was.scrollTop) > 1 || now.firstCell !== was.firstCell) {
          scrollMismatches.push(`${key}: scrollTop ${was.scrollTop} → ${now.scrollTop}, first cell ${was.firstCell} → ${now.firstCell}`);
        }
        current = to;
        await idle(page);
      }
    }
    // BENCH_WS_TRACE=dir: one more switch per pair under a Chromium performance trace (not counted).
    const traceDir = process.env.BENCH_WS_TRACE;
    if (traceDir) {
      for (const [from, to] of pairs) {
        if (current !== from) {
          await watch(page, from.path, from.cells);
          await page.locator(`[data-testid="tab"][title=${JSON.stringify(from.path)}]`).click();
          await waitForFirstScreen(page, 60_000);
          await idle(page);
        }
        await watch(page, to.path, to.cells);
        const profiler = await startProfile(browser, page, join(traceDir, `${name(from.path)}-to-${name(to.path)}`));
        await page.locator(`[data-testid="tab"][title=${JSON.stringify(to.path)}]`).click();
        await waitForFirstScreen(page, 60_000);
        await profiler.stop();
        current = to;
        await idle(page);
      }
    }
    return {
      switchMs: stats(all),
      // The frame whose rAF first sees the target pane active (React committed before it).
      clickToActiveFrameMs: stats(commit),
      byPair: Object.fromEntries([...byPair].map(([k, v]) => [k, stats(v)])),
      scrollPositions: Object.fromEntries([...places].map(([k, v]) => [name(k), v])),
      scrollKept: scrollMismatches.length === 0,
      scrollMismatches,
    };
  } finally {
    await page.close();
    await stop(child);
  }
}

async function main(): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'quire-bench-workspace-'));
  const root = join(base, 'ws');
  mkdirSync(root);
  const built = join(REPO, 'dist', 'renderer');
  if (!existsSync(join(built, 'index.html'))) throw new Error(`${built} is missing: run \`npm run build\` first.`);
  rendererDir = join(base, 'renderer');
  // BENCH_RENDERER_DIR: another build of the renderer (e.g. a baseline to compare with).
  cpSync(process.env.BENCH_RENDERER_DIR || built, rendererDir, { recursive: true });
  const generate = (file: string, cells: number) => {
    const gen = spawnSync(PYTHON, [fileURLToPath(new URL('./reference/big_notebook.py', import.meta.url)), join(root, file), String(cells)], { encoding: 'utf8', timeout: 300_000 });
    if (gen.status !== 0) throw new Error(`the notebook generator failed (python3-pandas, python3-matplotlib, python3-nbformat installed?): ${gen.stderr}`);
    return JSON.parse(gen.stdout.trim().split('\n').pop()!) as { cells: number; bytes: number; images: number; tables: number };
  };
  const mid = generate('mid.ipynb', 100);
  const big = generate('big.ipynb', 2000);
  writeFileSync(join(root, 'first.ipynb'), JSON.stringify(smallNotebook(3)));
  writeFileSync(join(root, 'small.ipynb'), JSON.stringify(smallNotebook(10)));
  console.log(`notebooks: ${mid.cells} cells ${(mid.bytes / 1e6).toFixed(1)} MB (${mid.images} figures, ${mid.tables} tables); ${big.cells} cells ${(big.bytes / 1e6).toFixed(1)} MB`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  const results: Record<string, unknown> = { loadAverageAtStart: load(), notebooks: { mid, big } };
  try {
    if (process.env.BENCH_WS_SKIP_OPEN !== '1') {
      const open: number[] = [];
      const pane: number[] = [];
      const cell: number[] = [];
      let cells = 0;
      for (let t = 0; t < OPEN_TRIALS; t++) {
        // The first notebook's cells are expected too, so the watcher's first round (the page's start) ends.
        const expected = [...expectations(join(root, 'mid.ipynb'), 100), ...expectations(join(root, 'first.ipynb'), 3)];
        const o = await openWarm(browser, root, join(root, 'mid.ipynb'), expected, 100, t === 0);
        open.push(o.ms);
        pane.push(o.paneMs);
        cell.push(o.cellMs);
        cells = o.cells;
      }
      results.openSecondMs = stats(open);
      results.openSecondTrials = open.map(r1);
      // The first frame (its rAF) with the new tab's pane, and with a cell in it.
      results.openSecondPaneFrameMs = stats(pane);
      results.openSecondFirstCellFrameMs = stats(cell);
      results.openSecondScreenCells = cells;
      results.loadAverageAfterOpen = load();
    }
    if (process.env.BENCH_WS_SKIP_SWITCH !== '1') {
      results.switching = await switching(browser, root, [
        { path: join(root, 'big.ipynb'), cells: big.cells, expected: expectations(join(root, 'big.ipynb'), big.cells), scrollTo: 400_000 },
        { path: join(root, 'mid.ipynb'), cells: mid.cells, expected: expectations(join(root, 'mid.ipynb'), mid.cells), scrollTo: 5_000 },
        { path: join(root, 'small.ipynb'), cells: 10, expected: expectations(join(root, 'small.ipynb'), 10), scrollTo: 0 },
      ]);
    }
  } finally {
    await browser.close();
    rmSync(base, { recursive: true, force: true });
  }
  results.loadAverageAtEnd = load();
  mkdirSync(join(REPO, 'bench-results'), { recursive: true });
  writeFileSync(join(REPO, 'bench-results', 'workspace.json'), `${JSON.stringify(results, null, 2)}\n`);
  const open = results.openSecondMs as ReturnType<typeof stats> | undefined;
  const sw = results.switching as { switchMs: ReturnType<typeof stats>; scrollKept: boolean; scrollMismatches: string[] } | undefined;
  console.log(JSON.stringify(results, null, 2));
  console.table({
    ...(open ? { 'open a 100-cell notebook in a new tab → first screen readable, ms median (min–max), target < 300': `${open.p50} (${open.min}–${open.max})` } : {}),
    ...(sw ? { 'switch tabs: click → target painted readable, ms p50 / p95 / max, target < 50': `${sw.switchMs.p50} / ${sw.switchMs.p95} / ${sw.switchMs.max}` } : {}),
    ...(sw ? { 'scroll position kept across switches': sw.scrollKept ? 'yes' : `NO: ${sw.scrollMismatches.slice(0, 3).join('; ')}` } : {}),
  });
  if (sw && !sw.scrollKept) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
