#!/usr/bin/env node
// `npm start [-- PATH]`: builds when dist/ is missing or stale, then opens Quire in Electron when its
// binary is installed, otherwise in a Chromium app window on `quire serve`. Closing the window
// stops the host and its kernels.
//
// Environment: QUIRE_FORCE_BROWSER=1 skips Electron; QUIRE_BROWSER=/path/to/chrome picks the
// browser; QUIRE_REMOTE_DEBUGGING_PORT=N opens the browser's DevTools port (tests drive the
// window through it); QUIRE_SKIP_BUILD=1 never builds.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserArgs, buildReason, findBrowser, findElectron, parseLaunchUrl, parseServeUrl, PROFILE_PREFIX, removeStaleProfiles } from './startLib.mjs';
import { browserAdvice, kernelAdvice } from './setupLib.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// npm runs scripts in the package folder; INIT_CWD is where the user typed `npm start`.
const userCwd = process.env.INIT_CWD || process.cwd();
const target = process.argv[2] ? resolve(userCwd, process.argv[2]) : undefined;
const log = (text) => console.log(`quire: ${text}`);

if (!process.env.QUIRE_SKIP_BUILD) {
  // A fresh clone: install the npm packages first (without Electron's binary where it cannot be downloaded).
  const setup = spawnSync(process.execPath, [join(repo, 'scripts', 'setup.mjs'), '--npm-only'], { cwd: repo, stdio: 'inherit' });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
  const reason = buildReason(repo);
  if (reason) {
    log(`building (${reason})...`);
    const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: repo, stdio: 'inherit' });
    if (build.status !== 0) {
      console.error('quire: the build failed; fix the errors above and run `npm start` again.');
      process.exit(build.status ?? 1);
    }
  }
}

const isRoot = process.getuid?.() === 0;
const onPath = (name) => spawnSync('sh', ['-c', 'command -v "$0"', name], { encoding: 'utf8' }).stdout?.trim() || undefined;
checkKernels();

const electron = process.env.QUIRE_FORCE_BROWSER ? undefined : findElectron(repo);
if (electron) {
  log(`starting the desktop app (Electron: ${electron})`);
  const child = spawn(electron, [repo, ...(target ? [target] : [])], { stdio: 'inherit', cwd: userCwd });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await startBrowserMode();
}

async function startBrowserMode() {
  log(process.env.QUIRE_FORCE_BROWSER ? 'browser mode (QUIRE_FORCE_BROWSER is set)' : 'Electron binary not installed; using the browser host and a Chromium app window');
  const server = spawn(process.execPath, [join(repo, 'bin', 'quire.js'), 'serve', ...(target ? [target] : [userCwd]), '--no-browser', '--exit-with-parent'], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  // The printed URL (token included) is for the user; the window opens on the user-only launch page.
  const { url, launchUrl } = await new Promise((resolveUrl) => {
    server.stdout.setEncoding('utf8').on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
      const found = parseServeUrl(output);
      const launch = parseLaunchUrl(output);
      if (found && launch) resolveUrl({ url: found, launchUrl: launch });
    });
    server.on('exit', (code) => {
      console.error(`quire: the host exited (${code}) before it was ready.`);
      process.exit(code || 1);
    });
  });
  server.removeAllListeners('exit');
  server.on('exit', async (code) => {
    log(`host stopped (${code ?? 'signal'})`);
    await stopBrowser();
    process.exit(code ?? 0);
  });

  const browserPath = findBrowser();
  let runner;
  // The runner (browserRunner.mjs) owns the browser and removes its profile once the browser is gone.
  const stopBrowser = () => new Promise((done) => {
    if (!runner || runner.exitCode !== null || runner.signalCode !== null) return done();
    runner.removeAllListeners('exit');
    runner.once('exit', () => done());
    runner.kill('SIGTERM');
  });
  const stopHost = () => new Promise((done) => {
    if (server.exitCode !== null) return done();
    server.removeAllListeners('exit');
    server.once('exit', () => done());
    server.kill('SIGTERM');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, async () => {
      await Promise.all([stopBrowser(), stopHost()]);
      process.exit(0);
    });
  }

  if (!browserPath) {
    log(browserAdvice({ debian: Boolean(onPath('apt-get')), isRoot }));
    log('Meanwhile, open this URL in a browser; Ctrl+C stops Quire:');
    console.log(url);
    return;
  }
  // Profiles of launchers that died before their runner could clean up (both killed at once).
  removeStaleProfiles(tmpdir());
  const profile = mkdtempSync(join(tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
  const port = process.env.QUIRE_REMOTE_DEBUGGING_PORT;
  const args = browserArgs({ url: launchUrl, userDataDir: profile, isRoot: process.getuid?.() === 0, remoteDebuggingPort: port === undefined ? undefined : Number(port) });
  log(`opening an app window with ${browserPath}`);
  // stdin is a pipe the runner watches: it closes when this process dies, however it dies.
  runner = spawn(process.execPath, [join(repo, 'scripts', 'browserRunner.mjs'), profile, browserPath, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let browserErr = '';
  runner.stderr.setEncoding('utf8').on('data', (d) => (browserErr = (browserErr + d).slice(-4000)));
  runner.on('exit', async (code) => {
    if (code === 127) log(`could not start the browser; open ${url} yourself.`);
    else if (code) log(`the browser exited with ${code}:\n${browserErr.split('\n').slice(-8).join('\n')}`);
    log('window closed; stopping the host and its kernels');
    await stopHost();
    process.exit(0);
  });
}

/** In the background (the app starts meanwhile): when no kernel can start, say exactly what to install. */
function checkKernels() {
  const list = spawn(process.execPath, [join(repo, 'bin', 'quire.js'), 'kernels', '--json'], { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'] });
  let json = '';
  list.stdout.setEncoding('utf8').on('data', (d) => (json += d));
  list.on('exit', (code) => {
    if (code !== 0) return;
    try {
      const advice = kernelAdvice(JSON.parse(json), { python: onPath('python3'), debian: Boolean(onPath('apt-get')), isRoot });
      if (advice) log(advice);
    } catch {
      // Not JSON: the kernels command reported its own problem.
    }
  });
}
