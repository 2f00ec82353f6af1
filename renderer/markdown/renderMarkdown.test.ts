// @vitest-environment jsdom
// jsdom, not happy-dom: DOMPurify 3.4 reads nodeName through Node.prototype getters, which happy-dom 21 does
// not implement there, so under happy-dom DOMPurify silently sanitizes nothing useful.
import { beforeAll, describe, expect, it } from 'vitest';
import { hasPendingMath, loadKatex } from './mathPlugin';
import { renderMarkdown } from './renderMarkdown';
import { IMAGE_PATH_ATTR, IMAGE_PROBLEM_ATTR, IMAGE_SRC_ATTR, sanitizeSvg } from './sanitize';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

function dom(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('renderMarkdown: GitHub-flavoured markdown', () => {
  it('renders tables, strikethrough, autolinks and fenced code with a language class', () => {
    const el = dom(renderMarkdown('| a | b |\n|---|--:|\n| 1 | 2 |\n\n~~gone~~ see https://example.org\n\n```python\nx = 1\n```\n'));
    expect(el.querySelectorAll('table th')).toHaveLength(2);
    expect(el.querySelector('td:last-child')?.getAttribute('style')).toContain('text-align:right');
    expect(el.querySelector('s')?.textContent).toBe('gone');
    expect(el.querySelector('a')?.getAttribute('href')).toBe('https://example.org');
    expect(el.querySelector('pre code.language-python')?.textContent).toBe('x = 1\n');
  });

  it('renders task lists as disabled checkboxes', () => {
    const el = dom(renderMarkdown('- [ ] todo\n- [x] done\n- plain\n'));
    const boxes = el.querySelectorAll('input[type="checkbox"]');
    expect(boxes).toHaveLength(2);
    expect((boxes[0] as HTMLInputElement).checked).toBe(false);
    expect((boxes[1] as HTMLInputElement).checked).toBe(true);
    expect(boxes[0].hasAttribute('disabled')).toBe(true);
    expect(el.querySelector('ul')?.className).toContain('contains-task-list');
    expect(el.querySelectorAll('li')[0].textContent?.trim()).toBe('todo');
  });

  it('gives headings ids for in-page links', () => {
    const el = dom(renderMarkdown('# Results and data\n\n## Results and data\n'));
    expect([...el.querySelectorAll('h1, h2')].map((h) => h.id)).toEqual(['Results-and-data', 'Results-and-data-1']);
  });
});

describe('renderMarkdown: math before KaTeX has loaded', () => {
  it('shows each formula as its escaped source, marked pending', () => {
    const html = renderMarkdown('Inline $a<b$ and\n\n$$\\frac{1}{2}$$\n');
    expect(hasPendingMath(html)).toBe(true);
    const el = dom(html);
    expect(el.querySelector('.katex')).toBeNull();
    expect([...el.querySelectorAll('.quire-math-pending')].map((e) => [e.textContent, e.classList.contains('is-display')])).toEqual([['a<b', false], ['\\frac{1}{2}', true]]);
    expect(hasPendingMath(renderMarkdown('no math, $5 and $6'))).toBe(false);
  });
});

describe('renderMarkdown: math', () => {
  beforeAll(() => loadKatex());
  it('renders inline $…$ and \\(…\\) with KaTeX', () => {
    const el = dom(renderMarkdown('Energy $E = mc^2$ and \\(a^2\\).'));
    const maths = el.querySelectorAll('.katex');
    expect(maths).toHaveLength(2);
    expect(el.querySelector('.katex-display')).toBeNull();
    // DOMPurify drops <annotation> but keeps its text: the TeX source stays in the (visually hidden) MathML.
    expect(el.querySelector('.katex-mathml')?.textContent).toContain('E = mc^2');
  });

  it('renders $$…$$, \\[…\\] and bare environments in display mode', () => {
    const el = dom(renderMarkdown('$$\n\\sum_{i=1}^n i\n$$\n\nText \\[x^2\\] more\n\n\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}\n'));
    expect(el.querySelectorAll('.katex-display')).toHaveLength(3);
    const sources = [...el.querySelectorAll('.katex-mathml')].map((a) => a.textContent);
    expect(sources[0]).toContain('\\sum_{i=1}^n i');
    expect(sources[2]).toContain('\\begin{align}');
  });

  it('leaves prices and escaped dollars alone', () => {
    const el = dom(renderMarkdown('It costs $5 and $6 today, or \\$7.'));
    expect(el.querySelector('.katex')).toBeNull();
    expect(el.textContent).toContain('$5 and $6');
    expect(el.textContent).toContain('$7');
  });

  it('does not let markdown emphasis eat math underscores', () => {
    const el = dom(renderMarkdown('$a_1 + b_1$ and $c_2$'));
    expect(el.querySelector('em')).toBeNull();
    expect(el.querySelectorAll('.katex')).toHaveLength(2);
  });

  it('inserts formulas after sanitizing, only where its own placeholders are', () => {
    const html = renderMarkdown('<span data-quire-math="guess-0"></span> and $x$ <span data-quire-math="x-0">kept</span>');
    const el = dom(html);
    expect(el.querySelectorAll('.katex')).toHaveLength(1);
    expect(el.textContent).toContain('kept');
    expect(el.querySelector('[data-quire-math="guess-0"]')?.innerHTML).toBe('');
    expect(html.match(/data-quire-math/g)).toHaveLength(2);
  });

  it('shows bad TeX in place instead of throwing', () => {
    const el = dom(renderMarkdown('$\\frac{1}{$'));
    expect(el.textContent).toContain('\\frac{1}{');
  });
});

describe('renderMarkdown: sanitizing and links', () => {
  it('removes scripts, event handlers, javascript: URLs and style elements', () => {
    const html = renderMarkdown(
      'hi <script>alert(1)</script><img src="x.png" onerror="alert(2)"><a href="javascript:alert(3)">bad</a><style>body{display:none}</style><div onclick="x()">d</div>\n\n[md](javascript:alert(4))',
    );
    expect(html).not.toMatch(/<script|onerror|onclick|href="javascript:|<style/i);
    const el = dom(html);
    expect(el.querySelectorAll('a[href]')).toHaveLength(0);
    // A relative image has no folder to come from here: no src (no request to the app's origin), a reason.
    expect(el.querySelector('img')?.hasAttribute('src')).toBe(false);
    expect(el.querySelector('img')?.getAttribute('data-quire-image-problem')).toMatch(/next to the notebook/);
    expect(el.textContent).toContain('d');
  });

  it('opens external links in a new window without opener, keeps in-page anchors', () => {
    const el = dom(renderMarkdown('[site](https://example.org) [here](#Results)'));
    const [ext, local] = [...el.querySelectorAll('a')];
    expect(ext.getAttribute('target')).toBe('_blank');
    expect(ext.getAttribute('rel')).toBe('noopener noreferrer');
    expect(local.hasAttribute('target')).toBe(false);
  });

  it('resolves attachment: images from the cell attachments, in markdown and in raw HTML', () => {
    const attachments = { 'plot one.png': { 'image/png': PNG_1PX }, 'b.jpg': { 'image/jpeg': ['/9j/', '4AAQ'] } };
    const el = dom(renderMarkdown('![plot](attachment:plot%20one.png)\n\n<img src="attachment:b.jpg" alt="b">\n\n![missing](attachment:nope.png)', { attachments }));
    const imgs = el.querySelectorAll('img');
    expect(imgs[0].getAttribute('src')).toBe(`data:image/png;base64,${PNG_1PX}`);
    expect(imgs[0].getAttribute('alt')).toBe('plot');
    expect(imgs[1].getAttribute('src')).toBe('data:image/jpeg;base64,/9j/4AAQ');
    expect(imgs[2].getAttribute('src') ?? '').not.toContain('attachment:');
  });
});

describe('renderMarkdown: images by path and from the web', () => {
  const imageFolder = '/home/ada/reports';

  it('marks local images with the absolute path to read, without a src the page would fetch', () => {
    const el = dom(renderMarkdown('![plot](figures/my%20plot.png)\n\n<img src="../img/logo.svg" alt="logo" width="40">\n\n![abs](file:///data/a.png)\n\n![spaced](<my plot.png>)', { imageFolder }));
    const imgs = [...el.querySelectorAll('img')];
    expect(imgs.map((i) => i.getAttribute(IMAGE_PATH_ATTR))).toEqual(['/home/ada/reports/figures/my plot.png', '/home/ada/img/logo.svg', '/data/a.png', '/home/ada/reports/my plot.png']);
    expect(imgs.every((i) => !i.hasAttribute('src'))).toBe(true);
    expect(imgs[0].getAttribute(IMAGE_SRC_ATTR)).toBe('figures/my%20plot.png');
    expect(imgs[1].getAttribute('alt')).toBe('logo');
    expect(imgs[1].getAttribute('width')).toBe('40');
    // A file: link (not an image) still loses its href.
    expect(dom(renderMarkdown('[doc](file:///etc/passwd)', { imageFolder })).querySelector('a')?.hasAttribute('href')).toBe(false);
  });

  it('keeps https: images (no referrer), refuses http: and unsafe ones with a reason', () => {
    const el = dom(renderMarkdown('![a](https://example.org/a.png) ![b](http://example.org/b.png) <img src="javascript:alert(1)" alt="c"> <img src="//cdn.example.org/d.png">', { imageFolder }));
    const [a, b, c, d] = [...el.querySelectorAll('img')];
    expect(a.getAttribute('src')).toBe('https://example.org/a.png');
    expect(a.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(b.hasAttribute('src')).toBe(false);
    expect(b.getAttribute(IMAGE_PROBLEM_ATTR)).toMatch(/only https/i);
    expect(c.hasAttribute('src')).toBe(false);
    expect(c.getAttribute(IMAGE_PROBLEM_ATTR)).toMatch(/javascript: addresses are not shown/);
    expect(d.getAttribute('src')).toBe('https://cdn.example.org/d.png');
  });

  it('drops marks written in the markdown itself, relative srcset, and still strips handlers', () => {
    const html = renderMarkdown(
      '<img src="https://example.org/a.png" data-quire-image-path="/etc/passwd.png" onerror="alert(1)" srcset="big.png 2x">'
      + '<img data-quire-image-path="/home/ada/secret.png" alt="forged">'
      + '<img src="https://example.org/s.png" srcset="https://example.org/s.png 1x, https://example.org/s2.png 2x">',
      { imageFolder },
    );
    expect(html).not.toMatch(/onerror|passwd|secret/);
    const [a, forged, s] = [...dom(html).querySelectorAll('img')];
    expect(a.hasAttribute('srcset')).toBe(false);
    expect(forged.hasAttribute(IMAGE_PATH_ATTR)).toBe(false);
    expect(s.getAttribute('srcset')).toBe('https://example.org/s.png 1x, https://example.org/s2.png 2x');
  });

  it('gives a missing attachment a reason instead of an empty src', () => {
    const img = dom(renderMarkdown('![gone](attachment:nope.png)', { attachments: {} })).querySelector('img')!;
    expect(img.hasAttribute('src')).toBe(false);
    expect(img.getAttribute(IMAGE_PROBLEM_ATTR)).toMatch(/no image attachment/);
    expect(img.getAttribute(IMAGE_SRC_ATTR)).toBe('attachment:nope.png');
  });
});

describe('sanitizeSvg', () => {
  it('keeps drawing elements and drops scripts, handlers and foreignObject HTML', () => {
    const svg = sanitizeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><script>alert(2)</script><circle cx="5" cy="5" r="4" fill="red" onclick="alert(3)"/><foreignObject><iframe src="https://evil"></iframe></foreignObject><a href="javascript:alert(4)"><text>t</text></a></svg>',
    );
    expect(svg).toContain('<circle');
    expect(svg).not.toMatch(/script|onload|onclick|iframe|javascript:/i);
  });
});
