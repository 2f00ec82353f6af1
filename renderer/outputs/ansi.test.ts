import { describe, expect, it } from 'vitest';
import { ansiToHtml, stripAnsi } from './ansi';

describe('ansiToHtml', () => {
  it('turns SGR colours into classes', () => {
    const html = ansiToHtml('\x1b[31mred\x1b[0m plain \x1b[1;32mbold green\x1b[0m');
    expect(html).toContain('<span class="ansi-red-fg">red</span>');
    expect(html).toMatch(/<span[^>]*class="ansi-green-fg"[^>]*>bold green<\/span>/);
    expect(html).toContain(' plain ');
  });

  it('escapes HTML in the text', () => {
    const html = ansiToHtml('<script>alert(1)</script> & "q"');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&amp;');
  });

  it('does not carry colour state from one output to the next', () => {
    ansiToHtml('\x1b[31munterminated');
    expect(ansiToHtml('next')).toBe('next');
  });

  it('strips escapes for plain copies', () => {
    expect(stripAnsi('\x1b[0;31mValueError\x1b[0m: bad')).toBe('ValueError: bad');
  });
});
