/**
 * Parameter inference for the first cell tagged `parameters` (papermill's `inspect_notebook`),
 * done with a tokenizer instead of papermill's line regex, so `s = "a=b"`, `# ` inside strings,
 * multi-line lists/dicts and negative numbers are all understood.
 *
 * `inferred_type_name` follows papermill's names: the annotation (`a: float = 1`) or the
 * `# type: T` comment wins, verbatim; otherwise Quire infers it from the literal (`int`, `float`,
 * `complex`, `str`, `bytes`, `bool`, `list`, `dict`, `set`, `tuple`, `NoneType` for `None`);
 * anything it cannot tell is `"None"`, which papermill displays as "Unknown type".
 */
import type { Cell, Notebook } from '../jupyter/nbformat';
import { joinSource } from '../jupyter/nbformat';
import { cellTags } from '../jupyter/notebookOps';
import { type PythonToken, tokenizePython } from './pythonTokens';

/** papermill's `Parameter` namedtuple. `default` is the value's source text. */
export interface InferredParameter {
  name: string;
  inferred_type_name: string;
  default: string;
  help: string;
}

/** The type name papermill uses for "could not infer". */
export const UNKNOWN_TYPE = 'None';

/** Index of the first cell whose `metadata.tags` contains `tag`, or -1. */
export function findFirstTaggedCellIndex(cells: readonly Cell[], tag: string): number {
  return cells.findIndex((cell) => cellTags(cell).includes(tag));
}

/** The parameters of a notebook's first `parameters` cell; undefined when there is no such cell. */
export function inferNotebookParameters(nb: Notebook): InferredParameter[] | undefined {
  const index = findFirstTaggedCellIndex(nb.cells, 'parameters');
  if (index < 0) return undefined;
  return inferPythonParameters(joinSource(nb.cells[index].source));
}

/** Infers `name = value` parameters from Python source. Statements it cannot read are skipped. */
export function inferPythonParameters(source: string): InferredParameter[] {
  const { tokens } = tokenizePython(source);
  const params: InferredParameter[] = [];
  for (const statement of logicalStatements(tokens)) {
    // Indented statements belong to a block (if/for/def) and are not plain defaults.
    if (statement.indent !== 0) continue;
    const param = parseAssignment(source, statement.code, statement.comments);
    if (param) params.push(param);
  }
  return params;
}

interface Statement {
  code: PythonToken[];
  comments: PythonToken[];
  /** Column of the logical line's first token (statements after `;` share it). */
  indent: number;
}

/** Groups tokens into statements (logical lines, split at top-level `;`). */
function logicalStatements(tokens: PythonToken[]): Statement[] {
  const statements: Statement[] = [];
  let code: PythonToken[] = [];
  let comments: PythonToken[] = [];
  let depth = 0;
  let indent = -1;
  const flush = () => {
    if (code.length > 0) statements.push({ code, comments, indent });
    code = [];
    comments = [];
    indent = -1;
  };
  for (const token of tokens) {
    if (token.kind === 'newline') flush();
    else if (token.kind === 'comment') comments.push(token);
    else if (token.kind === 'op' && token.text === ';' && depth === 0) {
      statements.push({ code, comments: [], indent });
      code = [];
    } else {
      if (indent < 0) indent = token.column;
      if (token.kind === 'op' && '([{'.includes(token.text)) depth++;
      if (token.kind === 'op' && ')]}'.includes(token.text)) depth--;
      code.push(token);
    }
  }
  flush();
  return statements;
}

function parseAssignment(source: string, code: PythonToken[], comments: PythonToken[]): InferredParameter | undefined {
  const [target, next] = code;
  if (!target || target.kind !== 'name' || isKeyword(target.text) || !next) return undefined;
  let annotation: string | undefined;
  let equalsIndex: number;
  if (next.kind === 'op' && next.text === '=') {
    equalsIndex = 1;
  } else if (next.kind === 'op' && next.text === ':') {
    equalsIndex = findTopLevel(code, 2, '=');
    if (equalsIndex < 0) return undefined; // a bare annotation declares no default
    annotation = unquote(tokensText(source, code.slice(2, equalsIndex)));
  } else {
    return undefined;
  }
  const value = code.slice(equalsIndex + 1);
  // `a = b = 1` and `a = 1 = ...` are not single parameters.
  if (value.length === 0 || findTopLevel(value, 0, '=') >= 0) return undefined;

  const lastLine = value[value.length - 1].line;
  const trailing = comments.filter((c) => c.line === lastLine && c.start > value[value.length - 1].start);
  const { typeComment, help } = parseComment(trailing.map((c) => c.text).join(' '));
  const inferred = annotation || typeComment || inferLiteralType(value) || UNKNOWN_TYPE;
  return { name: target.text, inferred_type_name: inferred, default: tokensText(source, value), help };
}

/** `# type: List[str] Nice list` → typeComment `List[str]`, help `Nice list`. */
function parseComment(comment: string): { typeComment?: string; help: string } {
  const text = comment.replace(/^#\s*/, '');
  const match = /^type:\s*(\S*)\s*(.*)$/s.exec(text);
  if (match) return { typeComment: match[1] || undefined, help: match[2].trim() };
  return { help: text.trim() };
}

/**
 * The source text of a token run. Gaps containing a line break collapse to nothing (papermill
 * joins the stripped lines of a multi-line value); other gaps are kept.
 */
function tokensText(source: string, tokens: PythonToken[]): string {
  let text = '';
  for (let i = 0; i < tokens.length; i++) {
    if (i > 0) {
      const gap = source.slice(tokens[i - 1].end, tokens[i].start);
      // A backslash continuation joins with one space; a line break inside brackets joins with none.
      text += /\\\r?\n/.test(gap) ? ' ' : /[\r\n]/.test(gap) ? '' : gap;
    }
    text += tokens[i].text;
  }
  return text.trim();
}

function findTopLevel(tokens: PythonToken[], from: number, op: string): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'op') continue;
    if ('([{'.includes(t.text)) depth++;
    else if (')]}'.includes(t.text)) depth--;
    else if (depth === 0 && t.text === op) return i;
  }
  return -1;
}

function unquote(text: string): string {
  const m = /^(['"])(.*)\1$/s.exec(text);
  return (m ? m[2] : text).trim();
}

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);
function isKeyword(name: string): boolean {
  return KEYWORDS.has(name);
}

const CALL_TYPES = new Set(['int', 'float', 'str', 'bool', 'list', 'dict', 'tuple', 'set', 'complex', 'bytes']);

/** The Python type of a literal expression, or undefined when it is not a plain literal. */
export function inferLiteralType(tokens: PythonToken[]): string | undefined {
  if (tokens.length === 0) return undefined;
  const [first] = tokens;
  if (first.kind === 'op' && (first.text === '-' || first.text === '+') && tokens.length >= 2) {
    const rest = inferLiteralType(tokens.slice(1));
    return rest === 'int' || rest === 'float' || rest === 'complex' ? rest : undefined;
  }
  if (tokens.every((t) => t.kind === 'string')) {
    return tokens.every((t) => /^[a-zA-Z]*[bB]/.test(t.text) && !/^['"]/.test(t.text)) ? 'bytes' : 'str';
  }
  if (tokens.length === 1) {
    if (first.kind === 'number') return numberType(first.text);
    if (first.kind === 'name') {
      if (first.text === 'True' || first.text === 'False') return 'bool';
      if (first.text === 'None') return 'NoneType';
    }
    return undefined;
  }
  // float('nan'), int("3"), dict(a=1): a call of a builtin type constructor.
  if (first.kind === 'name' && CALL_TYPES.has(first.text) && tokens[1].text === '(' && closes(tokens, 1)) return first.text;
  if (first.kind === 'op' && '([{'.includes(first.text) && closes(tokens, 0)) {
    const inner = tokens.slice(1, -1);
    if (first.text === '[') return 'list';
    if (first.text === '{') return inner.length === 0 || findTopLevel(inner, 0, ':') >= 0 || inner[0].text === '**' ? 'dict' : 'set';
    if (inner.length === 0 || findTopLevel(inner, 0, ',') >= 0) return 'tuple';
    return inferLiteralType(inner);
  }
  return undefined;
}

/** True when the bracket at `open` is closed by the last token. */
function closes(tokens: PythonToken[], open: number): boolean {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'op') continue;
    if ('([{'.includes(t.text)) depth++;
    else if (')]}'.includes(t.text) && --depth === 0) return i === tokens.length - 1;
  }
  return false;
}

function numberType(text: string): string {
  if (/[jJ]$/.test(text)) return 'complex';
  if (/^0[xXoObB]/.test(text)) return 'int';
  return /[.eE]/.test(text) ? 'float' : 'int';
}
