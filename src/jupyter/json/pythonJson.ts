/**
 * Writes JSON exactly as Python's `json.dumps(value, sort_keys=True, indent=1,
 * ensure_ascii=False)` does, which is how Jupyter (nbformat) writes notebooks:
 * one-space indent, `", "`-free separators (`","` and `": "`), keys sorted by code point,
 * non-ASCII characters kept, control characters escaped with lowercase hex, `/` not escaped,
 * empty containers as `[]` / `{}`, and numbers printed like Python's `repr`.
 */
import type { JsonValue } from '../messages';

/**
 * Python's `repr(float)`: the shortest round-tripping digits, in fixed notation when the
 * decimal exponent is in [-4, 16) (with `.0` for integral values), otherwise `1.5e+16` /
 * `1e-07` (at least two exponent digits).
 */
export function formatPythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  // String() gives the shortest round-tripping digits (closest when several qualify), as repr does.
  const js = String(Math.abs(value));
  const [mantissa, expText] = js.split('e');
  const [intPart, fracPart = ''] = mantissa.split('.');
  let digits = intPart + fracPart;
  let exponent = (expText ? Number(expText) : 0) + intPart.length - 1;
  const leadingZeros = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(leadingZeros).replace(/0+$/, '') || '0';
  exponent -= leadingZeros;
  if (exponent >= -4 && exponent < 16) {
    if (exponent >= 0) {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      const frac = digits.slice(exponent + 1) || '0';
      return `${sign}${whole}.${frac}`;
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const expAbs = String(Math.abs(exponent)).padStart(2, '0');
  return `${sign}${mant}e${exponent < 0 ? '-' : '+'}${expAbs}`;
}

/**
 * How a JavaScript number is written when nothing recorded its original text: safe integers as
 * Python ints, everything else (fractions, huge magnitudes, -0, NaN, infinities) as Python floats.
 */
export function formatNumber(value: number): string {
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  return formatPythonFloat(value);
}

/** Compares strings by Unicode code point, as Python sorts `str` (JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (D800–DFFF) encode code points above FFFF: move them after E000–FFFF.
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

export interface PythonJsonOptions {
  /** Text for a number found at `container[key]`, e.g. the original `1.0`; undefined = default. */
  numberText?(container: object, key: string | number, value: number, refContainer: unknown): string | undefined;
  /**
   * Text for a `null` at `container[key]`, e.g. to restore a NaN/Infinity of the reference that a trip
   * through JSON (which has no NaN) turned into null; undefined = `null`.
   */
  nullText?(container: object, key: string | number, refContainer: unknown): string | undefined;
  /** Members to leave out (like JSON.stringify's undefined values), e.g. in-memory-only fields. */
  omit?(container: object, key: string): boolean;
  /**
   * A parallel "reference" document walked alongside the value (the notebook as last read), so
   * `numberText` can find recorded texts in it. By default children are matched by key/index;
   * `refFor` may override the match for a given child object (e.g. cells matched by id).
   */
  ref?: unknown;
  refFor?(child: object, positionalRef: unknown): unknown;
}

const indents: string[] = [];
function newline(depth: number): string {
  return (indents[depth] ??= '\n' + ' '.repeat(depth));
}

/** `json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False)` without a trailing newline. */
export function stringifyPython(value: JsonValue, options: PythonJsonOptions = {}): string {
  const holder = { '': value };
  return write(value, 0, holder, '', { '': options.ref }, options);
}

/** `refContainer` is the reference counterpart of `container` (undefined when there is none). */
function write(value: unknown, depth: number, container: object, key: string | number, refContainer: unknown, options: PythonJsonOptions): string {
  switch (typeof value) {
    case 'string':
      // JSON.stringify escapes exactly what Python's ensure_ascii=False encoder escapes.
      return JSON.stringify(value);
    case 'number':
      return options.numberText?.(container, key, value, refContainer) ?? formatNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return 'null';
  }
  if (value === null) return options.nullText?.(container, key, refContainer) ?? 'null';
  let ref = refContainer !== null && typeof refContainer === 'object' && Object.hasOwn(refContainer, key) ? (refContainer as Record<string | number, unknown>)[key] : undefined;
  if (options.refFor) ref = options.refFor(value, ref);
  const inner = newline(depth + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const refArray = Array.isArray(ref) ? ref : undefined;
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      out += (i === 0 ? inner : ',' + inner) + write(value[i], depth + 1, value, i, refArray, options);
    }
    return out + newline(depth) + ']';
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).filter((k) => object[k] !== undefined && typeof object[k] !== 'function' && !options.omit?.(object, k));
  if (keys.length === 0) return '{}';
  keys.sort(compareCodePoints);
  const refObject = ref !== null && typeof ref === 'object' && !Array.isArray(ref) ? (ref as Record<string, unknown>) : undefined;
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    out += (i === 0 ? inner : ',' + inner) + JSON.stringify(k) + ': ' + write(object[k], depth + 1, object, k, refObject, options);
  }
  return out + newline(depth) + '}';
}
