/**
 * Validation against the official nbformat v4 JSON schemas (vendored from nbformat, BSD-3-Clause:
 * see docs/dependencies.md), using the schema of the notebook's own minor version, as nbformat does.
 * Each problem carries a JSON pointer and, when the notebook text is given, a line and column.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv-draft-04';
import type { ValidationProblem } from '../host/contract';
import type { Notebook } from './nbformat';
import { parseNotebookWithRepairs } from './notebookFormat';
import { parseJson } from './json/parseJson';
import schema0 from './schema/nbformat.v4.0.schema.json';
import schema1 from './schema/nbformat.v4.1.schema.json';
import schema2 from './schema/nbformat.v4.2.schema.json';
import schema3 from './schema/nbformat.v4.3.schema.json';
import schema4 from './schema/nbformat.v4.4.schema.json';
import schema5 from './schema/nbformat.v4.5.schema.json';

const SCHEMAS: readonly object[] = [schema0, schema1, schema2, schema3, schema4, schema5];
const CELL_TYPES = ['code', 'markdown', 'raw'] as const;
const OUTPUT_TYPES = ['execute_result', 'display_data', 'stream', 'error'] as const;

interface Validators {
  /** The notebook with cells checked only for being objects. */
  notebook: ValidateFunction;
  cells: Record<string, ValidateFunction>;
  /** Code cells are checked with outputs only required to be objects; each output separately. */
  outputs: Record<string, ValidateFunction>;
  /** A notebook from a newer minor version: cells and outputs of unknown types (nbformat's `_allow_undefined`). */
  unknownCell?: ValidateFunction;
  unknownOutput?: ValidateFunction;
}

/** The newest minor version whose schema Quire has (nbformat 5.x knows the same). */
export const NEWEST_KNOWN_MINOR = SCHEMAS.length - 1;

const validatorsByMinor = new Map<string, Validators>();
let ajv: Ajv | undefined;

/** nbformat's `_relax_additional_properties`: every `additionalProperties` becomes `true`. */
function relaxAdditionalProperties(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relaxAdditionalProperties);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'additionalProperties' ? true : relaxAdditionalProperties(v)]));
}

/** True for a whole nbformat_minor above the newest schema: a notebook from a newer nbformat. */
export function isNewerMinor(minor: unknown): minor is number {
  return typeof minor === 'number' && Number.isInteger(minor) && minor > NEWEST_KNOWN_MINOR;
}

/**
 * The schema says "a cell is oneOf(raw, markdown, code)", so a plain validation reports every
 * branch's errors for one bad cell. Like nbformat's best_match, we validate each cell against the
 * branch its own cell_type selects (and each output by output_type), so messages stay relevant.
 *
 * A newer minor (4.6+, e.g. 4.99) is checked as nbformat's `get_validator` does: against the newest
 * schema with every `additionalProperties` relaxed to true, and unknown cell and output types checked
 * against the schema's `unrecognized_cell` / `unrecognized_output`.
 */
function validatorsFor(minor: unknown): Validators {
  const future = isNewerMinor(minor);
  const index = typeof minor === 'number' && Number.isInteger(minor) && minor >= 0 && minor < SCHEMAS.length ? minor : NEWEST_KNOWN_MINOR;
  const key = future ? 'future' : String(index);
  let validators = validatorsByMinor.get(key);
  if (!validators) {
    // strict: false because the official schemas use a non-standard keyword ("item" in authors).
    ajv ??= new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const { $schema: _s, id: _id, ...original } = SCHEMAS[index] as Record<string, unknown>;
    const schema = (future ? relaxAdditionalProperties(original) : JSON.parse(JSON.stringify(original))) as {
      id?: string;
      properties: { cells: { items: object } };
      definitions: Record<string, { properties: { outputs: { items: object } } }>;
    };
    schema.id = `quire:nbformat-v4.${key}`;
    schema.properties.cells.items = { type: 'object' };
    schema.definitions.code_cell.properties.outputs.items = { type: 'object' };
    const notebook = ajv.compile(schema);
    const get = (name: string) => ajv!.getSchema(`${schema.id}#/definitions/${name}`)!;
    validators = {
      notebook,
      cells: Object.fromEntries(CELL_TYPES.map((t) => [t, get(`${t}_cell`)])),
      outputs: Object.fromEntries(OUTPUT_TYPES.map((t) => [t, get(t)])),
      unknownCell: future ? get('unrecognized_cell') : undefined,
      unknownOutput: future ? get('unrecognized_output') : undefined,
    };
    validatorsByMinor.set(key, validators);
  }
  return validators;
}

function withPrefix(errors: ErrorObject[] | null | undefined, prefix: string): ErrorObject[] {
  return (errors ?? []).map((e) => ({ ...e, instancePath: prefix + e.instancePath }));
}

/** Schema errors of a notebook, each at the most specific place (see validatorsFor). */
function schemaErrors(nb: unknown): ErrorObject[] {
  const v = validatorsFor((nb as Partial<Notebook> | null)?.nbformat_minor);
  const errors = v.notebook(nb) ? [] : withPrefix(v.notebook.errors, '');
  const cells = (nb as Partial<Notebook> | null)?.cells;
  if (!Array.isArray(cells)) return errors;
  cells.forEach((cell, i) => {
    if (cell === null || typeof cell !== 'object') return;
    const type = (cell as { cell_type?: unknown }).cell_type;
    const validate = typeof type === 'string' && Object.hasOwn(v.cells, type) ? v.cells[type] : v.unknownCell;
    if (!validate) {
      errors.push(unknownType(`/cells/${i}`, `unknown cell_type ${JSON.stringify(type)} (expected "code", "markdown" or "raw")`));
      return;
    }
    if (!validate(cell)) errors.push(...withPrefix(validate.errors, `/cells/${i}`));
    const outputs = (cell as { outputs?: unknown }).outputs;
    if (type !== 'code' || !Array.isArray(outputs)) return;
    outputs.forEach((output, j) => {
      if (output === null || typeof output !== 'object') return;
      const outputType = (output as { output_type?: unknown }).output_type;
      const check = typeof outputType === 'string' && Object.hasOwn(v.outputs, outputType) ? v.outputs[outputType] : v.unknownOutput;
      const at = `/cells/${i}/outputs/${j}`;
      if (!check) errors.push(unknownType(at, `unknown output_type ${JSON.stringify(outputType)} (expected "execute_result", "display_data", "stream" or "error")`));
      else if (!check(output)) errors.push(...withPrefix(check.errors, at));
    });
  });
  return errors;
}

/** "must be string" + "must be array" + "must match exactly one schema in oneOf" → "must be string or array". */
function mergeTypeErrors(errors: ErrorObject[]): ErrorObject[] {
  const types = new Map<string, string[]>();
  for (const e of errors) if (e.keyword === 'type') types.set(e.instancePath, [...(types.get(e.instancePath) ?? []), String((e.params as { type: unknown }).type)]);
  const done = new Set<string>();
  return errors.flatMap((e) => {
    const merged = types.get(e.instancePath);
    if (!merged || (e.keyword !== 'type' && e.keyword !== 'oneOf')) return [e];
    if (done.has(e.instancePath)) return [];
    done.add(e.instancePath);
    return [{ ...e, keyword: 'type', message: `must be ${[...new Set(merged)].join(' or ')}` }];
  });
}

function unknownType(instancePath: string, message: string): ErrorObject {
  return { instancePath, schemaPath: '#/oneOf', keyword: 'oneOf', params: {}, message };
}

function describe(error: ErrorObject): ValidationProblem {
  const pointer = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { message: `missing required property "${String(params.missingProperty)}"`, location: { pointer } };
    case 'additionalProperties':
      return {
        message: `unexpected property "${String(params.additionalProperty)}"`,
        location: { pointer: `${pointer}/${String(params.additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}` },
      };
    case 'enum':
      return { message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, location: { pointer } };
    default:
      return { message: error.message ?? `fails "${error.keyword}"`, location: { pointer } };
  }
}

/**
 * Validates a notebook (any JSON value) against the nbformat v4 schema of its minor version, plus
 * nbformat's extra rule that 4.5 cell ids are unique. With `text` (the file the notebook was read
 * from), problems also get line and column. A newer minor version adds a problem with
 * `severity: 'warning'` (see validatorsFor); every other problem is an error.
 */
export function validateNotebook(nb: unknown, options: { text?: string } = {}): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  for (const error of mergeTypeErrors(schemaErrors(nb))) {
      const problem = describe(error);
      const key = `${problem.location.pointer}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  const minor = (nb as Partial<Notebook> | null)?.nbformat_minor;
  if (isNewerMinor(minor)) {
    problems.unshift({
      severity: 'warning',
      message: `nbformat 4.${minor} is newer than the 4.${NEWEST_KNOWN_MINOR} Quire knows: checked against the 4.${NEWEST_KNOWN_MINOR} schema with unknown properties, cell types and output types allowed, as nbformat does`,
      location: { pointer: '/nbformat_minor' },
    });
  }
  const cells = (nb as Partial<Notebook> | null)?.cells;
  if (Array.isArray(cells) && typeof minor === 'number' && minor >= 5) {
    const ids = new Set<unknown>();
    cells.forEach((cell, index) => {
      const id = (cell as { id?: unknown } | null)?.id;
      if (id === undefined) return;
      if (ids.has(id)) problems.push({ message: `non-unique cell id ${JSON.stringify(id)}`, location: { pointer: `/cells/${index}/id` } });
      ids.add(id);
    });
  }
  if (options.text !== undefined) locateProblems(options.text, problems);
  return problems;
}

/** Adds line/column to problems by finding their pointers in the text (keys for unexpected properties). */
export function locateProblems(text: string, problems: ValidationProblem[]): void {
  if (problems.length === 0) return;
  const wanted = problems.map((p) => (p.message.startsWith('unexpected property') ? `${p.location.pointer}#key` : p.location.pointer));
  let locations: Map<string, number>;
  try {
    // Ancestors too: a missing property is shown at its parent.
    const withAncestors = new Set<string>();
    for (const pointer of wanted) {
      const base = pointer.endsWith('#key') ? pointer.slice(0, -4) : pointer;
      for (let i = base.indexOf('/', 1); i !== -1; i = base.indexOf('/', i + 1)) withAncestors.add(base.slice(0, i));
      withAncestors.add(base);
      withAncestors.add(pointer);
    }
    locations = parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { locate: withAncestors }).locations;
  } catch {
    return;
  }
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  problems.forEach((problem, i) => {
    let pointer = wanted[i];
    let offset = locations.get(pointer);
    // A pointer that does not exist in the text (a missing property): point at its parent.
    while (offset === undefined && pointer !== '') {
      pointer = pointer.endsWith('#key') ? pointer.slice(0, -4) : pointer.slice(0, pointer.lastIndexOf('/'));
      offset = locations.get(pointer) ?? (pointer === '' ? 0 : undefined);
    }
    if (offset === undefined) return;
    offset += bom;
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    problem.location.line = lo + 1;
    problem.location.column = offset - lineStarts[lo] + 1;
  });
}

/**
 * Reads notebook text for opening: parses (throwing as parseNotebook does), repairs what the UI needs,
 * and lists repairs and schema problems as warnings with line and column.
 */
export function readNotebookText(text: string): { notebook: Notebook; warnings: ValidationProblem[] } {
  const { notebook, repairs } = parseNotebookWithRepairs(text);
  // Validate the repaired notebook: each repair is reported once, as itself.
  const warnings = validateNotebook(notebook, { text });
  const repairWarnings: ValidationProblem[] = repairs.map((r) => ({ message: r.message, location: { pointer: r.pointer } }));
  locateProblems(text, repairWarnings);
  const all = [...warnings, ...repairWarnings];
  // In file order, as an editor's problem list is.
  return { notebook, warnings: all.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.column ?? 0) - (b.location.column ?? 0)) };
}

/**
 * All problems of notebook text as it is on disk (no repairs applied), for `quire validate`. Throws as
 * parseNotebook does when the text is not a usable notebook at all.
 */
export function validateNotebookText(text: string): ValidationProblem[] {
  parseNotebookWithRepairs(text);
  const original = parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).value;
  return validateNotebook(original, { text });
}
