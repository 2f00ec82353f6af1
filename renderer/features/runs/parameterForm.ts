/**
 * The "Run with parameters" form as plain data: one field per parameter inferred from the
 * `parameters` cell (src/parameterize's inference), a widget kind per inferred type, defaults read
 * from the default's source text, and validation that refuses a wrong value — including values
 * the kernel language's translator cannot inject (dicts for bash) — before anything starts.
 */
import type { JsonValue } from '../../../src/jupyter/messages';
import type { Notebook } from '../../../src/jupyter/nbformat';
import { type InferredParameter, inferNotebookParameters, UNKNOWN_TYPE } from '../../../src/parameterize/inferParameters';
import { findTranslator } from '../../../src/parameterize/languageTranslators';
import { parameterizePath, runPathBuiltins } from '../../../src/parameterize/parameterizePath';
import { anchorOutputTemplate, DEFAULT_RUN_OUTPUT_TEMPLATE } from '../../../src/parameterize/runOutputLocation';
import type { Translator } from '../../../src/parameterize/translators';
import { parsePythonLiteral } from './pythonLiteral';

/** The widget a parameter gets. `code` is an unknown type: a Python literal typed as code. */
export type FieldKind = 'int' | 'float' | 'str' | 'bool' | 'none' | 'list' | 'dict' | 'code';

export interface ParameterFieldModel {
  name: string;
  kind: FieldKind;
  /** The inferred type name as papermill reports it (`None` = unknown). */
  typeName: string;
  /** The default's source text from the parameters cell. */
  defaultSource: string;
  /** The default as a value, when its source is a plain literal. */
  defaultValue?: JsonValue;
  help: string;
  /** What the widget starts with: text for text widgets, `true`/`false` for checkboxes. */
  initial: string | boolean;
}

/** A widget's current content. */
export type FieldInput = string | boolean;

export type FieldCheck = { ok: true; value: JsonValue } | { ok: false; message: string };

/** Default output template (the host's own): relative to the input notebook's folder. */
export const DEFAULT_OUTPUT_TEMPLATE = DEFAULT_RUN_OUTPUT_TEMPLATE;

/** The widget kind for papermill's inferred type name (`List[str]` → list, `Optional[int]` → code). */
export function fieldKind(typeName: string): FieldKind {
  const t = typeName.replace(/^typing\./, '').trim();
  if (t === UNKNOWN_TYPE) return 'code';
  if (t === 'NoneType') return 'none';
  const base = /^(\w+)(\[.*\])?$/.exec(t)?.[1];
  switch (base) {
    case 'int': return 'int';
    case 'float': return 'float';
    case 'str': return 'str';
    case 'bool': return 'bool';
    case 'list': case 'List': case 'tuple': case 'Tuple': case 'Sequence': return 'list';
    case 'dict': case 'Dict': case 'Mapping': return 'dict';
    default: return 'code';
  }
}

/** JSON text for list/dict widgets; the default's source when it is not a plain literal. */
function initialInput(kind: FieldKind, source: string, value: JsonValue | undefined, parsed: boolean): FieldInput {
  if (kind === 'bool') return value === true;
  if (!parsed) return source;
  if (kind === 'list' || kind === 'dict') return JSON.stringify(value);
  if (kind === 'str') return typeof value === 'string' ? value : source;
  if (kind === 'none') return value === null ? 'None' : typeof value === 'string' ? value : source;
  return source;
}

/** The form's fields for a parameter list. */
export function formFields(params: readonly InferredParameter[]): ParameterFieldModel[] {
  return params.map((p) => {
    const kind = fieldKind(p.inferred_type_name);
    const parsed = parsePythonLiteral(p.default);
    const defaultValue = parsed.ok ? parsed.value : undefined;
    return {
      name: p.name, kind, typeName: p.inferred_type_name, defaultSource: p.default, help: p.help,
      ...(parsed.ok ? { defaultValue } : {}),
      initial: initialInput(kind, p.default, defaultValue, parsed.ok),
    };
  });
}

/** The fields of a notebook's first `parameters` cell; undefined when it has none. */
export function notebookFormFields(nb: Pick<Notebook, 'cells'>): ParameterFieldModel[] | undefined {
  const params = inferNotebookParameters(nb as Notebook);
  return params ? formFields(params) : undefined;
}

const INT = /^[+-]?\d(?:_?\d)*$/;
const FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d+)?$/;

/** Reads a widget's content as the field's type, or says what is wrong. */
export function checkField(field: ParameterFieldModel, input: FieldInput): FieldCheck {
  if (field.kind === 'bool') return { ok: true, value: input === true };
  const text = String(input);
  const trimmed = text.trim();
  switch (field.kind) {
    case 'int': {
      if (!INT.test(trimmed)) return { ok: false, message: `${field.name} must be a whole number (int), e.g. ${field.defaultSource}` };
      const value = Number(trimmed.replace(/_/g, ''));
      if (!Number.isSafeInteger(value)) return { ok: false, message: `${field.name} is too large to pass exactly` };
      return { ok: true, value };
    }
    case 'float': {
      if (!FLOAT.test(trimmed)) return { ok: false, message: `${field.name} must be a number (float), e.g. ${field.defaultSource}` };
      const value = Number(trimmed.replace(/_/g, ''));
      if (!Number.isFinite(value)) return { ok: false, message: `${field.name} must be a finite number` };
      return { ok: true, value };
    }
    case 'str':
      return { ok: true, value: text };
    case 'none':
      // None (or an empty box) is None; anything else is passed as text.
      return trimmed === '' || trimmed === 'None' ? { ok: true, value: null } : { ok: true, value: text };
    case 'list':
    case 'dict':
      return checkStructured(field, text);
    case 'code': {
      if (trimmed === '') return { ok: false, message: `${field.name} needs a value` };
      const parsed = parsePythonLiteral(trimmed);
      if (parsed.ok) return parsed;
      if (trimmed === field.defaultSource.trim()) return { ok: false, message: `${field.name}'s default (${field.defaultSource}) is an expression; enter a literal to override it` };
      return { ok: false, message: `${field.name} must be a Python literal (number, 'quoted text', [list], {dict}, True/False/None): ${parsed.message}` };
    }
  }
}

/** JSON (or a Python literal, as the default is written) that must be a list / a dict. */
function checkStructured(field: ParameterFieldModel, text: string): FieldCheck {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (error) {
    const literal = parsePythonLiteral(text);
    if (!literal.ok) return { ok: false, message: `Not valid JSON: ${(error as Error).message}` };
    value = literal.value;
  }
  const isList = Array.isArray(value);
  const isDict = value !== null && typeof value === 'object' && !isList;
  if (field.kind === 'list' && !isList) return { ok: false, message: `${field.name} must be a JSON list, e.g. [1, 2]` };
  if (field.kind === 'dict' && !isDict) return { ok: false, message: `${field.name} must be a JSON object, e.g. {"key": 1}` };
  return { ok: true, value };
}

/** What the kernel's language can receive, from its translator (papermill's registry). */
export interface TranslatorSupport {
  translator?: Translator;
  /** Why no parameter can be injected (no translator for this kernel/language). */
  problem?: string;
}

export function translatorSupport(kernelName: string | undefined, language: string | undefined): TranslatorSupport {
  try {
    return { translator: findTranslator(kernelName, language) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** Whether the translator can write `value` (bash has no dicts, ...). */
export function translatable(support: TranslatorSupport, value: JsonValue): string | undefined {
  if (!support.translator) return support.problem ?? 'No translator';
  try {
    support.translator.translate(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function sameValue(a: JsonValue | undefined, b: JsonValue): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

export interface FormResult {
  /** Per field, the problem with its current content. */
  errors: Record<string, string>;
  /** The values to inject: the fields changed from their defaults plus any the output path names. */
  parameters: Record<string, JsonValue>;
  /** Every field's value (for the output path preview). */
  values: Record<string, JsonValue>;
}

/**
 * Checks the whole form. Like papermill, only overridden parameters are injected; a parameter the
 * output template names is injected too, so the path and the notebook agree.
 */
export function evaluateForm(fields: readonly ParameterFieldModel[], inputs: Record<string, FieldInput>, support: TranslatorSupport, outputTemplate = ''): FormResult {
  const errors: Record<string, string> = {};
  const parameters: Record<string, JsonValue> = {};
  const values: Record<string, JsonValue> = {};
  const named = new Set([...outputTemplate.matchAll(/\{([^{}:]+)(?::[^{}]*)?\}/g)].map((m) => m[1].trim()));
  for (const field of fields) {
    const input = inputs[field.name] ?? field.initial;
    const changed = input !== field.initial;
    const check = checkField(field, input);
    if (!check.ok) {
      // An unchanged default that is an expression (not a literal) stays as the notebook has it.
      if (!changed && field.defaultValue === undefined && !named.has(field.name)) continue;
      errors[field.name] = check.message;
      continue;
    }
    values[field.name] = check.value;
    if (!named.has(field.name) && (!changed || sameValue(field.defaultValue, check.value))) continue;
    const refused = translatable(support, check.value);
    if (refused) errors[field.name] = `${refused}; this kernel cannot receive this value`;
    else parameters[field.name] = check.value;
  }
  return { errors, parameters, values };
}

/** `dir/name.ipynb` → `{ dir, notebook: 'name' }` (either separator). */
export function splitNotebookPath(path: string): { dir: string; notebook: string } {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dir = i >= 0 ? path.slice(0, i) : '';
  return { dir, notebook: path.slice(i + 1).replace(/\.ipynb$/i, '') };
}

/**
 * The output path a template gives, as the host will resolve it (relative to the input's folder).
 * The run id is not known before the run starts: it shows as `<run id>`.
 */
export function previewOutputPath(template: string, inputPath: string, values: Record<string, JsonValue>, now: Date): { path?: string; error?: string } {
  const { notebook } = splitNotebookPath(inputPath);
  if (!template.trim()) return { error: 'The output path is empty' };
  if (!/\.ipynb$/i.test(template.trim())) return { error: 'The output path must end with .ipynb' };
  try {
    // The host anchors relative templates with the same function (kernels/host/runService.ts).
    return { path: parameterizePath(anchorOutputTemplate(template.trim(), inputPath), values, runPathBuiltins({ notebook, runId: '<run id>', now })) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
