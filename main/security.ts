import type { WebPreferences } from 'electron';

/**
 * Electron security checklist, as pure functions so each rule is unit-tested without Electron.
 * The app's pages come from a privileged custom scheme (`quire://app/…`, checklist item 18:
 * avoid file://), and nothing else may load, navigate, open windows or talk to the host.
 */
export const APP_SCHEME = 'quire';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The window's webPreferences: isolation and sandbox on, Node off, web security on (items 2-6). */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** True only for our own pages: `quire://app/…` (exact scheme and host, no credentials). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}

/** Links we hand to the OS browser: http(s) only, no credentials in the URL (item 15). */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && !parsed.username && !parsed.password && parsed.hostname.length > 0;
  } catch {
    return false;
  }
}

/** `will-navigate`: stay on our pages; a link elsewhere is opened in the OS browser instead (item 13). */
export function createWillNavigateHandler(openExternal: (url: string) => void) {
  return (event: { preventDefault(): void }, url: string): void => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (isSafeExternalUrl(url)) openExternal(url);
  };
}

/** `setWindowOpenHandler`: never a new Electron window; safe links go to the OS browser (item 14). */
export function createWindowOpenHandler(openExternal: (url: string) => void) {
  return (details: { url: string }): { action: 'deny' } => {
    if (isSafeExternalUrl(details.url)) openExternal(details.url);
    return { action: 'deny' };
  };
}

/** Permissions a notebook page may get: only writing to the clipboard (copy cells/outputs) (item 5). */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export function permissionRequestHandler(
  _webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details?: { requestingUrl?: string },
): void {
  callback(ALLOWED_PERMISSIONS.has(permission) && (details?.requestingUrl === undefined || isAppUrl(details.requestingUrl)));
}

export function permissionCheckHandler(_webContents: unknown, permission: string, requestingOrigin: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(`${requestingOrigin}/`);
}

/** `will-attach-webview`: we use no <webview>; refuse any (item 12). */
export function preventWebview(event: { preventDefault(): void }): void {
  event.preventDefault();
}
