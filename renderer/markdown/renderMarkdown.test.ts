// @vitest-environment jsdom
// jsdom, not happy-dom: DOMPurify 3.4 reads nodeName through Node.prototype getters, which happy-dom 21 does
// not implement there, so under happy-dom DOMPurify silently sanitizes nothing useful.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './renderMarkdown';
import { sanitizeSvg } from './sanitize';

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

describe('renderMarkdown: math', () => {
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
    expect(el.querySelector('img')?.getAttribute('src')).toBe('x.png');
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

describe('sanitizeSvg', () => {
  it('keeps drawing elements and drops scripts, handlers and foreignObject HTML', () => {
    const svg = sanitizeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><script>alert(2)</script><circle cx="5" cy="5" r="4" fill="red" onclick="alert(3)"/><foreignObject><iframe src="https://evil"></iframe></foreignObject><a href="javascript:alert(4)"><text>t</text></a></svg>',
    );
    expect(svg).toContain('<circle');
    expect(svg).not.toMatch(/script|onload|onclick|iframe|javascript:/i);
  });
});
