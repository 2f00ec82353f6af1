import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHost } from '../host/createHost';
import { writeLaunchFile } from '../server/launchFile';
import { removeServeRecord, startServeHost } from '../server/serveRecord';
import { type CliCommand, err, out } from './command';

/** Where the built renderer lives relative to the bundled CLI (dist/kernels/cli.js → dist/renderer). */
export function defaultRendererDir(): string {
  return process.env.QUIRE_RENDERER_DIR || fileURLToPath(new URL('../renderer/', import.meta.url));
}

/** `quire serve [PATH]`: a notebook opens in its folder; a folder is the workspace itself. */
export function resolveServeTarget(path: string | undefined, cwd = process.cwd()): { root: string; openPath?: string } {
  if (!path) return { root: cwd };
  const absolute = resolve(cwd, path);
  if (!existsSync(absolute)) throw new Error(`${path} does not exist`);
  return statSync(absolute).isDirectory() ? { root: absolute, openPath: absolute } : { root: dirname(absolute), openPath: absolute };
}

function openInBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]]
      : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => err(`Could not open a browser (${command}); open the URL above yourself.`));
  child.unref();
}

/** How long a stopping host waits for its pages to save and disconnect. */
const PAGE_DRAIN_MS = 2_000;

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'start the browser host on 127.0.0.1 and print its URL with a token',
  usage: 'serve [PATH] [--port N] [--no-browser]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        'no-browser': { type: 'boolean', default: false },
        'exit-with-parent': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      out([
        'Usage: quire serve [PATH] [--port N] [--no-browser]',
        '',
        'Serves Quire to a browser on http://127.0.0.1 with a secret token in the URL.',
        'The browser is opened on a user-only launch page with a one-time code, never on the tokened URL',
        '(command lines are readable by every local user).',
        'PATH is a notebook (its folder becomes the workspace) or a folder (default: the current folder).',
        'Files outside the workspace folder cannot be opened from the page. Ctrl+C stops the host and its kernels.',
        '',
        '  --port N       port to listen on (default: the port of the last host on this folder when that',
        '                 host is gone, so pages it left open reconnect; else any free port)',
        '  --no-browser   only print the URL',
        '  --exit-with-parent  stop (kernels included) when the launching process dies (npm start uses it)',
      ].join('\n'));
      return 0;
    }
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`--port must be a port number, not ${values.port}`);
    if (positionals.length > 1) throw new Error('serve takes at most one PATH');
    const target = resolveServeTarget(positionals[0]);
    const staticDir = defaultRendererDir();
    if (!existsSync(join(staticDir, 'index.html'))) err(`quire serve: the renderer is not built (${staticDir}); run \`npm run build\` first.`);

    const host = createHost({ root: target.root, openPath: target.openPath, shell: 'browser' });
    // A host that died on this folder left its port, token and cookie secret: its pages reconnect to us.
    const { server, tookOver, recordError } = await startServeHost({ host, staticDir, root: target.root, ...(port !== undefined ? { port } : {}) });
    if (recordError) err(`quire serve: could not remember this host for pages left open after a restart: ${recordError}`);
    out(`Quire is serving ${target.root}`);
    if (tookOver) out(`Took the place of the earlier host on this folder (it is gone): pages it left open reconnect.`);
    out(`Open this URL (it contains the access token): ${server.url}`);
    // Browsers are opened on a user-only launch page, never on the tokened URL: command lines are public.
    const launch = writeLaunchFile(server.createLaunchUrl());
    out(`Launch page (works once; keeps the token off command lines): ${launch.url}`);
    if (!values['no-browser']) openInBrowser(launch.url);
    host.readAheadOpenNotebook();

    // Stop on SIGINT/SIGTERM (and the terminal closing): kernels first, then the socket. With
    // --exit-with-parent, also when the launcher dies without telling us (we get re-parented).
    const signal = await new Promise<NodeJS.Signals | 'parent exited'>((resolveSignal) => {
      if (values['exit-with-parent']) {
        const parent = process.ppid;
        setInterval(() => {
          if (process.ppid !== parent) resolveSignal('parent exited');
        }, 1000).unref();
      }
      // `on`, not `once`: while we listen, the kernel manager's own signal hook leaves exiting to us.
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => resolveSignal(s));
    });
    err(`quire serve: ${signal}, shutting down kernels...`);
    const forced = setTimeout(() => {
      err('quire serve: kernels did not stop in 10 s; exiting anyway.');
      process.exit(1);
    }, 10_000);
    forced.unref();
    try {
      launch.dispose();
      // Stopped on purpose: the next host starts afresh (new token); only a host that died is taken over.
      await removeServeRecord(target.root);
      // Open pages save their unsaved edits first (bounded: a hung page cannot hold the host up).
      await server.drainPages(signal, PAGE_DRAIN_MS);
      await server.close();
      await host.shutdown();
    } finally {
      clearTimeout(forced);
    }
    // A leftover handle (a library timer) must not keep a stopped host alive.
    setTimeout(() => process.exit(0), 500).unref();
    return 0;
  },
};
