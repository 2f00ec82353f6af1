import { describe, expect, it } from 'vitest';
import { runJupyterPython } from '../../../kernels/testing/notebookFixtures';
import { JsonSyntaxError, parseJson, recordedNumberText } from './parseJson';
import { stringifyPython } from './pythonJson';

/** Python's json.loads + json.dumps(sort_keys, indent=1, ensure_ascii=False), one document per line of output. */
function pythonRoundTrip(texts: string[]): string[] {
  const out = runJupyterPython(
    'import json,sys\nfor t in json.load(sys.stdin): print(json.dumps(json.dumps(json.loads(t), sort_keys=True, indent=1, ensure_ascii=False)))',
    JSON.stringify(texts),
  );
  return out.trimEnd().split('\n').map((line) => JSON.parse(line));
}

describe('parseJson + stringifyPython behave like Python json', () => {
  it('agrees with Python on tricky documents', () => {
    const texts = [
      '{"a": 1, "a": 2, "b": {"a": 1.0}}',
      '{"__proto__": {"x": 1}, "constructor": [1.0]}',
      '[NaN, Infinity, -Infinity, 1e400, -1e400]',
      '["\\ud83d\\ude00", "\\u00e9\\/\\"\\\\", "\\b\\f\\n\\r\\t", "\\u001F\\u007f\\u0085"]',
      '[1E5, 1e-0, -0, -0.0, 0.0, 1.5e300, 123456789012345678901234567890, -9007199254740993, 1.0e+2, 100, 0.1]',
      '{"b": {}, "a": [], "c": [[], {}], "\\u00e9": 1, "e": 2, "Z": 3}',
      ' \r\n\t{ "x" :\n[ 1 , 2 ] } \n',
      '"just a string"',
      '[3.0]',
      'true',
    ];
    const ours = texts.map((t) => stringifyPython(parseJson(t).value, { numberText: recordedNumberText }));
    expect(ours).toEqual(pythonRoundTrip(texts));
  });

  it('rejects what Python rejects, with line and column', () => {
    const bad: Array<[string, number, number]> = [
      ['', 1, 1],
      ['{"a": 1,}', 1, 9],
      ['[1, 2', 1, 6],
      ['{"a" 1}', 1, 6],
      ['{\n  "a": [1, 2]\n  "b": 3\n}', 3, 3],
      ['{"a": "\\x"}', 1, 8],
      ['{"a": 01}', 1, 8],
      ['[1] [2]', 1, 5],
      ["{'a': 1}", 1, 2],
    ];
    const pythonVerdicts = JSON.parse(
      runJupyterPython(
        'import json,sys\ndef v(t):\n try:\n  json.loads(t); return "ok"\n except ValueError: return "error"\nprint(json.dumps([v(t) for t in json.load(sys.stdin)]))',
        JSON.stringify(bad.map(([text]) => text)),
      ),
    );
    expect(pythonVerdicts).toEqual(bad.map(() => 'error'));
    for (const [text, line, column] of bad) {
      let error: unknown;
      try {
        parseJson(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(JsonSyntaxError);
      expect([(error as JsonSyntaxError).line, (error as JsonSyntaxError).column], text).toEqual([line, column]);
    }
  });

  it('reports deep nesting as a syntax error instead of crashing', () => {
    expect(() => parseJson('['.repeat(200_000) + ']'.repeat(200_000))).toThrow(JsonSyntaxError);
  });

  it('locates values and keys by JSON pointer', () => {
    const text = '{\n "cells": [\n  {"a~b": 1, "c/d": [true]}\n ]\n}';
    const { locations } = parseJson(text, { locate: ['/cells/0/a~0b', '/cells/0/c~1d/0', '/cells/0/c~1d#key', '/nope'] });
    expect(locations.get('/cells/0/a~0b')).toBe(text.indexOf('1,'));
    expect(locations.get('/cells/0/c~1d/0')).toBe(text.indexOf('true'));
    expect(locations.get('/cells/0/c~1d#key')).toBe(text.indexOf('"c/d"'));
    expect(locations.has('/nope')).toBe(false);
  });
});
