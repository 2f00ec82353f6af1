import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL, createWillNavigateHandler, createWindowOpenHandler, isAppUrl, isSafeExternalUrl,
  permissionCheckHandler, permissionRequestHandler, preventWebview, secureWebPreferences,
} from './security';

const event = () => {
  const e = { prevented: false, preventDefault() { e.prevented = true; } };
  return e;
};

describe('window security', () => {
  it('isolates, sandboxes and keeps Node out of the page', () => {
    const prefs = secureWebPreferences('/app/dist/main/preload.cjs');
    expect(prefs).toMatchObject({
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
      preload: '/app/dist/main/preload.cjs',
    });
    expect(prefs.experimentalFeatures).toBe(false);
  });

  it('recognises only its own pages', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('quire://app/index.html?x=1#y')).toBe(true);
    for (const url of ['quire://other/index.html', 'file:///app/index.html', 'https://app/index.html', 'quire://user:pw@app/', 'about:blank', '', undefined, 'not a url']) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });

  it('opens only http(s) links without credentials externally', () => {
    expect(isSafeExternalUrl('https://jupyter.org/')).toBe(true);
    expect(isSafeExternalUrl('http://example.com/a?b')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com/', 'quire://app/', 'data:text/html,x']) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });

  it('prevents navigation away from the app and hands safe links to the OS browser', () => {
    const opened: string[] = [];
    const handler = createWillNavigateHandler((url) => opened.push(url));
    const inside = event();
    handler(inside, 'quire://app/index.html');
    expect(inside.prevented).toBe(false);
    const outside = event();
    handler(outside, 'https://example.com/');
    expect(outside.prevented).toBe(true);
    const file = event();
    handler(file, 'file:///etc/passwd');
    expect(file.prevented).toBe(true);
    expect(opened).toEqual(['https://example.com/']);
  });

  it('denies every new window, opening safe links externally', () => {
    const opened: string[] = [];
    const handler = createWindowOpenHandler((url) => opened.push(url));
    expect(handler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'quire://app/index.html' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///tmp/x' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/']);
  });

  it('denies permissions except clipboard writes from the app, and refuses webviews', () => {
    const answer = (permission: string, url?: string) => {
      let granted: boolean | undefined;
      permissionRequestHandler(null, permission, (g) => (granted = g), url ? { requestingUrl: url } : undefined);
      return granted;
    };
    expect(answer('media', APP_ENTRY_URL)).toBe(false);
    expect(answer('geolocation', APP_ENTRY_URL)).toBe(false);
    expect(answer('notifications')).toBe(false);
    expect(answer('clipboard-sanitized-write', APP_ENTRY_URL)).toBe(true);
    expect(answer('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(permissionCheckHandler(null, 'clipboard-sanitized-write', 'quire://app')).toBe(true);
    expect(permissionCheckHandler(null, 'media', 'quire://app')).toBe(false);
    const webview = event();
    preventWebview(webview);
    expect(webview.prevented).toBe(true);
  });
});
