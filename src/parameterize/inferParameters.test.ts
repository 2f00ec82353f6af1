import { describe, expect, it } from 'vitest';
import type { Notebook } from '../jupyter/nbformat';
import { inferNotebookParameters, inferPythonParameters, type InferredParameter } from './inferParameters';

const p = (name: string, inferred_type_name: string, def: string, help = ''): InferredParameter => ({ name, inferred_type_name, default: def, help });

describe('inferPythonParameters', () => {
  const cases: Array<[string, string, InferredParameter[]]> = [
    ['plain int', 'n = 10', [p('n', 'int', '10')]],
    ['negative number', 'x = -3.5', [p('x', 'float', '-3.5')]],
    ['exponent float', 'eps = 1e-6', [p('eps', 'float', '1e-6')]],
    ['hex int', 'mask = 0xFF', [p('mask', 'int', '0xFF')]],
    ['complex', 'z = 1+2j', [p('z', 'None', '1+2j')]],
    ['bool and None', 'flag = True\nnothing = None', [p('flag', 'bool', 'True'), p('nothing', 'NoneType', 'None')]],
    ['string with = (papermill#864)', 's = "a=b"', [p('s', 'str', '"a=b"')]],
    ['string with #', "tag = '#1' # the tag", [p('tag', 'str', "'#1'", 'the tag')]],
    ['string with both', 'q = "x = 1 # not a comment"  # real help', [p('q', 'str', '"x = 1 # not a comment"', 'real help')]],
    ['help comment', 'alpha = 0.5  # learning rate', [p('alpha', 'float', '0.5', 'learning rate')]],
    ['annotation', 'a: float = 2.25 # Variable a', [p('a', 'float', '2.25', 'Variable a')]],
    ['quoted annotation', 'c: "NoneType" = None', [p('c', 'NoneType', 'None')]],
    ['generic annotation', 'names: List[str] = []', [p('names', 'List[str]', '[]')]],
    ['type comment with help', 'b = ["a", "b"] # type: List[str] Nice list', [p('b', 'List[str]', '["a", "b"]', 'Nice list')]],
    ['type comment only', 'k = 3 # type: int', [p('k', 'int', '3')]],
    ['multi-line list, help on last line', 'xs = [\n  1,  # one\n  2,\n]  # the xs', [p('xs', 'list', '[1,2,]', 'the xs')]],
    ['multi-line dict with = and # inside', 'cfg = {\n  "k": "v=1",\n  "h": "#x",\n}', [p('cfg', 'dict', '{"k": "v=1","h": "#x",}')]],
    ['dict / set / tuple', 'd = {}\ns2 = {1, 2}\nt = (1, 2)\npar = (3)', [p('d', 'dict', '{}'), p('s2', 'set', '{1, 2}'), p('t', 'tuple', '(1, 2)'), p('par', 'int', '(3)')]],
    ['float call', "nan_default = float('nan')", [p('nan_default', 'float', "float('nan')")]],
    ['expression is unknown', 'twice = a * 2', [p('twice', 'None', 'a * 2')]],
    ['string concatenation', 's = "a" "b"', [p('s', 'str', '"a" "b"')]],
    ['bytes and f-string', 'b = b"x"\nf = f"{b}"', [p('b', 'bytes', 'b"x"'), p('f', 'str', 'f"{b}"')]],
    ['triple-quoted string with = and newlines', 'doc = """a = 1\n# b"""\nafter = 2', [p('doc', 'str', '"""a = 1\n# b"""'), p('after', 'int', '2')]],
    ['comments and blanks skipped', '# Parameters\n\n# x = 1\ny = 2\n', [p('y', 'int', '2')]],
    ['semicolons', 'a = 1; b = "x;y"', [p('a', 'int', '1'), p('b', 'str', '"x;y"')]],
    ['chained assignment skipped', 'a = b = 1\nc = 2', [p('c', 'int', '2')]],
    ['augmented and comparison skipped', 'a += 1\na == 2\nok = 1', [p('ok', 'int', '1')]],
    ['indented block skipped', 'if True:\n    hidden = 1\nshown = 2', [p('shown', 'int', '2')]],
    ['bare annotation skipped', 'x: int\ny: int = 5', [p('y', 'int', '5')]],
    ['imports and calls skipped', 'import os\nprint("a=1")\npath = os.getcwd()', [p('path', 'None', 'os.getcwd()')]],
    ['line continuation', 'total = 1 + \\\n  2', [p('total', 'None', '1 + 2')]],
    ['unicode name', 'größe = 3', [p('größe', 'int', '3')]],
    ['CRLF line endings', 'a = 1\r\nb = "x"\r\n', [p('a', 'int', '1'), p('b', 'str', '"x"')]],
    ['unterminated string does not hide later lines', 'a = 1\nb = "oops\nc = 3', [p('a', 'int', '1'), p('b', 'str', '"oops'), p('c', 'int', '3')]],
    ['IPython magics and shell lines are skipped', '%matplotlib inline\n!echo $HOME\nx?\nrate = 0.1', [p('rate', 'float', '0.1')]],
    ['walrus not an assignment', '(y := 3)\nz = 4', [p('z', 'int', '4')]],
  ];
  it.each(cases)('%s', (_name, source, expected) => {
    expect(inferPythonParameters(source)).toEqual(expected);
  });
});

describe('inferNotebookParameters', () => {
  const cell = (source: string, tags: string[] = []) => ({ cell_type: 'code' as const, execution_count: null, metadata: { tags }, outputs: [], source });
  const nb = (...cells: ReturnType<typeof cell>[]): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });

  it('reads only the first cell tagged parameters', () => {
    const result = inferNotebookParameters(nb(cell('a = 0'), cell('x = 1', ['parameters']), cell('y = 2', ['parameters'])));
    expect(result).toEqual([p('x', 'int', '1')]);
  });
  it('reads list-form sources', () => {
    const result = inferNotebookParameters(nb({ ...cell('', ['parameters']), source: ['a = 1\n', 'b = "two"'] } as never));
    expect(result?.map((r) => r.name)).toEqual(['a', 'b']);
  });
  it('is undefined without a parameters cell', () => {
    expect(inferNotebookParameters(nb(cell('x = 1')))).toBeUndefined();
  });
});
