import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createDefaultTranslatorRegistry, findTranslator, shellQuote } from './languageTranslators';
import { pythonFloatRepr, unicodeEscape, type ParameterValue } from './translators';

const PYTHON = '/usr/bin/python3';

describe('translate, per language', () => {
  const value = (v: ParameterValue) => v;
  const cases: Array<[string, ParameterValue, Record<string, string>]> = [
    ['None', null, { python: 'None', R: 'NULL', julia: 'nothing', scala: 'None', matlab: 'NaN', powershell: '$Null', bash: '' }],
    ['true', true, { python: 'True', R: 'TRUE', julia: 'true', scala: 'true', matlab: 'true', powershell: '$True', bash: 'true' }],
    ['int', 42, { python: '42', R: '42', julia: '42', scala: '42', matlab: '42', powershell: '42', bash: '42' }],
    ['negative int', -7, { python: '-7', R: '-7', bash: '-7' }],
    ['big int', 3000000000, { python: '3000000000', scala: '3000000000L' }],
    ['float', 0.1, { python: '0.1', R: '0.1', julia: '0.1', scala: '0.1' }],
    ['tiny float', 1e-5, { python: '1e-05', R: '1e-05' }],
    ['huge float', 1.5e20, { python: '150000000000000000000' }],
    ['nan', NaN, { python: "float('nan')", R: 'NaN', julia: 'NaN', scala: 'Double.NaN', matlab: 'NaN', powershell: '[double]::NaN' }],
    ['-inf', -Infinity, { python: "float('-inf')", R: '-Inf', julia: '-Inf', powershell: '[double]::NegativeInfinity' }],
    ['string', 'hi', { python: '"hi"', R: '"hi"', julia: '"hi"', scala: '"hi"', matlab: '"hi"', powershell: '"hi"', bash: 'hi' }],
    ['quotes', 'say "hi"', { python: '"say \\"hi\\""', matlab: '"say ""hi"""', powershell: '"say `"hi`""', bash: "'say \"hi\"'" }],
    ['single quote in bash', "it's", { bash: `'it'"'"'s'` }],
    ['newline and unicode', 'a\nb é ☃', { python: '"a\\nb \\xe9 \\u2603"' }],
    ['list', [1, 'a', null], { python: '[1, "a", None]', R: 'list(1, "a", NULL)', julia: '[1, "a", nothing]', scala: 'Seq(1, "a", None)', matlab: '{1, "a", NaN}', powershell: '@(1, "a", $Null)', bash: '(1 a )' }],
    ['dict', { k: 1, 'x y': [true] }, {
      python: '{"k": 1, "x y": [True]}', R: 'list("k" = 1, "x y" = list(TRUE))', julia: 'Dict("k" => 1, "x y" => [true])',
      scala: 'Map("k" -> 1, "x y" -> Seq(true))', matlab: "containers.Map({'k', 'x y'}, {1, {true}})", powershell: '@{"k" = 1; "x y" = @($True)}',
    }],
  ];
  for (const [name, v, expected] of cases) {
    for (const [language, code] of Object.entries(expected)) {
      it(`${name} in ${language}`, () => {
        expect(findTranslator(undefined, language).translate(value(v))).toBe(code);
      });
    }
  }

  it('bash cannot take a dict', () => {
    expect(() => findTranslator('bash', undefined).translate({ a: 1 })).toThrow(/dict/);
  });
});

describe('codify and assign', () => {
  it.each([
    ['python3', 'python', '# Parameters\nalpha = 0.5\nname = "x"\n'],
    ['ir', 'R', '# Parameters\nalpha = 0.5\nname = "x"\n'],
    ['julia-1.9', 'julia', '# Parameters\nalpha = 0.5\nname = "x"\n'],
    ['bash', 'bash', '# Parameters\nalpha=0.5\nname=x\n'],
    ['scala', 'scala', '// Parameters\nval alpha = 0.5\nval name = "x"\n'],
    ['matlab', 'matlab', '% Parameters\nalpha = 0.5;\nname = "x";\n'],
    ['.net-powershell', 'powershell', '# Parameters\n$alpha = 0.5\n$name = "x"\n'],
  ])('%s / %s', (kernel, language, expected) => {
    expect(findTranslator(kernel, language).codify({ alpha: 0.5, name: 'x' })).toBe(expected);
  });
  it('R drops leading underscores; custom comment', () => {
    expect(findTranslator('ir', 'R').codify({ _private: 1 }, 'Injected by Quire')).toBe('# Injected by Quire\nprivate = 1\n');
  });
});

describe('registry lookup', () => {
  it('tries the kernel name before the language', () => {
    expect(findTranslator('pysparkkernel', 'scala').language).toBe('python');
    expect(findTranslator('sparkkernel', 'python').language).toBe('scala');
    expect(findTranslator('python3', 'python').language).toBe('python');
    expect(findTranslator('ir', 'R').language).toBe('R');
    expect(findTranslator('ir', 'r').language).toBe('R');
  });
  it('fails with papermill\'s message for unknown languages', () => {
    expect(() => findTranslator('cobol-kernel', 'cobol')).toThrow("No parameter translator functions specified for kernel 'cobol-kernel' or language 'cobol'");
  });
  it('is built explicitly and extensible', () => {
    const registry = createDefaultTranslatorRegistry();
    registry.register('mypython', registry.find(undefined, 'python'));
    expect(findTranslator('mypython', undefined, registry).language).toBe('python');
    expect(() => findTranslator('mypython', undefined)).toThrow();
  });
});

describe('helpers', () => {
  it.each([
    [0.1, '0.1'], [1.5, '1.5'], [-2.25, '-2.25'], [1e-4, '0.0001'], [1e-5, '1e-05'], [1.5e16, '1.5e+16'], [1e22, '1e+22'],
    [123456.789, '123456.789'], [-0, '-0.0'], [1 / 3, '0.3333333333333333'],
  ])('pythonFloatRepr(%s) = %s', (value, expected) => {
    expect(pythonFloatRepr(value)).toBe(expected);
  });
  it.each([['', "''"], ['abc-1.2/x', 'abc-1.2/x'], ['a b', "'a b'"], ['$HOME', "'$HOME'"]])('shellQuote(%j)', (text, expected) => {
    expect(shellQuote(text)).toBe(expected);
  });
  it('unicodeEscape matches Python for a nasty string', () => {
    const nasty = 'tab\t back\\slash \x00 \x7f é 漢 😀 "q" \'s\'';
    const python = execFileSync(PYTHON, ['-c', 'import sys,json; print(json.loads(sys.argv[1]).encode("unicode_escape").decode(), end="")', JSON.stringify(nasty)], { encoding: 'utf8' });
    expect(unicodeEscape(nasty)).toBe(python);
  });
});

describe('Python translator output is valid Python with the same values', () => {
  it('round-trips through /usr/bin/python3', () => {
    const params: Record<string, ParameterValue> = {
      i: 7, neg: -3, f: 0.1, tiny: 1e-7, big: 1.5e300, s: 'a "quoted" \\ line\nnext é 漢 😀', empty: '', t: true, n: null,
      l: [1, 'two', [3.5]], d: { 'k"ey': { nested: false } }, nan: NaN, inf: Infinity,
    };
    const code = findTranslator('python3', 'python').codify(params);
    const script = `${code}\nimport json, math\nout = {k: globals()[k] for k in ${JSON.stringify(Object.keys(params))}}\nout['nan'] = 'NaN' if math.isnan(out['nan']) else 'bad'\nout['inf'] = 'Inf' if out['inf'] == float('inf') else 'bad'\nprint(json.dumps(out))`;
    const parsed = JSON.parse(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' }));
    expect(parsed).toEqual({ ...params, nan: 'NaN', inf: 'Inf' });
  });

  it('bash translator output is valid bash', () => {
    const code = findTranslator('bash', 'bash').codify({ s: "it's a $test", n: 3, l: ['a b', 'c'] });
    const printed = execFileSync('/bin/bash', ['-c', `${code}\nprintf '%s|' "$s" "$n" "\${l[@]}"`], { encoding: 'utf8' });
    expect(printed).toBe("it's a $test|3|a b|c|");
  });
});
