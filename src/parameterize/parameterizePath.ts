/**
 * Output path templates: `out/{notebook}_{region}_{run_id}.ipynb`. Like papermill's
 * `parameterize_path` (Python `str.format` with the parameters and built-ins): `{{`/`}}` are
 * literal braces, `{name[key]}` / `{name[0]}` index dict and list values (papermill's built-ins
 * are `{pm[run_uuid]}`, `{pm[current_datetime_utc]}`…), and a name that is neither a parameter nor
 * a built-in is an error.
 */
import { ErrorCode, QuireError } from '../errors';
import { pythonFloatRepr, type ParameterValue, type Parameters } from './translators';

/** A date/time a template can print: Python's `str(datetime)` by default, strftime with a spec (`{d:%Y-%m-%d}`). */
export class PathDateTime {
  constructor(readonly date: Date, readonly utc: boolean) {}
}

export type PathBuiltinValue = string | PathDateTime | { readonly [key: string]: string | PathDateTime };

/** Values available to every template besides the parameters. */
export interface PathBuiltins {
  /** The input notebook's file name without `.ipynb`. */
  notebook?: string;
  /** UTC start time, `YYYYMMDDTHHMMSSZ` (safe in file names). */
  timestamp?: string;
  run_id?: string;
  [key: string]: PathBuiltinValue | undefined;
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
    out += formatField(lookup(name, params, builtins, template), spec, name, template);
    i = close + 1;
  }
  return out;
}

function splitSpec(field: string): [string, string | undefined] {
  // A ':' inside [..] belongs to the key, as in Python.
  let depth = 0;
  for (let i = 0; i < field.length; i++) {
    if (field[i] === '[') depth++;
    else if (field[i] === ']') depth = Math.max(0, depth - 1);
    else if (field[i] === ':' && depth === 0) return [field.slice(0, i).trim(), field.slice(i + 1)];
  }
  return [field.trim(), undefined];
}

type FieldValue = ParameterValue | PathBuiltinValue;

function lookup(field: string, params: Parameters, builtins: PathBuiltins, template: string): FieldValue {
  // Whole-field built-ins first: Quire's dotted names such as `pm.run_uuid`.
  if (builtins[field] !== undefined) return builtins[field]!;
  const m = /^([^.[\]]+)((?:\.[^.[\]]+|\[[^\]]*\])*)$/.exec(field);
  const missing = (what: string) => {
    const known = [...Object.keys(builtins).filter((k) => builtins[k] !== undefined), ...Object.keys(params)];
    return new QuireError(
      ErrorCode.MissingParameter,
      `Missing parameter '${what}' in path template '${template}' (available: ${known.join(', ') || 'none'})`,
      { name: what, template },
    );
  };
  if (!m) throw missing(field);
  const name = m[1].trim();
  let value: FieldValue | undefined = builtins[name] ?? (Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined);
  if (value === undefined) throw missing(name);
  for (const [, dotted, indexed] of m[2].matchAll(/\.([^.[\]]+)|\[([^\]]*)\]/g)) {
    const key = dotted ?? indexed;
    value = member(value, key);
    if (value === undefined) throw missing(field);
  }
  return value;
}

/** `value[key]` as Python's format does it: a list takes a whole-number index, a mapping a key. */
function member(value: FieldValue, key: string): FieldValue | undefined {
  if (Array.isArray(value)) return /^\d+$/.test(key) ? value[Number(key)] : undefined;
  if (value === null || typeof value !== 'object' || value instanceof PathDateTime) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, FieldValue>)[key] : undefined;
}

function formatField(value: FieldValue, spec: string | undefined, field: string, template: string): string {
  if (value instanceof PathDateTime) return spec ? strftime(value, spec, template) : pythonDateTimeStr(value);
  if (isBuiltinGroup(value)) {
    throw new QuireError(ErrorCode.InvalidArgument, `'{${field}}' in path template '${template}' is a group of built-ins; name one, e.g. {${field}[${Object.keys(value)[0]}]}`);
  }
  return applySpec(formatValue(value), value, spec);
}

function isBuiltinGroup(value: FieldValue): value is { readonly [key: string]: string | PathDateTime } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).some((v) => v instanceof PathDateTime);
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

/**
 * The small part of Python's format spec that paths use: zero padding and width (`{i:03}`,
 * `{i:03d}`) and fixed decimals for numbers (`{alpha:.2f}`, `{alpha:06.3f}`).
 */
function applySpec(text: string, value: ParameterValue | undefined, spec: string | undefined): string {
  if (!spec) return text;
  const m = /^(0?)(\d*)(?:\.(\d+))?([df]?)$/.exec(spec);
  if (!m) throw new QuireError(ErrorCode.InvalidArgument, `Unsupported format spec ':${spec}' in path template`);
  const [, zero, width, precision, type] = m;
  let formatted = text;
  if (precision !== undefined || type === 'f') {
    if (typeof value !== 'number') throw new QuireError(ErrorCode.InvalidArgument, `Format spec ':${spec}' needs a number, not '${text}'`);
    formatted = value.toFixed(precision === undefined ? 6 : Number(precision));
  } else if (type === 'd' && !(typeof value === 'number' && Number.isInteger(value))) {
    throw new QuireError(ErrorCode.InvalidArgument, `Format spec ':${spec}' needs a whole number, not '${text}'`);
  }
  if (!width) return formatted;
  if (!zero) return formatted.padStart(Number(width), ' ');
  const sign = formatted.startsWith('-') ? '-' : '';
  return sign + formatted.slice(sign.length).padStart(Number(width) - sign.length, '0');
}

interface DateParts { year: number; month: number; day: number; hour: number; minute: number; second: number; micro: number }

function dateParts({ date, utc }: PathDateTime): DateParts {
  return utc
    ? { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(), micro: date.getUTCMilliseconds() * 1000 }
    : { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate(), hour: date.getHours(), minute: date.getMinutes(), second: date.getSeconds(), micro: date.getMilliseconds() * 1000 };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Python's `str(datetime)`: `2024-01-02 03:04:05.678000`, without the fraction when it is zero. */
export function pythonDateTimeStr(value: PathDateTime): string {
  const p = dateParts(value);
  const base = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
  return p.micro ? `${base}.${pad(p.micro, 6)}` : base;
}

/** strftime's numeric directives (`%Y %m %d %H %M %S %f %y %j %%`); others are refused rather than guessed. */
function strftime(value: PathDateTime, spec: string, template: string): string {
  const p = dateParts(value);
  const dayOfYear = Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86_400_000) + 1;
  const directives: Record<string, string> = {
    Y: pad(p.year, 4), m: pad(p.month), d: pad(p.day), H: pad(p.hour), M: pad(p.minute), S: pad(p.second),
    f: pad(p.micro, 6), y: pad(p.year % 100), j: pad(dayOfYear, 3), '%': '%',
  };
  return spec.replace(/%(.?)/g, (whole, letter: string) => {
    const text = directives[letter];
    if (text === undefined) throw new QuireError(ErrorCode.InvalidArgument, `Unsupported date directive '${whole}' in path template '${template}' (use %Y %m %d %H %M %S %f %y %j)`);
    return text;
  });
}

/** `2024-01-02T03:04:05.678Z` → `20240102T030405Z`. */
export function pathTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * The built-ins of a run's output path: `{notebook}`, `{timestamp}`, `{run_id}`, `{index}` and
 * papermill's `pm` values in both spellings. Shared by the run engine and the app's path preview
 * so the two always agree.
 */
export function runPathBuiltins(ctx: { notebook: string; runId: string; now: Date; index?: number }): PathBuiltins {
  const { now, runId } = ctx;
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  return {
    notebook: ctx.notebook,
    timestamp: pathTimestamp(now),
    run_id: runId,
    ...(ctx.index !== undefined ? { index: String(ctx.index) } : {}),
    pm: { run_uuid: runId, current_datetime_local: new PathDateTime(now, false), current_datetime_utc: new PathDateTime(now, true) },
    'pm.run_uuid': runId,
    'pm.current_datetime_utc': now.toISOString().slice(0, 19),
    'pm.current_datetime_local': local,
  };
}
