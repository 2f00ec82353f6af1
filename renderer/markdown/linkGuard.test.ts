// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installLinkGuard } from './linkGuard';
import { externalLinkUrl, httpsMediaUrl, openExternalLink } from './linkRules';

let uninstall: (() => void) | undefined;
afterEach(() => {
  uninstall?.();
  document.body.innerHTML = '';
});

/** Clicks like a user: a cancelable event; returns whether the default action (navigation) was cancelled. */
function click(el: Element, init: MouseEventInit = {}, type = 'click'): boolean {
  const event = new MouseEvent(type, { bubbles: true, cancelable: true, ...init });
  el.dispatchEvent(event);
  return event.defaultPrevented;
}

describe('installLinkGuard', () => {
  it('never lets a link in notebook content navigate the app; allowed links open outside', () => {
    const open = vi.fn();
    uninstall = installLinkGuard(document, open);
    // What an OSC-8 link in a stream looked like before: a plain <a href> with no target.
    document.body.innerHTML = `
      <div class="quire-output-area"><pre><a id="osc8" href="https://example.org/osc8"><span id="inner">x</span></a></pre></div>
      <div class="quire-markdown"><a id="js" href="javascript:alert(1)">j</a><a id="anchor" href="#Results">r</a><a id="rel" href="other.ipynb">o</a>
        <svg><a id="svg" href="https://example.org/svg"><text id="svgtext">s</text></a></svg></div>
      <a id="app" href="#/settings">app link</a>`;
    expect(click(document.getElementById('inner')!)).toBe(true);
    expect(open).toHaveBeenLastCalledWith('https://example.org/osc8');
    expect(click(document.getElementById('svgtext')!)).toBe(true);
    expect(open).toHaveBeenLastCalledWith('https://example.org/svg');
    open.mockClear();
    expect(click(document.getElementById('js')!)).toBe(true);
    expect(click(document.getElementById('rel')!)).toBe(true);
    // The guard passes them on; the rules (openExternalLink) refuse them.
    expect(open.mock.calls.map(([href]) => openExternalLink(href as string, () => undefined))).toEqual([false, false]);
    open.mockClear();
    // In-page anchors and the app's own links are not ours to stop.
    expect(click(document.getElementById('anchor')!)).toBe(false);
    expect(click(document.getElementById('app')!)).toBe(false);
    expect(open).not.toHaveBeenCalled();
    // Middle click opens it the same way; the right button only cancels.
    expect(click(document.getElementById('osc8')!, { button: 1 }, 'auxclick')).toBe(true);
    expect(open).toHaveBeenCalledTimes(1);
    expect(click(document.getElementById('osc8')!, { button: 2 }, 'auxclick')).toBe(true);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('runs before content handlers (capture phase) and stops when uninstalled', () => {
    const open = vi.fn();
    uninstall = installLinkGuard(document, open);
    document.body.innerHTML = '<div class="quire-markdown"><a id="l" href="https://example.org/">l</a></div>';
    document.getElementById('l')!.addEventListener('click', (e) => e.stopPropagation());
    expect(click(document.getElementById('l')!)).toBe(true);
    uninstall();
    uninstall = undefined;
    expect(click(document.getElementById('l')!)).toBe(false);
  });
});

describe('link rules', () => {
  it('opens http:, https: and mailto: only, without opener or referrer', () => {
    expect(externalLinkUrl('https://example.org/a?b#c')).toBe('https://example.org/a?b#c');
    expect(externalLinkUrl('mailto:a@example.org')).toBe('mailto:a@example.org');
    for (const bad of ['javascript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'blob:https://a/b', 'other.ipynb', '//evil.example', 'https://u:p@example.org', 'quire://app/index.html', '']) {
      expect(externalLinkUrl(bad), bad).toBeUndefined();
    }
    const open = vi.fn();
    expect(openExternalLink('https://example.org/', open)).toBe(true);
    expect(open).toHaveBeenCalledWith('https://example.org/', '_blank', 'noopener,noreferrer');
    expect(openExternalLink('javascript:alert(1)', open)).toBe(false);
    expect(openExternalLink('http://127.0.0.1:8888/index.html', open, 'http://127.0.0.1:8888')).toBe(false);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('loads media from https: only', () => {
    expect(httpsMediaUrl('https://example.org/v.mp4')).toBe('https://example.org/v.mp4');
    for (const bad of ['http://example.org/v.mp4', 'v.mp4', 'data:video/mp4,x', 'file:///v.mp4']) expect(httpsMediaUrl(bad), bad).toBeUndefined();
  });
});
