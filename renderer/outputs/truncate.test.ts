import { describe, expect, it } from 'vitest';
import { countLines, truncateText } from './truncate';

describe('truncateText', () => {
  const lines = (n: number): string => Array.from({ length: n }, (_, i) => `line ${i}\n`).join('');

  it('counts lines like an editor', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('a')).toBe(1);
    expect(countLines('a\n')).toBe(1);
    expect(countLines('a\nb')).toBe(2);
  });

  it('keeps short text whole', () => {
    expect(truncateText(lines(10), 10)).toMatchObject({ truncated: false, text: lines(10) });
  });

  it('cuts at the line limit and says how much is hidden', () => {
    const r = truncateText(lines(2500), 1000);
    expect(r.truncated).toBe(true);
    expect(r.text).toBe(lines(1000));
    expect(r.hiddenLines).toBe(1500);
    expect(r.totalLines).toBe(2500);
  });

  it('cuts at the character limit, never inside an ANSI escape', () => {
    const r = truncateText('x'.repeat(50), 0, 20);
    expect(r).toMatchObject({ truncated: true, text: 'x'.repeat(20), hiddenChars: 30 });
    const colored = `${'a'.repeat(18)}\x1b[31mred\x1b[0m`;
    expect(truncateText(colored, 0, 21).text).toBe('a'.repeat(18));
  });

  it('treats 0 and Infinity as no limit', () => {
    expect(truncateText(lines(5000), 0, 0).truncated).toBe(false);
    expect(truncateText(lines(5000), Infinity, Infinity).truncated).toBe(false);
  });
});
