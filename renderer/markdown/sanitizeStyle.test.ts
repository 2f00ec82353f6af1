import { describe, expect, it } from 'vitest';
import { sanitizeClassList, sanitizeStyle } from './sanitizeStyle';

describe('sanitizeStyle', () => {
  it('drops what lifts content out of its cell: fixed/absolute/sticky positions, offsets, z-index, transforms', () => {
    expect(sanitizeStyle('position:fixed;inset:0;z-index:2147483647;background:#fff;color:red')).toBe('background:#fff;color:red');
    for (const position of ['fixed', 'absolute', 'sticky', 'FIXED', 'fixed !important']) expect(sanitizeStyle(`position:${position}`)).toBe('');
    expect(sanitizeStyle('position:relative')).toBe('position:relative');
    expect(sanitizeStyle('top:0;left:0;right:0;bottom:0;inset:0')).toBe('');
    expect(sanitizeStyle('transform:translate(-100vw,-100vh);translate:10px;scale:50;rotate:1deg')).toBe('');
    expect(sanitizeStyle('display:block')).toBe('display:block');
    expect(sanitizeStyle('display:-webkit-box')).toBe('');
  });

  it('drops negative margins, url() loads, escapes and comments, and unknown properties', () => {
    expect(sanitizeStyle('margin:-500px 0 0 0')).toBe('');
    expect(sanitizeStyle('margin-top:calc(0px - -5px)')).toBe('');
    expect(sanitizeStyle('margin:4px 8px;padding:2px')).toBe('margin:4px 8px;padding:2px');
    expect(sanitizeStyle('background:url(https://evil.example/x.png)')).toBe('');
    expect(sanitizeStyle('background-color:URL (x)')).toBe('');
    expect(sanitizeStyle('posit\\ion:fixed')).toBe('');
    expect(sanitizeStyle('color:red/*;position:fixed*/')).toBe('');
    expect(sanitizeStyle('content:"x";cursor:none;pointer-events:none;animation:spin 1s;clip-path:inset(0)')).toBe('');
  });

  it('keeps ordinary formatting, with semicolons inside values and quotes handled', () => {
    expect(sanitizeStyle(' COLOR : #333 ; font-family: "A;B", serif; text-align:center ;width:50%; border: 1px solid rgb(0, 0, 0); border-top-left-radius: 3px'))
      .toBe('color:#333;font-family:"A;B", serif;text-align:center;width:50%;border:1px solid rgb(0, 0, 0);border-top-left-radius:3px');
    expect(sanitizeStyle('font-weight:bold !important')).toBe('font-weight:bold');
    expect(sanitizeStyle('')).toBe('');
    expect(sanitizeStyle(';;color')).toBe('');
  });
});

describe('sanitizeClassList', () => {
  it("drops the app's own classes (quire-modal-backdrop is position:fixed) but keeps content and math classes", () => {
    expect(sanitizeClassList('quire-modal-backdrop note  QUIRE-menu language-python quire-math-block')).toBe('note language-python quire-math-block');
  });
});
