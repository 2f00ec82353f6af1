/**
 * Parameter values from the command line and YAML, typed the way papermill types them, and
 * Quire's check that a value fits the type inferred from the parameters cell.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ErrorCode, QuireError } from '../errors';
import { type InferredParameter, UNKNOWN_TYPE } from './inferParameters';
import type { ParameterValue, Parameters } from './translators';

const PY_INT = /^[+-]?\d+$/;
const PY_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$|^[+-]?(?:nan|inf|infinity)$/;

/** Python's numeric spelling rules: surrounding whitespace allowed, `_` only between digits. */
function normalizeNumber(text: string): string | undefined {
  const t = text.trim();
  if (/(^|\D)_|_(\D|$)/.test(t)) return undefined;
  return t.replace(/_/g, '').toLowerCase();
}

/**
 * papermill's `_resolve_type` for `-p NAME VALUE`: `True`/`False`/`None`, then Python `int()`
 * (so `007` is 7), then `float()` (`nan`, `inf`, `1e3`), else the string itself.
 */
export function resolveCliValue(text: string): ParameterValue {
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (text === 'None') return null;
  const t = normalizeNumber(text);
  if (t !== undefined && PY_INT.test(t)) return Number(t);
  if (t !== undefined && PY_FLOAT.test(t)) {
    const body = t.replace(/^[+-]/, '');
    const sign = t.startsWith('-') ? -1 : 1;
    if (body === 'nan') return NaN;
    if (body === 'inf' || body === 'infinity') return sign * Infinity;
    return Number(t);
  }
  return text;
}

const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
const BOOL_TAG = 'tag:yaml.org,2002:bool';
/** PyYAML's booleans: YAML 1.1's words, but not `y`/`n` (so `n: 5` keeps its key `n`). */
const PYYAML_BOOLS = [
  { identify: (v: unknown) => v === true, default: true, tag: BOOL_TAG, test: /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/, resolve: () => true },
  { identify: (v: unknown) => v === false, default: true, tag: BOOL_TAG, test: /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/, resolve: () => false },
];

/**
 * Parses YAML parameters (`-y`, `-f`, batch files) as papermill's NoDatesSafeLoader does:
 * YAML 1.1 scalars as PyYAML reads them (`yes` is true, `n` is a string, `010` is 8) but dates
 * stay strings. An empty document is `{}`.
 */
export function parseYamlParameters(text: string, source = 'YAML'): Parameters {
  let value: unknown;
  try {
    value = parseYaml(text, {
      version: '1.1',
      customTags: (tags) => [...PYYAML_BOOLS, ...tags.filter((t) => typeof t === 'object' && t.tag !== TIMESTAMP_TAG && t.tag !== BOOL_TAG)],
    });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    const message = error instanceof Error ? error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') : String(error);
    throw new QuireError(ErrorCode.ParameterInvalid, `Invalid YAML in ${source}${where}: ${message}`, { source });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new QuireError(ErrorCode.ParameterInvalid, `${source} must be a mapping of parameter names to values`, { source });
  }
  return value as Parameters;
}

export interface TypeMismatch {
  name: string;
  expected: string;
  value: ParameterValue;
  message: string;
}

/** The simple Python type a value would have once injected. */
export function pythonTypeOf(value: ParameterValue): string {
  if (value === null) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  return Array.isArray(value) ? 'list' : 'dict';
}

/** The checkable base of an inferred type name: `List[str]` → `list`; others undefined. */
function checkableType(typeName: string): string | undefined {
  const t = typeName.replace(/^typing\./, '');
  const base = /^(\w+)/.exec(t)?.[1];
  const map: Record<string, string> = { int: 'int', float: 'float', str: 'str', bool: 'bool', list: 'list', List: 'list', dict: 'dict', Dict: 'dict' };
  return t === base || t.startsWith(`${base}[`) ? map[base ?? ''] : undefined;
}

/**
 * Parameters whose values do not fit the type inferred for them (Quire's check; papermill has
 * none). Unknown types, `None` defaults and `Optional[...]` accept anything; ints fit floats;
 * `None` fits everything (it is how a caller says "no value").
 */
export function checkParameterTypes(params: Parameters, inferred: readonly InferredParameter[]): TypeMismatch[] {
  const problems: TypeMismatch[] = [];
  for (const [name, value] of Object.entries(params)) {
    const param = inferred.find((p) => p.name === name);
    if (!param || param.inferred_type_name === UNKNOWN_TYPE || value === null) continue;
    const expected = checkableType(param.inferred_type_name);
    if (!expected) continue;
    const actual = pythonTypeOf(value);
    if (actual === expected || (expected === 'float' && actual === 'int')) continue;
    const hint = expected === 'str' ? ' (use -r NAME VALUE to pass it as a string)' : '';
    problems.push({
      name,
      expected: param.inferred_type_name,
      value,
      message: `Parameter '${name}' expects ${param.inferred_type_name} (default ${param.default}) but got ${actual} ${JSON.stringify(value)}${hint}`,
    });
  }
  return problems;
}
