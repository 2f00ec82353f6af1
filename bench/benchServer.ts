/**
 * `quire serve` for the browser benchmarks: started on a workspace with a private copy of the
 * renderer (so a rebuild elsewhere during a run cannot pull it away), stopped with SIGTERM and, if
 * it lingers, SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));

export async function startBenchServer(root: string, open: string, rendererDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(REPO, 'bin/quire.js'), 'serve', join(root, open), '--no-browser', '--port', '0'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, QUIRE_RENDERER_DIR: rendererDir } });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`quire serve printed no URL: ${out}`)), 20_000);
    const poll = setInterval(() => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) { clearInterval(poll); clearTimeout(timer); resolve(m[1]); }
    }, 50);
  });
  return { url, child };
}

export async function stopBenchServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
