import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A launch page on disk: open `url` in a browser; `dispose` removes it and its folder. */
export interface LaunchFile {
  path: string;
  url: string;
  dispose(): void;
}

/**
 * The user's runtime folder when it is a private one of ours ($XDG_RUNTIME_DIR, 0700), else the temp
 * folder. Either way the page goes into a fresh mkdtemp folder (0700), so its name cannot be raced.
 */
export function launchFileBase(env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime) {
    try {
      const stat = statSync(runtime);
      if (stat.isDirectory() && (stat.mode & 0o077) === 0 && stat.uid === process.getuid?.()) return runtime;
    } catch {
      // not there: use the temp folder
    }
  }
  return tmpdir();
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Writes a user-only (0600, in a 0700 folder) HTML page that sends the browser to `launchUrl` (the
 * one-time code address from HostServer.createLaunchUrl). Browsers are opened on this file instead
 * of the tokened URL, because a command line (`ps`, /proc/PID/cmdline) is readable by every local
 * user, and whoever has the token runs code as this user. This is what Jupyter Server does.
 */
export function writeLaunchFile(launchUrl: string, base: string = launchFileBase()): LaunchFile {
  const dir = mkdtempSync(join(base, 'quire-launch-'));
  const path = join(dir, 'launch.html');
  const href = escapeAttribute(launchUrl);
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${href}">
<title>Opening Quire…</title></head>
<body><p>Opening Quire… If nothing happens, <a href="${href}">continue to Quire</a>.</p></body></html>
`;
  // 'wx': never through a file or link someone else put there; mode 0600 from the first byte.
  writeFileSync(path, html, { mode: 0o600, flag: 'wx' });
  return { path, url: pathToFileURL(path).href, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
