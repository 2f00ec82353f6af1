#!/usr/bin/env node
// `node browserRunner.mjs PROFILE BROWSER ARGS...`: runs the app window's browser for scripts/start.mjs
// and removes its throwaway profile after the browser exits, whatever happens to start.mjs. Its stdin
// is a pipe from start.mjs: when that closes (start.mjs exited, even by SIGKILL) the browser is
// stopped and the profile removed. Exits with the browser's exit code.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const [profile, browserPath, ...args] = process.argv.slice(2);
if (!profile || !browserPath) {
  console.error('usage: browserRunner.mjs PROFILE BROWSER [ARGS...]');
  process.exit(2);
}

// A process group of its own, so helpers still writing into the profile after the browser's main
// process is gone (GPU, renderers, crash handler) can be stopped before the profile is removed.
const browser = spawn(browserPath, args, { stdio: ['ignore', 'ignore', 'inherit'], detached: process.platform !== 'win32' });
const stop = () => {
  if (browser.exitCode === null && browser.signalCode === null) browser.kill('SIGTERM');
};
const removeProfile = () => {
  try {
    if (process.platform !== 'win32' && browser.pid) process.kill(-browser.pid, 'SIGKILL');
  } catch {
    // the group is already empty
  }
  try {
    // Retries cover files a dying helper was still creating (ENOTEMPTY, EBUSY).
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (error) {
    console.error(`quire: could not remove the browser profile ${profile}: ${error.message}`);
  }
};
browser.on('error', (error) => {
  console.error(`quire: could not start the browser (${error.message})`);
  removeProfile();
  process.exit(127);
});
browser.on('exit', (code, signal) => {
  removeProfile();
  process.exit(code ?? (signal ? 1 : 0));
});
// The launcher is gone (or asked us to stop): close the window; the exit handler cleans up.
process.stdin.on('end', stop).on('error', stop).resume();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stop);
