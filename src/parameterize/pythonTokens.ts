/**
 * A small Python tokenizer: enough of Python's lexical grammar to find `name = value` statements
 * in a parameters cell without being fooled by `=` or `#` inside strings, by brackets spanning
 * lines, or by comments. It does not evaluate anything.
 */

export type PythonTokenKind = 'name' | 'number' | 'string' | 'op' | 'comment' | 'newline';

export interface PythonToken {
  kind: PythonTokenKind;
  text: string;
  /** Offsets into the source. */
  start: number;
  end: number;
  /** 0-based physical line of the token's first character. */
  line: number;
  /** Column of the token's first character on its line. */
  column: number;
}

export interface TokenizeResult {
  tokens: PythonToken[];
  /** Set when the source cannot be tokenized (unterminated string, stray character). */
  error?: { message: string; line: number };
}

const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)/y;
const NAME = /[A-Za-z_\u00a0-\uffff][\w\u00a0-\uffff]*/y;
const STRING_PREFIX = /(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?(?='|")/y;
const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...', '->', ':=', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '&=', '|=',
  '^=', '@=', '**', '//', '<<', '>>', '<>',
];
const SINGLE_OPS = '+-*/%@&|^~<>()[]{},:.;=!';

/** Splits Python source into tokens; `newline` tokens mark the end of each logical line. */
export function tokenizePython(source: string): TokenizeResult {
  const tokens: PythonToken[] = [];
  let pos = 0;
  let line = 0;
  let lineStart = 0;
  let depth = 0;
  let error: TokenizeResult['error'];
  const push = (kind: PythonTokenKind, start: number, end: number, startLine: number, startCol: number) => {
    tokens.push({ kind, text: source.slice(start, end), start, end, line: startLine, column: startCol });
  };
  const endLogicalLine = (at: number) => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind !== 'newline' && !(last.kind === 'comment' && onlyCommentsSinceNewline(tokens))) {
      tokens.push({ kind: 'newline', text: '\n', start: at, end: at, line, column: at - lineStart });
    }
  };

  while (pos < source.length) {
    const ch = source[pos];
    if (ch === '\n' || ch === '\r') {
      if (depth === 0) endLogicalLine(pos);
      pos += ch === '\r' && source[pos + 1] === '\n' ? 2 : 1;
      line++;
      lineStart = pos;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\f') {
      pos++;
      continue;
    }
    if (ch === '\\' && (source[pos + 1] === '\n' || source[pos + 1] === '\r')) {
      pos += source[pos + 1] === '\r' && source[pos + 2] === '\n' ? 3 : 2;
      line++;
      lineStart = pos;
      continue;
    }
    const col = pos - lineStart;
    if (ch === '#') {
      let end = source.indexOf('\n', pos);
      if (end < 0) end = source.length;
      if (source[end - 1] === '\r') end--;
      push('comment', pos, end, line, col);
      pos = end;
      continue;
    }
    STRING_PREFIX.lastIndex = pos;
    const prefix = STRING_PREFIX.exec(source);
    if (prefix) {
      const quoteStart = pos + prefix[0].length;
      const scanned = scanString(source, quoteStart) ?? unterminated(source, quoteStart);
      if (scanned.unterminated) error ??= { message: 'unterminated string', line };
      push('string', pos, scanned.end, line, col);
      line += scanned.newlines;
      if (scanned.newlines > 0) lineStart = source.lastIndexOf('\n', scanned.end - 1) + 1;
      pos = scanned.end;
      continue;
    }
    NUMBER.lastIndex = pos;
    const number = /[\d.]/.test(ch) ? NUMBER.exec(source) : null;
    if (number && number[0] !== '.' && number[0].length > 0) {
      push('number', pos, pos + number[0].length, line, col);
      pos += number[0].length;
      continue;
    }
    NAME.lastIndex = pos;
    const name = NAME.exec(source);
    if (name) {
      push('name', pos, pos + name[0].length, line, col);
      pos += name[0].length;
      continue;
    }
    // IPython syntax (`%magic`, `!shell $VAR`, `x?`) is not Python: keep going, one character at a time.
    const op = OPERATORS.find((o) => source.startsWith(o, pos)) ?? ch;
    if (!SINGLE_OPS.includes(op) && op.length === 1) error ??= { message: `unexpected character '${ch}'`, line };
    if ('([{'.includes(op)) depth++;
    else if (')]}'.includes(op)) depth = Math.max(0, depth - 1);
    push('op', pos, pos + op.length, line, col);
    pos += op.length;
  }
  endLogicalLine(pos);
  return error ? { tokens, error } : { tokens };
}

/** An unterminated literal runs to the end of its line (or, triple-quoted, of the source). */
function unterminated(source: string, start: number): { end: number; newlines: number; unterminated: true } {
  const quote = source[start];
  if (source.startsWith(quote.repeat(3), start)) {
    return { end: source.length, newlines: (source.slice(start).match(/\n/g) ?? []).length, unterminated: true };
  }
  const eol = source.indexOf('\n', start);
  return { end: eol < 0 ? source.length : eol, newlines: 0, unterminated: true };
}

function onlyCommentsSinceNewline(tokens: PythonToken[]): boolean {
  for (let i = tokens.length - 1; i >= 0; i--) {
    if (tokens[i].kind === 'newline') return true;
    if (tokens[i].kind !== 'comment') return false;
  }
  return true;
}

/** Scans a string literal starting at its opening quote; returns its end offset. */
function scanString(source: string, start: number): { end: number; newlines: number; unterminated?: boolean } | undefined {
  const quote = source[start];
  const triple = source.startsWith(quote.repeat(3), start);
  const closing = triple ? quote.repeat(3) : quote;
  let pos = start + closing.length;
  let newlines = 0;
  while (pos < source.length) {
    const ch = source[pos];
    if (ch === '\\') {
      // Even in raw strings a backslash keeps the next quote from closing the literal.
      if (source[pos + 1] === '\n') newlines++;
      pos += 2;
      continue;
    }
    if (ch === '\n') {
      if (!triple) return undefined;
      newlines++;
    }
    if (source.startsWith(closing, pos)) return { end: pos + closing.length, newlines };
    pos++;
  }
  return undefined;
}
