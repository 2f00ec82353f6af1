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

const browser = spawn(browserPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
const stop = () => {
  if (browser.exitCode === null && browser.signalCode === null) browser.kill('SIGTERM');
};
browser.on('error', (error) => {
  console.error(`quire: could not start the browser (${error.message})`);
  rmSync(profile, { recursive: true, force: true });
  process.exit(127);
});
browser.on('exit', (code, signal) => {
  rmSync(profile, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
// The launcher is gone (or asked us to stop): close the window; the exit handler cleans up.
process.stdin.on('end', stop).on('error', stop).resume();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stop);
