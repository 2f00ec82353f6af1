/**
 * Builds the Node entry points (dist/kernels/cli.js) for CLI tests. Test files run in parallel and
 * several build in their beforeAll; `flock` serializes the builds so that none reads a half-written
 * bundle. Where flock is missing (not Linux), it builds without the lock.
 */
import { execFileSync, spawnSync } from 'node:child_process';

export function buildCli(): void {
  try {
    execFileSync('flock', ['/tmp/quire-build.lock', process.execPath, 'scripts/buildNode.mjs'], { stdio: 'pipe' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    execFileSync(process.execPath, ['scripts/buildNode.mjs'], { stdio: 'pipe' });
  }
}

/** Runs the built `quire` CLI as a user would (a separate process), returning its exit code and output. */
export function runQuire(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/quire.js', ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `cat STDIN_FILE | quire ARGS` through sh: stdin is a real pipe (a FIFO, as in a shell
 * pipeline; Node's own child pipes are sockets) and stdout is not a terminal.
 */
export function runQuireFromPipe(stdinFile: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const script = 'f=$1; shift; cat "$f" | "$0" bin/quire.js "$@"';
  const result = spawnSync('sh', ['-c', script, process.execPath, stdinFile, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
