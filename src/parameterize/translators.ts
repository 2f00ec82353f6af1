/**
 * Parameter translators: turn JSON-like values into source code for a kernel's language, with
 * papermill's conventions (papermill/translators.py). A registry is built explicitly and passed
 * around; there is no import-time singleton.
 */
import { QuireError, ErrorCode } from '../errors';
import type { JsonValue } from '../jupyter/messages';

/** A parameter value: JSON plus non-finite floats (NaN, ±Infinity) from the CLI and YAML. */
export type ParameterValue = JsonValue;
export type Parameters = Record<string, ParameterValue>;

export interface Translator {
  /** Language name for messages, e.g. `python`. */
  readonly language: string;
  translate(value: ParameterValue): string;
  comment(text: string): string;
  assign(name: string, code: string): string;
  /** The injected cell's source: a comment line, then one assignment per parameter. */
  codify(params: Parameters, comment?: string): string;
}

/** Python's `str.encode('unicode_escape')`: backslash, control and non-ASCII characters escaped. */
export function unicodeEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0x100)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x100 && code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (code >= 0x10000) out += `\\U${code.toString(16).padStart(8, '0')}`;
    else out += ch;
  }
  return out;
}

/** Python's `repr(float)` for finite values: shortest round-trip digits, exponent outside [1e-4, 1e16). */
export function pythonFloatRepr(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  const [mantissa, expText] = value.toExponential().split('e');
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    const digits = mantissa.replace('-', '').replace('.', '');
    const sign = value < 0 ? '-' : '';
    let text: string;
    if (exp < 0) text = `0.${'0'.repeat(-exp - 1)}${digits}`;
    else if (digits.length > exp + 1) text = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
    else text = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
    return sign + text;
  }
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Shared dispatch (papermill's `Translator.translate`): None, str, bool, int, float, dict, list. */
export abstract class BaseTranslator implements Translator {
  abstract readonly language: string;

  translate(value: ParameterValue): string {
    if (value === null || value === undefined) return this.translateNone();
    if (typeof value === 'string') return this.translateString(value);
    if (typeof value === 'boolean') return this.translateBool(value);
    if (typeof value === 'number') return Number.isInteger(value) ? this.translateInt(value) : this.translateFloat(value);
    if (Array.isArray(value)) return this.translateList(value);
    return this.translateDict(value);
  }

  protected translateNone(): string {
    return this.translateString('None');
  }
  protected translateString(value: string): string {
    return `"${unicodeEscape(value).replace(/"/g, '\\"')}"`;
  }
  protected translateBool(value: boolean): string {
    return value ? 'true' : 'false';
  }
  protected translateInt(value: number): string {
    return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
  }
  protected translateFloat(value: number): string {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return pythonFloatRepr(value);
  }
  protected translateList(values: ParameterValue[]): string {
    return `[${values.map((v) => this.translate(v)).join(', ')}]`;
  }
  protected abstract translateDict(value: { [key: string]: ParameterValue }): string;

  comment(text: string): string {
    return `# ${text}`.trim();
  }
  assign(name: string, code: string): string {
    return `${name} = ${code}`;
  }
  codify(params: Parameters, comment = 'Parameters'): string {
    let content = `${this.comment(comment)}\n`;
    for (const [name, value] of Object.entries(params)) content += `${this.assign(name, this.translate(value))}\n`;
    return content;
  }
  protected entries(value: { [key: string]: ParameterValue }): Array<[string, ParameterValue]> {
    return Object.entries(value);
  }
}

/** Maps kernel names and languages to translators; lookup tries the kernel name, then the language. */
export class TranslatorRegistry {
  private readonly _byKey = new Map<string, Translator>();

  register(key: string, translator: Translator): this {
    this._byKey.set(key, translator);
    return this;
  }

  keys(): string[] {
    return [...this._byKey.keys()];
  }

  /** papermill's `find_translator`: kernel name first, then language (exact, then case-insensitive). */
  find(kernelName: string | undefined, language: string | undefined): Translator {
    for (const key of [kernelName, language]) {
      if (key && this._byKey.has(key)) return this._byKey.get(key)!;
    }
    if (language) {
      const lower = language.toLowerCase();
      for (const [key, translator] of this._byKey) if (key.toLowerCase() === lower) return translator;
    }
    throw new QuireError(
      ErrorCode.InvalidArgument,
      `No parameter translator functions specified for kernel '${kernelName ?? ''}' or language '${language ?? ''}'`,
      { kernelName: kernelName ?? null, language: language ?? null },
    );
  }
}
