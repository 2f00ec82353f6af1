// @vitest-environment jsdom
// jsdom: DOMPurify does nothing useful under happy-dom 21 (see renderMarkdown.test.ts).
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './renderMarkdown';
import { sanitizeHtml, sanitizeSvg } from './sanitize';

function dom(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('sanitizer: content stays in its cell', () => {
  it('filters style attributes in markdown (the fake sign-in screen)', () => {
    const el = dom(renderMarkdown('<div id="fake" style="position:fixed; top:0; left:0; width:100vw; height:100vh; z-index:99999; background:white; transform:scale(2)">Sign in</div>\n\ntext'));
    expect(el.querySelector('#fake')?.getAttribute('style')).toBe('width:100vw;height:100vh;background:white');
    expect(dom(renderMarkdown('<span style="position:absolute">x</span>')).querySelector('span')?.hasAttribute('style')).toBe(false);
  });

  it("drops the app's own classes from content", () => {
    const el = dom(renderMarkdown('<div class="quire-modal-backdrop note">x</div>'));
    expect(el.querySelector('div')?.getAttribute('class')).toBe('note');
  });

  it('filters SVG outputs too: no <style> element (it would restyle the whole app), filtered style attributes', () => {
    const svg = sanitizeSvg('<svg xmlns="http://www.w3.org/2000/svg"><style>body { display: none }</style><rect style="position:fixed;fill:red" width="5" height="5"/></svg>');
    expect(svg).not.toContain('<style');
    expect(svg).not.toContain('display: none');
    expect(dom(svg).querySelector('rect')?.getAttribute('style')).toBe('fill:red');
    expect(sanitizeHtml('<svg><style>*{}</style></svg><style>p{}</style>')).not.toContain('<style');
  });
});

describe('sanitizer: links', () => {
  it('keeps http:, https: and mailto: links (new context, no opener, no referrer) and in-page anchors', () => {
    const el = dom(renderMarkdown('[a](https://example.org/a) [b](http://example.org/b) [c](mailto:x@example.org) [d](#Results)'));
    const links = [...el.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.org/a', 'http://example.org/b', 'mailto:x@example.org', '#Results']);
    for (const a of links.slice(0, 3)) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    }
    expect(links[3].hasAttribute('target')).toBe(false);
  });

  it('drops javascript:, file:, data:, blob:, relative and protocol-relative links, saying why in a tooltip', () => {
    for (const href of ['javascript:alert(1)', 'java&#9;script:alert(1)', 'JaVaScRiPt:alert(1)', 'file:///etc/passwd', 'data:text/html,<script>x</script>', 'blob:https://x/1', 'other.ipynb', '/etc/passwd', '//evil.example/x', 'https://user:pw@example.org/']) {
      const a = dom(sanitizeHtml(`<a href="${href}" target="_self">t</a>`)).querySelector('a')!;
      expect(a.hasAttribute('href'), href).toBe(false);
      expect(a.hasAttribute('target'), href).toBe(false);
      expect(a.getAttribute('title'), href).toMatch(/only http:, https: and mailto:/);
      expect(a.textContent).toBe('t');
    }
    expect(dom(sanitizeHtml('<map><area href="javascript:x()"></map>')).querySelector('area')?.hasAttribute('href')).toBe(false);
    expect(sanitizeHtml('<a href="https://example.org" ping="https://track.example">t</a>')).not.toContain('ping');
  });

  it('gives SVG links the same rules', () => {
    const svg = dom(sanitizeSvg('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a href="https://example.org/s"><text>s</text></a><a xlink:href="javascript:alert(1)"><text>j</text></a></svg>'));
    const [good, bad] = [...svg.querySelectorAll('a')];
    expect(good.getAttribute('href')).toBe('https://example.org/s');
    expect(good.getAttribute('target')).toBe('_blank');
    expect(bad.hasAttribute('xlink:href') || bad.hasAttribute('href')).toBe(false);
  });
});

describe('sanitizer: media URLs follow the <img> rules', () => {
  const attr = (html: string, selector: string, name: string) => dom(sanitizeHtml(html)).querySelector(selector)?.getAttribute(name) ?? null;

  it('keeps https: media and drops everything else on video, audio, source, track, picture, input and background', () => {
    expect(attr('<video src="https://example.org/v.mp4" poster="https://example.org/p.png"></video>', 'video', 'src')).toBe('https://example.org/v.mp4');
    expect(attr('<video src="https://example.org/v.mp4" poster="https://example.org/p.png"></video>', 'video', 'poster')).toBe('https://example.org/p.png');
    for (const bad of ['http://example.org/x', 'file:///etc/passwd', 'relative.mp4', '/rpc', 'javascript:alert(1)', 'blob:https://x/1']) {
      expect(attr(`<video src="${bad}" poster="${bad}"></video>`, 'video', 'src'), bad).toBeNull();
      expect(attr(`<video src="${bad}" poster="${bad}"></video>`, 'video', 'poster'), bad).toBeNull();
      expect(attr(`<audio src="${bad}"></audio>`, 'audio', 'src'), bad).toBeNull();
      expect(attr(`<video><source src="${bad}"></video>`, 'source', 'src'), bad).toBeNull();
      expect(attr(`<video><track src="${bad}"></video>`, 'track', 'src'), bad).toBeNull();
      expect(attr(`<picture><source srcset="${bad} 2x"><img src="https://example.org/i.png"></picture>`, 'source', 'srcset'), bad).toBeNull();
      expect(attr(`<input type="image" src="${bad}">`, 'input', 'src'), bad).toBeNull();
      expect(attr(`<table background="${bad}"><tr><td background="${bad}">x</td></tr></table>`, 'td', 'background'), bad).toBeNull();
    }
    expect(attr('<picture><source srcset="https://example.org/a.png 1x, https://example.org/b.png 2x"></picture>', 'source', 'srcset')).toBe('https://example.org/a.png 1x, https://example.org/b.png 2x');
    expect(attr('<input type="image" src="https://example.org/b.png">', 'input', 'src')).toBe('https://example.org/b.png');
  });

  it('lets SVG images embed data: bitmaps or https:, and SVG references stay inside the document', () => {
    const svg = (body: string) => dom(sanitizeSvg(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">${body}</svg>`));
    expect(svg('<image href="data:image/png;base64,iVBORw0KGgo="/>').querySelector('image')?.getAttribute('href')).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(svg('<image href="https://example.org/a.png"/>').querySelector('image')?.getAttribute('href')).toBe('https://example.org/a.png');
    expect(svg('<image href="file:///etc/passwd"/>').querySelector('image')?.hasAttribute('href')).toBe(false);
    expect(svg('<image href="data:image/svg+xml,<svg/>"/>').querySelector('image')?.hasAttribute('href')).toBe(false);
    // DOMPurify drops <use> itself; a reference on another element may only point inside the document.
    expect(svg('<use href="https://example.org/sprite.svg#x"/>').querySelector('use[href]')).toBeNull();
    expect(svg('<text><textPath href="#curve">t</textPath></text>').querySelector('textPath')?.getAttribute('href')).toBe('#curve');
    expect(svg('<text><textPath href="https://example.org/p.svg#c">t</textPath></text>').querySelector('textPath')?.hasAttribute('href')).toBe(false);
  });
});
