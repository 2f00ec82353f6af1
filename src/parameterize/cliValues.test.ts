import { describe, expect, it } from 'vitest';
import { checkParameterTypes, parseYamlParameters, resolveCliValue } from './cliValues';
import { inferPythonParameters } from './inferParameters';

describe('resolveCliValue (papermill _resolve_type)', () => {
  it.each([
    ['True', true], ['False', false], ['None', null], ['true', 'true'], ['false', 'false'], ['none', 'none'],
    ['007', 7], ['-12', -12], ['+3', 3], [' 5 ', 5], ['1_000', 1000], ['1__0', '1__0'], ['_1', '_1'],
    ['1.5', 1.5], ['-0.25', -0.25], ['1e3', 1000], ['.5', 0.5], ['5.', 5], ['1E-2', 0.01],
    ['nan', NaN], ['NaN', NaN], ['inf', Infinity], ['-inf', -Infinity], ['Infinity', Infinity],
    ['abc', 'abc'], ['', ''], ['[1, 2]', '[1, 2]'], ['0x10', '0x10'], ['1,5', '1,5'],
  ])('%j → %j', (text, expected) => {
    expect(resolveCliValue(text)).toEqual(expected);
  });
});

describe('parseYamlParameters', () => {
  it('parses YAML 1.1 like PyYAML but keeps dates as strings', () => {
    expect(parseYamlParameters('a: 1\nb: [1, {c: x}]\nd: 2024-01-31\ne: yes\nf: ~\ng: 1.5\nh: "007"')).toEqual({
      a: 1, b: [1, { c: 'x' }], d: '2024-01-31', e: true, f: null, g: 1.5, h: '007',
    });
  });
  it('keeps y/n as strings like PyYAML (YAML 1.1 parsers differ here)', () => {
    expect(parseYamlParameters('n: 5\ny: n\nz: off\nw: On')).toEqual({ n: 5, y: 'n', z: false, w: true });
  });
  it('treats an empty document as no parameters', () => {
    expect(parseYamlParameters('')).toEqual({});
    expect(parseYamlParameters('# nothing\n')).toEqual({});
  });
  it('reports broken YAML with a location', () => {
    expect(() => parseYamlParameters('a: [1, 2\nb: 3', 'params.yaml')).toThrow(/Invalid YAML in params.yaml at line \d+/);
  });
  it('rejects a non-mapping document', () => {
    expect(() => parseYamlParameters('- 1\n- 2', '-y')).toThrow(/-y must be a mapping/);
  });
});

describe('checkParameterTypes', () => {
  const inferred = inferPythonParameters('n = 10\nx = 0.5\nname = "a"\nflag = False\nitems = []\ncfg = {}\nopt = None\nexpr = 2 * n\nnames: List[str] = []\nmaybe: Optional[int] = None');
  it.each([
    [{ n: 3, x: 2, name: 'b', flag: true, items: [1], cfg: { a: 1 }, opt: 'anything', expr: 'x', names: ['a'], maybe: 'x' }, []],
    [{ n: 'abc' }, ["Parameter 'n' expects int (default 10) but got str \"abc\""]],
    [{ n: 1.5 }, ["Parameter 'n' expects int (default 10) but got float 1.5"]],
    [{ name: 5 }, ["Parameter 'name' expects str (default \"a\") but got int 5 (use -r NAME VALUE to pass it as a string)"]],
    [{ flag: 'false' }, ["Parameter 'flag' expects bool (default False) but got str \"false\""]],
    [{ names: 'a' }, ["Parameter 'names' expects List[str] (default []) but got str \"a\""]],
    [{ n: null, unknown: 'x' }, []],
  ])('%j', (params, messages) => {
    expect(checkParameterTypes(params, inferred).map((m) => m.message)).toEqual(messages);
  });
});
