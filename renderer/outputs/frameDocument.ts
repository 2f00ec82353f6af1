/**
 * The document written into the sandboxed output frame: base styles (pandas DataFrames included),
 * the output's HTML or script, and a small script that reports the content height and forwards link
 * clicks to the parent (the frame has no popups permission).
 */

/** Messages the frame sends to its parent. */
export type FrameMessage =
  | { type: 'quire-frame:ready' }
  | { type: 'quire-frame:height'; height: number }
  | { type: 'quire-frame:link'; href: string; activated: boolean };

const FRAME_STYLE = `
html, body { margin: 0; padding: 0; background: transparent; }
body {
  display: flow-root; padding: 2px 2px 4px; color: #1f2328;
  font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', 'Inter', 'Helvetica Neue', Arial, sans-serif;
  font-size: 13px; line-height: 1.45; overflow-y: hidden;
}
pre, code { font-family: 'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace; font-size: 12.5px; }
img, svg { max-width: 100%; }
a { color: #0b66d6; }
/* pandas DataFrame.to_html / Styler, in the spirit of JupyterLab's rendermime table styles. */
table { border-collapse: collapse; border-spacing: 0; border: none; font-size: 12.5px; font-variant-numeric: tabular-nums; table-layout: auto; margin: 0; }
thead { border-bottom: 1px solid #c9ced6; vertical-align: bottom; }
tr, th, td { text-align: right; vertical-align: middle; padding: 4px 10px; line-height: 1.4; max-width: none; border: none; white-space: nowrap; }
th { font-weight: 600; color: #1f2328; }
tbody th { color: #3d444d; }
tbody tr:nth-child(odd) { background: #f7f8fa; }
tbody tr:hover { background: #e8f0fc; }
table.dataframe { margin-bottom: 4px; }
.dataframe thead th { text-align: right; }
.dataframe tbody tr th:only-of-type { vertical-align: middle; }
p { margin: 0 0 0.6em; }
`;

/**
 * The dark theme's defaults, after the base styles: the same low specificity, so a page that sets
 * its own colours keeps them (as in JupyterLab's dark theme). No `color-scheme: dark` here: a frame
 * whose scheme differs from its element's gets an opaque canvas instead of the cell's ground.
 */
const DARK_FRAME_STYLE = `
body { color: #d5d9e0; }
a { color: #6cb6ff; }
thead { border-bottom-color: #3b414b; }
th { color: #e6e9ee; }
tbody th { color: #b7bdc7; }
tbody tr:nth-child(odd) { background: #22262d; }
tbody tr:hover { background: #2b3442; }
`;

/** Which look the frame's base styles take: the app's resolved theme. */
export type FrameTheme = 'light' | 'dark';

function frameStyle(theme: FrameTheme): string {
  return theme === 'dark' ? FRAME_STYLE + DARK_FRAME_STYLE : FRAME_STYLE;
}

const FRAME_SCRIPT = `
(function () {
  var last = -1;
  function report() {
    var body = document.body;
    if (!body) return;
    var rect = body.getBoundingClientRect();
    var scrollbar = window.innerHeight - document.documentElement.clientHeight;
    var height = Math.ceil(Math.max(rect.height, body.scrollHeight) + (scrollbar > 0 ? scrollbar : 0));
    if (height !== last) {
      last = height;
      parent.postMessage({ type: 'quire-frame:height', height: height }, '*');
    }
  }
  if (typeof ResizeObserver === 'function') new ResizeObserver(report).observe(document.body);
  window.addEventListener('load', report);
  report();
  document.addEventListener('click', function (event) {
    var el = event.target;
    while (el && String(el.tagName).toUpperCase() !== 'A') el = el.parentElement;
    var attr = el && (el.getAttribute('href') || el.getAttribute('xlink:href'));
    if (!attr || attr.charAt(0) === '#') return;
    // As written: a relative link would resolve against the app's own origin, and is not opened.
    var href = attr.trim();
    // Never navigate the frame itself; the app opens allowed links outside.
    event.preventDefault();
    // Only a real click asks the app to open a link; the app checks the gesture again on its side.
    var activated = !!(navigator.userActivation && navigator.userActivation.isActive);
    if (activated && /^(https?:|mailto:)/i.test(href)) {
      parent.postMessage({ type: 'quire-frame:link', href: href, activated: true }, '*');
    }
  }, true);
})();
`;

/** Keeps `</script>` inside script text from closing the element early. */
function escapeScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** Builds the frame document for a `text/html` output. */
export function htmlFrameDocument(html: string, theme: FrameTheme = 'light'): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>${frameStyle(theme)}</style></head><body>${html}<script>${FRAME_SCRIPT}</script></body></html>`;
}

/**
 * Builds the frame document for an `application/javascript` output. IPython's `Javascript` objects
 * expect an `element` to draw into, as the classic notebook provided.
 */
export function javascriptFrameDocument(code: string, theme: FrameTheme = 'light'): string {
  const run = `var element = document.getElementById('output');\ntry {\n${escapeScript(code)}\n} catch (e) { var p = document.createElement('pre'); p.style.color = '#b42318'; p.textContent = String(e && e.stack || e); element.appendChild(p); }`;
  return `<!doctype html><html><head><meta charset="utf-8"><style>${frameStyle(theme)}</style></head><body><div id="output"></div><script>${run}</script><script>${FRAME_SCRIPT}</script></body></html>`;
}

/** Whether a value posted by a frame is one of ours. */
export function isFrameMessage(data: unknown): data is FrameMessage {
  if (!data || typeof data !== 'object') return false;
  const d = data as { type?: unknown; height?: unknown; href?: unknown; activated?: unknown };
  if (d.type === 'quire-frame:ready') return true;
  if (d.type === 'quire-frame:height') return typeof d.height === 'number' && Number.isFinite(d.height);
  if (d.type === 'quire-frame:link') return typeof d.href === 'string' && typeof d.activated === 'boolean';
  return false;
}
