import { describe, expect, it } from 'vitest';
import { parsePythonLiteral } from './pythonLiteral';

describe('parsePythonLiteral', () => {
  it.each([
    ['42', 42], ['-1_000', -1000], ['0x1f', 31], ['2.5e-3', 0.0025], ["'a\\nb'", 'a\nb'], ['r"a\\n"', 'a\\n'], ['"x" "y"', 'xy'],
    ['True', true], ['None', null], ['(1,)', [1]], ['()', []], ['(3)', 3], ["{'k': [1, (2, 3)], \"z\": {}}", { k: [1, [2, 3]], z: {} }],
    ['[1, 2,]', [1, 2]], ["'\\u00e9\\x41'", 'éA'],
  ])('%s', (source, expected) => {
    expect(parsePythonLiteral(source)).toEqual({ ok: true, value: expected });
  });

  it.each(['datetime.now()', 'x', "f'{x}'", "b'x'", '{1, 2}', '1j', '[1, 2', '1 2', ''])('refuses %s', (source) => {
    expect(parsePythonLiteral(source).ok).toBe(false);
  });
});
