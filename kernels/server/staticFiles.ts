import { createReadStream, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { OUTPUT_FRAME_PATH_RE, outputFrameHeaders } from '../../src/outputs/outputFrame';

/** Content types for what Vite emits (and a little more); anything else is served as bytes. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page's Content-Security-Policy. Scripts only from the app itself (no eval: vega runs with
 * its interpreter), inline styles for monaco and KaTeX, workers from the app or blob: (monaco),
 * images and media from data:/blob: (notebook outputs, markdown images read through the host), images
 * (only images) also from https: as in JupyterLab and VS Code (`![logo](https://…)` in markdown), sockets
 * only back to this host. assets/index.html repeats this policy in a meta tag; keep the two in step.
 */
export function contentSecurityPolicy(origin: string): string {
  const wsOrigin = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "media-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    `connect-src 'self' ${wsOrigin}`,
    "frame-src 'self' blob: data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Resolves a URL path to a file under `rootDir`, or undefined when it would leave the folder
 * (`..`, encoded slashes, NUL, symlinks pointing out) or does not name a file. `/` is index.html.
 */
export function resolveStaticPath(rootDir: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const relativePath = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = resolve(rootDir);
  const candidate = resolve(join(root, relativePath));
  if (!isInside(root, candidate)) return undefined;
  try {
    const real = realpathSync.native(candidate);
    if (!isInside(realpathSync.native(root), real)) return undefined;
    return statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Serves GET/HEAD for the built renderer with security headers; everything else is 404/405. */
export function serveStatic(rootDir: string, origin: string, request: IncomingMessage, response: ServerResponse): void {
  const urlPath = (request.url ?? '/').split('?')[0].split('#')[0];
  // The outputs' sandbox page has its own policy and must be frameable by the app (src/outputs/outputFrame.ts).
  const headers: Record<string, string> = OUTPUT_FRAME_PATH_RE.test(urlPath) ? outputFrameHeaders() : {
    'Content-Security-Policy': contentSecurityPolicy(origin),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
    return;
  }
  const file = resolveStaticPath(rootDir, urlPath);
  if (!file) {
    response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  const type = MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  // Hashed Vite assets can be cached; the HTML (which names them) must not be.
  const cache = type.startsWith('text/html') ? 'no-store' : 'no-cache';
  response.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(statSync(file).size), 'Cache-Control': cache });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).on('error', () => response.destroy()).pipe(response);
}
