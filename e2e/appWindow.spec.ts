import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import { REPO_ROOT, requireBuiltCli, requireChromium } from './fixtures/environment';
import { commandLine, descendantPids, waitForExit } from './fixtures/processes';
import { processesHolding, worldReadableFilesHolding } from './fixtures/secretScan';
import { startXvfb, stopChild, type XServer } from './fixtures/xvfb';

/**
 * `npm start -- demo.ipynb` end to end, as a user on a machine without the Electron binary gets
 * it: start.mjs serves the workspace and opens a Chromium app window (under Xvfb here). The test
 * drives that window through the DevTools port start.mjs opens on request, runs a cell, takes a
 * screenshot, closes the window, and checks that the host and its kernel went away with it.
 */
const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
  cells: [
    { cell_type: 'markdown', id: 'intro', metadata: {}, source: '# Quire app window\nRun the cell below.' },
    { cell_type: 'code', id: 'answer', metadata: {}, execution_count: null, outputs: [], source: 'print("hello from the app window")\n6 * 7' },
  ],
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

test.describe('npm start (Chromium app window)', () => {
  let x: XServer | undefined;
  let base: string;
  test.beforeEach(async () => {
    requireChromium();
    requireBuiltCli();
    x = await startXvfb();
    base = mkdtempSync(join(tmpdir(), 'quire-app-'));
  });
  test.afterEach(async () => {
    await x?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  test('opens the notebook, runs a cell, and closing the window stops host and kernel', async () => {
    const testInfo = test.info();
    test.setTimeout(120_000);
    const workspace = join(base, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'demo.ipynb'), `${JSON.stringify(notebook, null, 1)}\n`);
    const port = await freePort();
    const start = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'start.mjs'), 'demo.ipynb'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env, DISPLAY: x!.display, INIT_CWD: workspace, QUIRE_SKIP_BUILD: '1', QUIRE_FORCE_BROWSER: '1',
        QUIRE_BROWSER: requireChromium(), QUIRE_REMOTE_DEBUGGING_PORT: String(port), XDG_CONFIG_HOME: join(base, 'config'), QUIRE_DATA_DIR: join(base, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    start.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
    start.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
    const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => output, { timeout: 30_000, message: 'start.mjs should open an app window' }).toContain('opening an app window');
      expect(output).toContain('browser mode');
      const printed = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64})/.exec(output);
      expect(printed, output).not.toBeNull();
      const [, serverPort, token] = printed!;
      // The window opens on the user-only launch page, not on the tokened URL.
      const launchFile = new URL(/Launch page[^\n]*?(file:\/\/\S+)/.exec(output)![1]).pathname;
      expect(statSync(launchFile).mode & 0o777).toBe(0o600);
      expect(statSync(join(launchFile, '..')).mode & 0o777).toBe(0o700);

      // The window's browser, reached through its DevTools port.
      let browser: Awaited<ReturnType<typeof chromium.connectOverCDP>> | undefined;
      await expect.poll(async () => {
        // A short per-attempt timeout: one attempt that hangs on a half-started browser must not use up the poll.
        browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 5_000 }).catch(() => undefined);
        return browser !== undefined;
      }, { timeout: 60_000, message: `the app window's DevTools port should answer; start.mjs said:\n${output}` }).toBe(true);
      const appPage = () => browser!.contexts().flatMap((c) => c.pages()).find((p) => p.url().startsWith(`http://127.0.0.1:${serverPort}/`));
      await expect.poll(() => appPage() !== undefined, { timeout: 15_000 }).toBe(true);
      const page = appPage()!;

      // The notebook named on the command line is open.
      await expect(page.getByTestId('title')).toContainText('demo.ipynb', { timeout: 30_000 });
      await expect(page.getByTestId('markdown-rendered').first()).toContainText('Quire app window');
      const cell = page.locator('[data-testid="cell"][data-cell-type="code"]').first();
      await expect(cell).toBeVisible();

      // Run it the way a user does: into the editor, Shift+Enter.
      await cell.getByTestId('cell-editor').click();
      await page.keyboard.press('Shift+Enter');
      await expect(cell.getByTestId('cell-outputs')).toContainText('hello from the app window', { timeout: 60_000 });
      await expect(cell.getByTestId('cell-outputs')).toContainText('42');
      await expect(cell.getByTestId('execution-count')).toContainText('1');

      // The page is connected (it read the notebook and ran a cell through the host) and nobody else can learn the
      // token: no command line, no environment (kernels included), no file others may read.
      expect(page.url()).toBe(`http://127.0.0.1:${serverPort}/`);
      expect(processesHolding(token), 'processes whose command line or environment holds the token').toEqual([]);
      const roots = [tmpdir(), ...(process.env.XDG_RUNTIME_DIR ? [process.env.XDG_RUNTIME_DIR] : [])];
      expect(roots.flatMap((r) => worldReadableFilesHolding(r, token)), 'world-readable files holding the token').toEqual([]);

      const shot = testInfo.outputPath('app-window.png');
      await page.screenshot({ path: shot });
      await page.screenshot({ path: join(testInfo.project.outputDir, 'app-window.png') });

      // Quitting the window: the browser exits, start.mjs stops the host and its kernel.
      const hostProcesses = descendantPids(start.pid!);
      expect(hostProcesses.map(commandLine).some((c) => c.includes('ipykernel'))).toBe(true);
      await page.close({ runBeforeUnload: false });
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
      expect(code, output).toBe(0);
      expect(output).toContain('window closed; stopping the host and its kernels');
      const survivors = await waitForExit(hostProcesses, 5_000);
      expect(survivors.map((p) => `${p}: ${commandLine(p)}`), 'processes left after the window closed').toEqual([]);
      expect(existsSync(launchFile), 'the launch page is removed with the host').toBe(false);
    } finally {
      if (start.exitCode === null) {
        for (const pid of descendantPids(start.pid!)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
        await stopChild(start, 'SIGKILL');
      }
    }
  });
  test('when npm start is killed outright, the window, the host and the browser profile go with it', async () => {
    test.setTimeout(120_000);
    const workspace = join(base, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'demo.ipynb'), `${JSON.stringify(notebook, null, 1)}\n`);
    const port = await freePort();
    const start = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'start.mjs'), 'demo.ipynb'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env, DISPLAY: x!.display, INIT_CWD: workspace, QUIRE_SKIP_BUILD: '1', QUIRE_FORCE_BROWSER: '1',
        QUIRE_BROWSER: requireChromium(), QUIRE_REMOTE_DEBUGGING_PORT: String(port), XDG_CONFIG_HOME: join(base, 'config'), QUIRE_DATA_DIR: join(base, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    start.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
    start.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
    let processes: number[] = [];
    try {
      let browser: Awaited<ReturnType<typeof chromium.connectOverCDP>> | undefined;
      await expect.poll(async () => {
        browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 5_000 }).catch(() => undefined);
        return browser !== undefined;
      }, { timeout: 60_000, message: `the app window's DevTools port should answer; start.mjs said:\n${output}` }).toBe(true);
      const pages = () => browser!.contexts().flatMap((c) => c.pages());
      const appPage = () => pages().find((p) => /^http:\/\/127\.0\.0\.1:\d+\/$/.test(p.url()));
      await expect.poll(() => appPage() !== undefined, { timeout: 30_000, message: `the app page should open; pages: ${pages().map((p) => p.url()).join(', ')}\n${output}` }).toBe(true);
      await expect(appPage()!.getByTestId('title')).toContainText('demo.ipynb', { timeout: 30_000 });
      processes = descendantPids(start.pid!);
      const chromiumPid = processes.find((p) => commandLine(p).includes('--user-data-dir='))!;
      const profile = /--user-data-dir=(\S+)/.exec(commandLine(chromiumPid))![1];
      expect(existsSync(profile)).toBe(true);

      start.kill('SIGKILL');
      const survivors = await waitForExit(processes, 20_000);
      expect(survivors.map((p) => `${p}: ${commandLine(p)}`), 'processes left after npm start was killed').toEqual([]);
      expect(existsSync(profile), 'the throwaway browser profile is removed').toBe(false);
    } finally {
      for (const pid of [...processes, ...descendantPids(start.pid!)]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await stopChild(start, 'SIGKILL');
    }
  });
});
