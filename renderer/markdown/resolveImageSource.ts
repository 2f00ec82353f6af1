/**
 * Where a markdown image comes from. Notebooks show figures by a path next to the notebook
 * (`![plot](figures/plot.png)`, `<img src="img/logo.svg">`), by an absolute path or `file://` URL, or
 * from the web; the page itself can load none of the local ones (its origin is the app), so they
 * are read through the host (`files.readImage`) and relative ones are taken from the notebook's
 * folder, as Jupyter does, never from the server's working directory.
 */

export type ImageSource =
  /** A file to read through the host: an absolute, normalized path. */
  | { kind: 'local'; path: string }
  /** An https: image the page loads itself (the CSP allows https: for images only). */
  | { kind: 'remote'; url: string }
  /** `data:` and `attachment:` URLs, which the sanitizer handles. */
  | { kind: 'inline' }
  /** Never loaded; `reason` says why, for the image's tooltip. */
  | { kind: 'refused'; reason: string };

const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:(?:[\\/]|$)|[\\/]{2}[^\\/]+[\\/]+[^\\/]+)/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** True for `C:\…`, `C:/…` and `\\server\share` paths: those use Windows' rules. */
export function isWindowsPath(path: string): boolean {
  return WINDOWS_ABSOLUTE.test(path);
}

/** Removes `.` and `..` segments and doubled separators; `..` never climbs above the root. */
export function normalizePath(path: string, windows = isWindowsPath(path)): string {
  const separator = windows ? '\\' : '/';
  let root = '';
  let rest = path;
  if (windows) {
    const match = /^(?:[A-Za-z]:|[\\/]{2}[^\\/]+[\\/]+[^\\/]+)?[\\/]?/.exec(path)?.[0] ?? '';
    const unc = /^[\\/]{2}[^\\/]/.test(match);
    root = (unc ? '\\' : '') + match.replace(/[\\/]+/g, '\\');
    if (root && !root.endsWith('\\')) root += '\\';
    rest = path.slice(match.length);
  } else if (path.startsWith('/')) {
    root = '/';
  }
  const segments: string[] = [];
  for (const segment of rest.split(windows ? /[\\/]+/ : /\/+/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length > 0 && segments[segments.length - 1] !== '..') segments.pop();
      else if (!root) segments.push('..');
      continue;
    }
    segments.push(segment);
  }
  return root + segments.join(separator) || '.';
}

/** The folder holding a file: `/work/nb.ipynb` → `/work`, `C:\nb.ipynb` → `C:\`. */
export function parentFolder(path: string): string {
  return normalizePath(`${path}/..`, isWindowsPath(path));
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a literal `%` in a file name
  }
}

/**
 * Resolves an image's `src` against the folder of the notebook showing it (`folder`, absolute).
 * Relative paths and absolute ones are percent-decoded (`my%20plot.png`) after dropping any
 * `?query`/`#fragment`; `./` and `../` are resolved; `file://` URLs become paths. Remote images must
 * be https: (`//host/x.png` is taken as https:); anything else is refused with a reason.
 */
export function resolveImageSource(src: string, folder: string | undefined): ImageSource {
  const value = src.trim();
  if (!value) return { kind: 'refused', reason: 'The image has no address.' };
  if (/^(?:data|attachment):/i.test(value)) return { kind: 'inline' };
  if (/^https:/i.test(value)) return { kind: 'remote', url: value };
  if (value.startsWith('//')) return { kind: 'remote', url: `https:${value}` };
  const windows = folder !== undefined && isWindowsPath(folder);
  if (/^file:/i.test(value)) return fileUrl(value);
  if (isWindowsPath(value)) return { kind: 'local', path: normalizePath(decode(withoutQuery(value)), true) };
  const scheme = SCHEME.exec(value)?.[1].toLowerCase();
  if (scheme === 'http') return { kind: 'refused', reason: 'Only https: images are loaded from the web; this one is http:.' };
  if (scheme) return { kind: 'refused', reason: `${scheme}: addresses are not shown as images.` };
  const path = decode(withoutQuery(value));
  if (path.startsWith('/') || (windows && path.startsWith('\\'))) {
    // `/abs/path` is a path on this computer (on Windows, on the notebook's drive).
    return { kind: 'local', path: windows ? normalizePath(`${folder!.slice(0, 2)}${path}`, true) : normalizePath(path, false) };
  }
  if (folder === undefined) return { kind: 'refused', reason: 'Relative images are found next to the notebook; save it first.' };
  return { kind: 'local', path: normalizePath(`${folder}${windows ? '\\' : '/'}${path}`, windows) };
}

function withoutQuery(value: string): string {
  return value.replace(/[?#].*$/s, '');
}

function fileUrl(value: string): ImageSource {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { kind: 'refused', reason: 'This file: URL cannot be read.' };
  }
  if (url.host && url.host !== 'localhost') return { kind: 'refused', reason: `file: URLs on another computer (${url.host}) are not shown.` };
  const path = decode(url.pathname);
  // file:///C:/x.png names C:\x.png.
  if (/^\/[A-Za-z]:(?:\/|$)/.test(path)) return { kind: 'local', path: normalizePath(path.slice(1), true) };
  return { kind: 'local', path: normalizePath(path, false) };
}
