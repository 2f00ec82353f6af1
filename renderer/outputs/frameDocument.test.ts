import { describe, expect, it } from 'vitest';
import { htmlFrameDocument, javascriptFrameDocument } from './frameDocument';

describe('frame documents follow the app theme', () => {
  it('dark: the frame gets light text and dark table rows; light: neither', () => {
    for (const doc of [htmlFrameDocument('<table></table>', 'dark'), javascriptFrameDocument('1', 'dark')]) {
      expect(doc).toMatch(/body \{ color: #d5d9e0; \}/);
      expect(doc).toContain('tbody tr:nth-child(odd) { background: #22262d; }');
    }
    for (const doc of [htmlFrameDocument('<table></table>'), javascriptFrameDocument('1', 'light')]) {
      expect(doc).not.toContain('#d5d9e0');
    }
  });

  it('the dark defaults come after the base styles, so they win over them and a page\'s own styles still win over both', () => {
    const doc = htmlFrameDocument('<style>body { color: red }</style><p>x</p>', 'dark');
    const head = doc.slice(0, doc.indexOf('</head>'));
    expect(head.indexOf('color: #1f2328')).toBeLessThan(head.indexOf('color: #d5d9e0'));
    expect(doc.indexOf('color: #d5d9e0')).toBeLessThan(doc.indexOf('body { color: red }'));
  });
});
