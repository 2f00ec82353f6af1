/**
 * Output path templates: `out/{notebook}_{region}_{run_id}.ipynb`. Like papermill's
 * `parameterize_path` (Python `str.format` with the parameters and built-ins): `{{`/`}}` are
 * literal braces, and a name that is neither a parameter nor a built-in is an error.
 */
import { ErrorCode, QuireError } from '../errors';
import { pythonFloatRepr, type ParameterValue, type Parameters } from './translators';

/** Values available to every template besides the parameters. */
export interface PathBuiltins {
  /** The input notebook's file name without `.ipynb`. */
  notebook?: string;
  /** UTC start time, `YYYYMMDDTHHMMSSZ` (safe in file names). */
  timestamp?: string;
  run_id?: string;
  [key: string]: string | undefined;
}

/** Fills `{name}` placeholders; built-ins win over parameters of the same name only when given. */
export function parameterizePath(template: string, params: Parameters, builtins: PathBuiltins = {}): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      out += ch;
      i += 2;
      continue;
    }
    if (ch === '}') throw new QuireError(ErrorCode.InvalidArgument, `Single '}' encountered in path template '${template}'`);
    if (ch !== '{') {
      out += ch;
      i++;
      continue;
    }
    const close = template.indexOf('}', i);
    if (close < 0) throw new QuireError(ErrorCode.InvalidArgument, `Unclosed '{' in path template '${template}'`);
    const field = template.slice(i + 1, close);
    const [name, spec] = splitSpec(field);
    out += applySpec(lookup(name, params, builtins, template), spec);
    i = close + 1;
  }
  return out;
}

function splitSpec(field: string): [string, string | undefined] {
  const colon = field.indexOf(':');
  return colon < 0 ? [field.trim(), undefined] : [field.slice(0, colon).trim(), field.slice(colon + 1)];
}

function lookup(name: string, params: Parameters, builtins: PathBuiltins, template: string): string {
  if (builtins[name] !== undefined) return builtins[name]!;
  if (Object.prototype.hasOwnProperty.call(params, name)) return formatValue(params[name]);
  const known = [...Object.keys(builtins).filter((k) => builtins[k] !== undefined), ...Object.keys(params)];
  throw new QuireError(
    ErrorCode.MissingParameter,
    `Missing parameter '${name}' in path template '${template}' (available: ${known.join(', ') || 'none'})`,
    { name, template },
  );
}

/** Python's `str()` of the value, so paths match papermill's. */
export function formatValue(value: ParameterValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return pythonFloatRepr(value);
  }
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The small part of Python's format spec that paths use: zero padding and width (`{i:03}`, `{i:03d}`). */
function applySpec(text: string, spec: string | undefined): string {
  if (!spec) return text;
  const m = /^(0?)(\d+)d?$/.exec(spec);
  if (!m) throw new QuireError(ErrorCode.InvalidArgument, `Unsupported format spec ':${spec}' in path template`);
  return m[1] ? text.padStart(Number(m[2]), '0') : text.padStart(Number(m[2]), ' ');
}

/** `2024-01-02T03:04:05.678Z` → `20240102T030405Z`. */
export function pathTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
