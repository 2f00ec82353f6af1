import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { contentSecurityPolicy, MIME_TYPES, resolveStaticPath } from '../kernels/server/staticFiles';
import { OUTPUT_FRAME_PATH_RE, outputFrameHeaders } from '../src/outputs/outputFrame';
import { APP_HOST, APP_ORIGIN } from './security';

/**
 * The response for a `quire://app/…` request: a file from the built renderer with the same CSP
 * the browser host sends, or 404 (other hosts, `..`, symlinks out, missing files). The same path
 * check as the browser host's (kernels/server/staticFiles.ts).
 */
export async function appResponse(rendererDir: string, url: string): Promise<Response> {
  const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return notFound();
  }
  if (parsed.host !== APP_HOST) return notFound();
  const file = resolveStaticPath(rendererDir, parsed.pathname);
  if (!file) return notFound();
  const body = await readFile(file);
  const contentType = MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  // The outputs' sandbox page carries its own policy (src/outputs/outputFrame.ts), as in the browser host.
  const security = OUTPUT_FRAME_PATH_RE.test(parsed.pathname)
    ? outputFrameHeaders()
    : { 'Content-Security-Policy': contentSecurityPolicy(APP_ORIGIN), 'X-Content-Type-Options': 'nosniff' };
  return new Response(new Uint8Array(body), { status: 200, headers: { 'Content-Type': contentType, ...security } });
}
