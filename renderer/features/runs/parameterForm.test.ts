import { describe, expect, it } from 'vitest';
import { inferPythonParameters } from '../../../src/parameterize/inferParameters';
import { checkField, evaluateForm, fieldKind, formFields, previewOutputPath, translatorSupport } from './parameterForm';

const SOURCE = [
  'alpha: float = 0.5  # learning rate',
  'epochs = 10',
  "name = 'run \\'one\\''",
  'verbose = True',
  'seed = None',
  'layers = [64, 32,  # sizes',
  '          16]',
  "options = {'a': 1, 'b': (1, 2), 'c': None}",
  'start = datetime.now()',
].join('\n');

const fields = formFields(inferPythonParameters(SOURCE));
const field = (name: string) => fields.find((f) => f.name === name)!;
const python = translatorSupport('python3', 'python');

describe('form fields', () => {
  it('picks a widget per inferred type and prefills defaults from their source', () => {
    expect(fields.map((f) => [f.name, f.kind, f.initial])).toEqual([
      ['alpha', 'float', '0.5'],
      ['epochs', 'int', '10'],
      ['name', 'str', "run 'one'"],
      ['verbose', 'bool', true],
      ['seed', 'none', 'None'],
      ['layers', 'list', '[64,32,16]'],
      ['options', 'dict', '{"a":1,"b":[1,2],"c":null}'],
      ['start', 'code', 'datetime.now()'],
    ]);
    expect(field('alpha').help).toBe('learning rate');
  });

  it('maps annotations to widgets', () => {
    expect(['List[str]', 'typing.Dict[str, int]', 'Optional[int]', 'None', 'NoneType', 'bool', 'tuple'].map(fieldKind))
      .toEqual(['list', 'dict', 'code', 'code', 'none', 'bool', 'list']);
  });
});

describe('checkField', () => {
  it('accepts whole numbers for ints and refuses the rest with a message', () => {
    expect(checkField(field('epochs'), ' 12 ')).toEqual({ ok: true, value: 12 });
    expect(checkField(field('epochs'), '1_000')).toEqual({ ok: true, value: 1000 });
    for (const bad of ['1.5', 'ten', '', '1e3']) {
      const result = checkField(field('epochs'), bad);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.message).toContain('whole number');
    }
  });

  it('accepts numbers for floats, refuses text and non-finite values', () => {
    expect(checkField(field('alpha'), '1e-3')).toEqual({ ok: true, value: 0.001 });
    expect(checkField(field('alpha'), '3')).toEqual({ ok: true, value: 3 });
    expect(checkField(field('alpha'), 'abc').ok).toBe(false);
    expect(checkField(field('alpha'), '1e999').ok).toBe(false);
  });

  it('reads None for None fields and text otherwise', () => {
    expect(checkField(field('seed'), 'None')).toEqual({ ok: true, value: null });
    expect(checkField(field('seed'), '')).toEqual({ ok: true, value: null });
    expect(checkField(field('seed'), 'abc')).toEqual({ ok: true, value: 'abc' });
  });

  it('validates JSON for lists and dicts, also taking Python literals', () => {
    expect(checkField(field('layers'), '[1, 2]')).toEqual({ ok: true, value: [1, 2] });
    expect(checkField(field('layers'), "['a', 'b']")).toEqual({ ok: true, value: ['a', 'b'] });
    const notList = checkField(field('layers'), '{"a": 1}');
    expect(notList.ok ? '' : notList.message).toContain('must be a JSON list');
    const broken = checkField(field('options'), '{"a": 1');
    expect(broken.ok ? '' : broken.message).toMatch(/^Not valid JSON/);
  });

  it('takes literals for unknown types and refuses expressions', () => {
    expect(checkField(field('start'), "'2024-01-01'")).toEqual({ ok: true, value: '2024-01-01' });
    const expr = checkField(field('start'), 'time.time()');
    expect(expr.ok ? '' : expr.message).toContain('Python literal');
  });
});

describe('evaluateForm', () => {
  it('injects only changed values (and those the output path names), like papermill', () => {
    const result = evaluateForm(fields, { epochs: '20', alpha: '0.5', verbose: false }, python, 'runs/{notebook}-{name}.ipynb');
    expect(result.errors).toEqual({});
    expect(result.parameters).toEqual({ epochs: 20, verbose: false, name: "run 'one'" });
    expect(result.values.alpha).toBe(0.5);
    expect('start' in result.values).toBe(false);
  });

  it('collects every refused value', () => {
    const result = evaluateForm(fields, { epochs: 'x', layers: '[1,' }, python);
    expect(Object.keys(result.errors).sort()).toEqual(['epochs', 'layers']);
    expect(result.parameters).toEqual({});
  });

  it('refuses values the kernel language cannot take (dicts for bash)', () => {
    const bash = translatorSupport('bash', 'bash');
    const result = evaluateForm(fields, { options: '{"x": 1}', layers: '[1, 2]' }, bash);
    expect(result.errors.options).toMatch(/bash translator cannot inject dict/);
    expect(result.parameters).toEqual({ layers: [1, 2] });
  });

  it('refuses every override for a language without a translator', () => {
    const none = translatorSupport('cobol', 'cobol');
    expect(none.problem).toMatch(/No parameter translator/);
    expect(evaluateForm(fields, { epochs: '3' }, none).errors.epochs).toMatch(/No parameter translator/);
    expect(evaluateForm(fields, {}, none).errors).toEqual({});
  });
});

describe('previewOutputPath', () => {
  const now = new Date('2024-05-06T07:08:09Z');
  it('fills the template relative to the notebook folder', () => {
    expect(previewOutputPath('runs/{notebook}-{timestamp}-{run_id}.ipynb', '/w/a/nb.ipynb', {}, now))
      .toEqual({ path: '/w/a/runs/nb-20240506T070809Z-<run id>.ipynb' });
    expect(previewOutputPath('/tmp/{epochs}.ipynb', '/w/nb.ipynb', { epochs: 3 }, now)).toEqual({ path: '/tmp/3.ipynb' });
  });
  it('knows papermill\'s pm built-ins, as the run engine fills them', () => {
    expect(previewOutputPath('out/{pm[current_datetime_utc]:%Y%m%d}-{pm[run_uuid]}.ipynb', '/w/nb.ipynb', {}, now))
      .toEqual({ path: '/w/out/20240506-<run id>.ipynb' });
    expect(previewOutputPath('out/{pm.run_uuid}.ipynb', '/w/nb.ipynb', {}, now)).toEqual({ path: '/w/out/<run id>.ipynb' });
  });
  it('says what is wrong with a template', () => {
    expect(previewOutputPath('out/{missing}.ipynb', '/w/nb.ipynb', {}, now).error).toMatch(/Missing parameter 'missing'/);
    expect(previewOutputPath('out/x.txt', '/w/nb.ipynb', {}, now).error).toMatch(/\.ipynb/);
  });
});
