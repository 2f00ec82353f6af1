/**
 * The per-language translators (papermill's conventions, see docs/runs.md) and the default
 * registry. Where papermill emits invalid code for non-finite floats in R/Julia/Scala/MATLAB
 * (`nan`), Quire writes the language's own spelling (`NaN`, `Inf`).
 */
import { QuireError, ErrorCode } from '../errors';
import { BaseTranslator, type ParameterValue, type Translator, TranslatorRegistry, unicodeEscape } from './translators';

type Dict = { [key: string]: ParameterValue };

export class PythonTranslator extends BaseTranslator {
  readonly language = 'python';
  protected override translateNone(): string {
    return 'None';
  }
  protected override translateBool(value: boolean): string {
    return value ? 'True' : 'False';
  }
  protected override translateFloat(value: number): string {
    if (Number.isNaN(value)) return "float('nan')";
    if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "float('-inf')";
    return super.translateFloat(value);
  }
  protected translateDict(value: Dict): string {
    return `{${this.entries(value).map(([k, v]) => `${this.translateString(k)}: ${this.translate(v)}`).join(', ')}}`;
  }
}

export class RTranslator extends BaseTranslator {
  readonly language = 'R';
  protected override translateNone(): string {
    return 'NULL';
  }
  protected override translateBool(value: boolean): string {
    return value ? 'TRUE' : 'FALSE';
  }
  protected override translateFloat(value: number): string {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
    return super.translateFloat(value);
  }
  protected translateDict(value: Dict): string {
    return `list(${this.entries(value).map(([k, v]) => `${this.translateString(k)} = ${this.translate(v)}`).join(', ')})`;
  }
  protected override translateList(values: ParameterValue[]): string {
    return `list(${values.map((v) => this.translate(v)).join(', ')})`;
  }
  /** Leading `_` is not legal in R names, so papermill drops it. */
  override assign(name: string, code: string): string {
    return `${name.replace(/^_+/, '')} = ${code}`;
  }
}

export class JuliaTranslator extends BaseTranslator {
  readonly language = 'julia';
  protected override translateNone(): string {
    return 'nothing';
  }
  protected override translateFloat(value: number): string {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
    return super.translateFloat(value);
  }
  protected translateDict(value: Dict): string {
    return `Dict(${this.entries(value).map(([k, v]) => `${this.translateString(k)} => ${this.translate(v)}`).join(', ')})`;
  }
}

export class ScalaTranslator extends BaseTranslator {
  readonly language = 'scala';
  protected override translateNone(): string {
    return 'None';
  }
  protected override translateInt(value: number): string {
    const text = super.translateInt(value);
    return value > 2147483647 || value < -2147483648 ? `${text}L` : text;
  }
  protected override translateFloat(value: number): string {
    if (Number.isNaN(value)) return 'Double.NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Double.PositiveInfinity' : 'Double.NegativeInfinity';
    return super.translateFloat(value);
  }
  protected translateDict(value: Dict): string {
    return `Map(${this.entries(value).map(([k, v]) => `${this.translateString(k)} -> ${this.translate(v)}`).join(', ')})`;
  }
  protected override translateList(values: ParameterValue[]): string {
    return `Seq(${values.map((v) => this.translate(v)).join(', ')})`;
  }
  override comment(text: string): string {
    return `// ${text}`.trim();
  }
  override assign(name: string, code: string): string {
    return `val ${name} = ${code}`;
  }
}

export class MatlabTranslator extends BaseTranslator {
  readonly language = 'matlab';
  protected override translateString(value: string): string {
    return `"${value.replace(/"/g, '""')}"`;
  }
  protected override translateNone(): string {
    return 'NaN';
  }
  protected override translateFloat(value: number): string {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
    return super.translateFloat(value);
  }
  protected translateDict(value: Dict): string {
    const entries = this.entries(value);
    const keys = entries.map(([k]) => `'${k.replace(/'/g, "''")}'`).join(', ');
    const values = entries.map(([, v]) => this.translate(v)).join(', ');
    return `containers.Map({${keys}}, {${values}})`;
  }
  protected override translateList(values: ParameterValue[]): string {
    return `{${values.map((v) => this.translate(v)).join(', ')}}`;
  }
  override comment(text: string): string {
    return `% ${text}`.trim();
  }
  override assign(name: string, code: string): string {
    return `${name} = ${code};`;
  }
}

export class PowerShellTranslator extends BaseTranslator {
  readonly language = 'powershell';
  protected override translateString(value: string): string {
    return `"${unicodeEscape(value).replace(/"/g, '`"')}"`;
  }
  protected override translateNone(): string {
    return '$Null';
  }
  protected override translateBool(value: boolean): string {
    return value ? '$True' : '$False';
  }
  protected override translateFloat(value: number): string {
    if (Number.isNaN(value)) return '[double]::NaN';
    if (!Number.isFinite(value)) return value > 0 ? '[double]::PositiveInfinity' : '[double]::NegativeInfinity';
    return super.translateFloat(value);
  }
  protected translateDict(value: Dict): string {
    return `@{${this.entries(value).map(([k, v]) => `${this.translateString(k)} = ${this.translate(v)}`).join('; ')}}`;
  }
  protected override translateList(values: ParameterValue[]): string {
    return `@(${values.map((v) => this.translate(v)).join(', ')})`;
  }
  override assign(name: string, code: string): string {
    return `$${name} = ${code}`;
  }
}

/** Python's `shlex.quote`. */
export function shellQuote(text: string): string {
  if (text === '') return "''";
  if (!/[^\w@%+=:,./-]/.test(text)) return text;
  return `'${text.replace(/'/g, `'"'"'`)}'`;
}

export class BashTranslator extends BaseTranslator {
  readonly language = 'bash';
  protected override translateNone(): string {
    return '';
  }
  protected override translateString(value: string): string {
    return shellQuote(value);
  }
  protected translateDict(): string {
    throw new QuireError(ErrorCode.ParameterInvalid, 'The bash translator cannot inject dict parameters');
  }
  protected override translateList(values: ParameterValue[]): string {
    return `(${values.map((v) => this.translate(v)).join(' ')})`;
  }
  override assign(name: string, code: string): string {
    return `${name}=${code}`;
  }
}

/** A fresh registry with papermill's keys (kernel names and languages). */
export function createDefaultTranslatorRegistry(): TranslatorRegistry {
  const python = new PythonTranslator();
  const r = new RTranslator();
  const scala = new ScalaTranslator();
  return new TranslatorRegistry()
    .register('python', python)
    .register('R', r)
    .register('scala', scala)
    .register('julia', new JuliaTranslator())
    .register('matlab', new MatlabTranslator())
    .register('.net-powershell', new PowerShellTranslator())
    .register('powershell', new PowerShellTranslator())
    .register('pysparkkernel', python)
    .register('sparkkernel', scala)
    .register('sparkrkernel', r)
    .register('bash', new BashTranslator());
}

/**
 * The translator for a kernel name, else for a language (papermill's lookup order). Pass a
 * registry to add languages; by default a fresh default registry is used.
 */
export function findTranslator(
  kernelName: string | undefined,
  language: string | undefined,
  registry: TranslatorRegistry = createDefaultTranslatorRegistry(),
): Translator {
  return registry.find(kernelName, language);
}
