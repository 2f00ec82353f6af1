/**
 * The sandbox page for rich HTML/JavaScript outputs (renderer/outputs/frame/outputFrame.html) must
 * be served differently from the app: a srcdoc/blob:/data: frame would inherit the app's CSP (no
 * inline scripts), so the frame is a real document with its own policy, loaded into
 * `<iframe sandbox="allow-scripts">` (opaque origin). Hosts that serve the built renderer (the
 * browser host server, Electron's app protocol) recognise it by name and use these headers for it.
 */

/** Matches the built file's path (Vite emits `assets/outputFrame-<hash>.html`; dev serves the source name). */
export const OUTPUT_FRAME_PATH_RE = /(^|\/)outputFrame(-[A-Za-z0-9_-]+)?\.html$/;

/**
 * The frame's policy (identical to the meta tag in outputFrame.html). Scripts may be inline or from
 * https (output HTML embeds libraries), but the frame may not connect anywhere, submit forms or nest
 * frames; it runs in an opaque origin, so it cannot reach the app, its storage or its host API.
 */
export const OUTPUT_FRAME_CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' https: data: blob:; style-src 'unsafe-inline' https: data:; img-src data: blob: https:; font-src data: https:; media-src data: blob: https:; connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'";

/** Response headers for the frame page: its own CSP, embeddable only by the app's own pages. */
export function outputFrameHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': `${OUTPUT_FRAME_CSP}; frame-ancestors 'self'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
