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

  it('turns OSC-8 hyperlinks into links that open outside the app, http(s) and mailto only', () => {
    const osc8 = (url: string, text: string) => `\x1b]8;;${url}\x1b\\${text}\x1b]8;;\x1b\\`;
    const html = ansiToHtml(`see ${osc8('https://example.org/docs', 'the docs')} or ${osc8('mailto:a@example.org', 'mail')}`);
    expect(html).toContain('<a target="_blank" rel="noopener noreferrer" href="https://example.org/docs">the docs</a>');
    expect(html).toContain('<a target="_blank" rel="noopener noreferrer" href="mailto:a@example.org">mail</a>');
    for (const bad of ['javascript:alert(1)', 'JavaScript:alert(1)', 'file:///etc/passwd', 'data:text/html,x']) {
      expect(ansiToHtml(osc8(bad, 'x')), bad).not.toContain('<a');
    }
    // Text that looks like the link markup stays text.
    expect(ansiToHtml('<a href="https://x">')).not.toContain('<a');
  });

  it('strips escapes for plain copies', () => {
    expect(stripAnsi('\x1b[0;31mValueError\x1b[0m: bad')).toBe('ValueError: bad');
  });
});
