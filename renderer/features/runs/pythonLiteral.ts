/**
 * Reads a Python literal (a parameter's default source text, or what someone types into an
 * unknown-type field) into a JSON value, using the parameterize tokenizer. Only plain literals:
 * numbers, strings, True/False/None, lists, tuples and dicts with string keys. Anything else
 * (calls, names, f-strings, sets) is reported, never evaluated.
 */
import type { JsonValue } from '../../../src/jupyter/messages';
import { type PythonToken, tokenizePython } from '../../../src/parameterize/pythonTokens';

export type LiteralResult = { ok: true; value: JsonValue } | { ok: false; message: string };

class LiteralError extends Error {}

/** Parses `source` as one Python literal. */
export function parsePythonLiteral(source: string): LiteralResult {
  const { tokens, error } = tokenizePython(source);
  if (error) return { ok: false, message: error.message };
  const code = tokens.filter((t) => t.kind !== 'comment' && t.kind !== 'newline');
  if (code.length === 0) return { ok: false, message: 'empty' };
  try {
    const parser = new Parser(code);
    const value = parser.value();
    if (!parser.done()) throw new LiteralError(`unexpected '${parser.peek()?.text}'`);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof LiteralError) return { ok: false, message: e.message };
    throw e;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: PythonToken[]) {}

  done(): boolean {
    return this.i >= this.tokens.length;
  }
  peek(): PythonToken | undefined {
    return this.tokens[this.i];
  }
  private next(): PythonToken {
    const t = this.tokens[this.i++];
    if (!t) throw new LiteralError('unexpected end');
    return t;
  }
  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text) throw new LiteralError(`expected '${text}' but found '${t.text}'`);
  }

  value(): JsonValue {
    const t = this.next();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      const inner = this.value();
      if (typeof inner !== 'number') throw new LiteralError(`'${t.text}' needs a number`);
      return t.text === '-' ? -inner : inner;
    }
    if (t.kind === 'number') return parseNumber(t.text);
    if (t.kind === 'string') {
      let text = parseString(t.text);
      // Adjacent strings concatenate, as in Python.
      while (this.peek()?.kind === 'string') text += parseString(this.next().text);
      return text;
    }
    if (t.kind === 'name') {
      if (t.text === 'True') return true;
      if (t.text === 'False') return false;
      if (t.text === 'None') return null;
      throw new LiteralError(`'${t.text}' is not a literal`);
    }
    if (t.text === '[') return this.sequence(']');
    if (t.text === '(') {
      // (x) is x; (x,) and () are tuples, which become lists.
      if (this.peek()?.text === ')') { this.next(); return []; }
      const first = this.value();
      if (this.peek()?.text === ')') { this.next(); return first; }
      this.expect(',');
      const rest = this.peek()?.text === ')' ? (this.next(), []) : this.sequence(')');
      return [first, ...rest];
    }
    if (t.text === '{') return this.dict();
    throw new LiteralError(`unexpected '${t.text}'`);
  }

  private sequence(close: string): JsonValue[] {
    const items: JsonValue[] = [];
    while (this.peek()?.text !== close) {
      items.push(this.value());
      if (this.peek()?.text === ',') this.next();
      else break;
    }
    this.expect(close);
    return items;
  }

  private dict(): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = {};
    while (this.peek()?.text !== '}') {
      const key = this.value();
      if (typeof key !== 'string') throw new LiteralError('dict keys must be strings');
      if (this.peek()?.text !== ':') throw new LiteralError('sets are not supported; use a list');
      this.next();
      out[key] = this.value();
      if (this.peek()?.text === ',') this.next();
      else break;
    }
    this.expect('}');
    return out;
  }
}

function parseNumber(text: string): number {
  if (/[jJ]$/.test(text)) throw new LiteralError('complex numbers are not supported');
  const t = text.replace(/_/g, '');
  if (/^0[xX]/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[oO]/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0[bB]/.test(t)) return parseInt(t.slice(2), 2);
  return Number(t);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

function parseString(text: string): string {
  const prefix = /^[a-zA-Z]*/.exec(text)![0].toLowerCase();
  if (prefix.includes('b')) throw new LiteralError('bytes are not supported');
  if (prefix.includes('f')) throw new LiteralError('f-strings are not literals');
  const body = text.slice(prefix.length);
  const quote = body.startsWith('"""') || body.startsWith("'''") ? body.slice(0, 3) : body[0];
  const inner = body.slice(quote.length, body.length - quote.length);
  if (prefix.includes('r')) return inner;
  return inner.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (whole, esc: string) => {
    if (/^[xuU]/.test(esc) && esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    return ESCAPES[esc] ?? whole;
  });
}
