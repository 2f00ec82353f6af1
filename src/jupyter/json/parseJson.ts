/**
 * A JSON parser that behaves like Python's `json.loads` (which is what wrote and reads Jupyter's
 * files) and remembers what `JSON.parse` forgets:
 *
 * - the text of numbers whose JavaScript value would not print back the same way in Python
 *   (`1.0`, `1e+16`, integers beyond 2^53, `-0`), so an unchanged notebook saves byte-identically;
 * - the line and column of a syntax error;
 * - optionally, the text offset of values at given JSON pointers (for validation messages).
 *
 * Number texts live in a WeakMap keyed by the containing object/array, so they follow the
 * objects through any code that keeps their identity (immer/RTK structural sharing included)
 * and vanish with them. Nothing is added to the values themselves. (A document that is a bare
 * number has no container, so its text is not kept; notebooks are objects.)
 */
import type { JsonValue } from '../messages';
import { formatNumber, formatPythonFloat } from './pythonJson';

/** A JSON syntax error with a 1-based line and column (UTF-16 code units, like editors count). */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

interface NumberRecord {
  value: number;
  /** Python's canonical text for the number as it was read. */
  text: string;
}

const numberTexts = new WeakMap<object, Map<string | number, NumberRecord>>();

/**
 * The Python text recorded for `container[key]` when it was parsed, if `value` is still the value
 * that was read there. Only numbers that would not print back the same are recorded.
 */
export function recordedNumberText(container: object, key: string | number, value: number): string | undefined {
  const record = numberTexts.get(container)?.get(key);
  // `===` on purpose: -0 crosses JSON (the host RPC) as 0 and should still print as `-0.0`.
  return record && (record.value === value || Object.is(record.value, value)) ? record.text : undefined;
}

/**
 * Lets a shallow copy keep the number texts recorded for its original (lookups still check that the
 * value is unchanged). Returns `copy`.
 */
export function keepNumberTexts<T extends object>(copy: T, original: object): T {
  const records = numberTexts.get(original);
  if (records && copy !== original) numberTexts.set(copy, new Map([...(numberTexts.get(copy) ?? []), ...records]));
  return copy;
}

export interface ParseJsonOptions {
  /** JSON pointers (RFC 6901) whose value offsets should be reported in `locations`. */
  locate?: Iterable<string>;
}

export interface ParseJsonResult {
  value: JsonValue;
  /** Offsets of the located pointers' values (keys for object members that were asked for). */
  locations: Map<string, number>;
}

/** Escapes one JSON pointer reference token. */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

// Control characters must be escaped inside JSON strings; this is the run of characters that need no work.
// eslint-disable-next-line no-control-regex
const PLAIN_STRING = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Line and column (both 1-based) of a text offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parses JSON text as Python's json.loads does: also accepts `NaN`, `Infinity`, `-Infinity`;
 * the last of duplicate keys wins. Throws JsonSyntaxError with line and column.
 */
export function parseJson(text: string, options: ParseJsonOptions = {}): ParseJsonResult {
  return new Parser(text, options).parseDocument();
}

class Parser {
  private pos = 0;
  private readonly locations = new Map<string, number>();
  /** Pointers and all their prefixes; undefined when nothing is located (the fast path). */
  private readonly wanted?: Set<string>;
  private readonly prefixes?: Set<string>;

  constructor(
    private readonly text: string,
    options: ParseJsonOptions,
  ) {
    if (options.locate) {
      this.wanted = new Set(options.locate);
      this.prefixes = new Set(['']);
      for (const wanted of this.wanted) {
        // `POINTER#key` asks for the offset of an object member's key rather than its value.
        const pointer = wanted.endsWith('#key') ? wanted.slice(0, -4) : wanted;
        for (let i = pointer.indexOf('/', 1); i !== -1; i = pointer.indexOf('/', i + 1)) this.prefixes.add(pointer.slice(0, i));
        this.prefixes.add(pointer);
      }
    }
  }

  parseDocument(): ParseJsonResult {
    this.skipWhitespace();
    if (this.pos >= this.text.length) this.fail('Expected a JSON value but the file is empty');
    let value: JsonValue;
    try {
      const pointer = this.wanted ? '' : undefined;
      value = this.isNumberStart(this.text.charCodeAt(this.pos)) ? this.parseNumberInto({}, '', pointer) : this.parseValue(pointer);
    } catch (error) {
      if (error instanceof RangeError) this.fail('The JSON is nested too deeply to read');
      throw error;
    }
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('Unexpected text after the end of the JSON document');
    return { value, locations: this.locations };
  }

  private fail(message: string, offset = this.pos): never {
    const { line, column } = lineColumnAt(this.text, offset);
    throw new JsonSyntaxError(message, offset, line, column);
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.test(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  /** `pointer` is this value's JSON pointer when it may lead to a located pointer. */
  private parseValue(pointer: string | undefined): JsonValue {
    if (pointer !== undefined && this.wanted!.has(pointer)) this.locations.set(pointer, this.pos);
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b /* { */:
        return this.parseObject(pointer);
      case 0x5b /* [ */:
        return this.parseArray(pointer);
      case 0x22 /* " */:
        return this.parseString();
      case 0x74 /* t */:
        return this.parseLiteral('true', true);
      case 0x66 /* f */:
        return this.parseLiteral('false', false);
      case 0x6e /* n */:
        return this.parseLiteral('null', null);
      default:
        // Numbers are parsed by the container, which records their text.
        this.fail(Number.isNaN(c) ? 'Unexpected end of file: expected a value' : `Unexpected character ${describe(this.text[this.pos])}: expected a value`);
    }
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`Unexpected character ${describe(this.text[this.pos])}: expected a value`);
    this.pos += word.length;
    return value;
  }

  private isNumberStart(c: number): boolean {
    return (c >= 0x30 && c <= 0x39) || c === 0x2d /* - */ || c === 0x4e /* N */ || c === 0x49 /* I */;
  }

  /** Parses a number (or NaN/Infinity) into `container[key]`, recording its text when needed. */
  private parseNumberInto(container: object, key: string | number, pointer: string | undefined): number {
    if (pointer !== undefined && this.wanted!.has(pointer)) this.locations.set(pointer, this.pos);
    const start = this.pos;
    for (const [word, value] of SPECIAL_NUMBERS) {
      if (this.text.startsWith(word, start)) {
        this.pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = start;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail(`Unexpected character ${describe(this.text[start])}: expected a value`);
    this.pos = NUMBER.lastIndex;
    const raw = match[0];
    const value = Number(raw);
    const isFloat = match[1] !== undefined || match[2] !== undefined;
    // Most numbers print back identically; record only those that would not.
    if (isFloat ? Number.isInteger(value) || !Number.isFinite(value) : raw.length > 15 || raw === '-0') {
      const text = isFloat ? formatPythonFloat(value) : BigInt(raw).toString();
      // -0 is recorded too: it arrives as 0 after a trip through JSON.
      if (text !== formatNumber(value) || Object.is(value, -0)) {
        let records = numberTexts.get(container);
        if (!records) numberTexts.set(container, (records = new Map()));
        records.set(key, { value, text });
      }
    }
    return value;
  }

  private parseString(): string {
    const text = this.text;
    let pos = this.pos + 1;
    let result = '';
    for (;;) {
      PLAIN_STRING.lastIndex = pos;
      PLAIN_STRING.test(text);
      const end = PLAIN_STRING.lastIndex;
      const c = text.charCodeAt(end);
      if (c === 0x22) {
        result += text.slice(pos, end);
        this.pos = end + 1;
        return result;
      }
      if (c === 0x5c /* \ */) {
        result += text.slice(pos, end);
        const e = text[end + 1];
        if (e === 'u') {
          const hex = text.slice(end + 2, end + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\uXXXX escape', end);
          result += String.fromCharCode(parseInt(hex, 16));
          pos = end + 6;
        } else if (e !== undefined && ESCAPES[e] !== undefined) {
          result += ESCAPES[e];
          pos = end + 2;
        } else {
          this.fail(e === undefined ? 'Unterminated string' : `Invalid escape ${describe('\\' + e)}`, end);
        }
        continue;
      }
      if (Number.isNaN(c)) this.fail('Unterminated string: the file ends inside a string', this.pos);
      this.fail('Invalid control character in a string (it must be escaped)', end);
    }
  }

  private parseArray(pointer: string | undefined): JsonValue[] {
    const array: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d /* ] */) {
      this.pos++;
      return array;
    }
    for (let index = 0; ; index++) {
      this.skipWhitespace();
      const childPointer = this.childPointer(pointer, index);
      const c = this.text.charCodeAt(this.pos);
      array.push(this.isNumberStart(c) ? this.parseNumberInto(array, index, childPointer) : this.parseValue(childPointer));
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      if (next === 0x2c /* , */) {
        this.pos++;
        this.skipWhitespace();
        if (this.text.charCodeAt(this.pos) === 0x5d) this.fail('Trailing comma before "]"');
      } else if (next === 0x5d) {
        this.pos++;
        return array;
      } else {
        this.fail(Number.isNaN(next) ? 'Unexpected end of file: expected "," or "]"' : `Expected "," or "]" but found ${describe(this.text[this.pos])}`);
      }
    }
  }

  private parseObject(pointer: string | undefined): { [key: string]: JsonValue } {
    const object: { [key: string]: JsonValue } = {};
    this.pos++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d /* } */) {
      this.pos++;
      return object;
    }
    for (;;) {
      this.skipWhitespace();
      const keyStart = this.pos;
      if (this.text.charCodeAt(this.pos) !== 0x22) {
        this.fail(Number.isNaN(this.text.charCodeAt(this.pos)) ? 'Unexpected end of file: expected a property name' : `Expected a property name in double quotes but found ${describe(this.text[this.pos])}`);
      }
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x3a /* : */) this.fail(`Expected ":" after property name ${JSON.stringify(key)}`);
      this.pos++;
      this.skipWhitespace();
      const childPointer = this.childPointer(pointer, key);
      if (childPointer !== undefined && this.wanted!.has(childPointer + '#key')) this.locations.set(childPointer + '#key', keyStart);
      const c = this.text.charCodeAt(this.pos);
      const value = this.isNumberStart(c) ? this.parseNumberInto(object, key, childPointer) : this.parseValue(childPointer);
      if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      else object[key] = value;
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      if (next === 0x2c) {
        this.pos++;
        this.skipWhitespace();
        if (this.text.charCodeAt(this.pos) === 0x7d) this.fail('Trailing comma before "}"');
      } else if (next === 0x7d) {
        this.pos++;
        return object;
      } else {
        this.fail(Number.isNaN(next) ? 'Unexpected end of file: expected "," or "}"' : `Expected "," or "}" but found ${describe(this.text[this.pos])}`);
      }
    }
  }

  private childPointer(pointer: string | undefined, key: string | number): string | undefined {
    if (pointer === undefined) return undefined;
    const child = `${pointer}/${escapePointerToken(key)}`;
    return this.prefixes!.has(child) ? child : undefined;
  }
}

const SPECIAL_NUMBERS: ReadonlyArray<[string, number]> = [
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
];

function describe(char: string | undefined): string {
  if (char === undefined) return 'end of file';
  return JSON.stringify(char);
}
