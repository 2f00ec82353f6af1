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
const validators = new Map<number, ValidateFunction>();
let ajv: Ajv | undefined;

/** The compiled validator for a minor version (4.6+ uses the newest schema, as nbformat does). */
function validatorFor(minor: unknown): ValidateFunction {
  const index = typeof minor === 'number' && Number.isInteger(minor) && minor >= 0 && minor < SCHEMAS.length ? minor : SCHEMAS.length - 1;
  let validate = validators.get(index);
  if (!validate) {
    // strict: false because the official schemas use a non-standard keyword ("item" in authors).
    ajv ??= new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const { $schema: _s, id: _id, ...schema } = SCHEMAS[index] as Record<string, unknown>;
    validate = ajv.compile(schema);
    validators.set(index, validate);
  }
  return validate;
}

const CELL_BRANCHES: Record<string, string> = { code: 'code_cell', markdown: 'markdown_cell', raw: 'raw_cell' };
const OUTPUT_BRANCHES = new Set(['execute_result', 'display_data', 'stream', 'error']);
const CELL_DEFINITIONS = new Set([...Object.values(CELL_BRANCHES), 'unrecognized_cell']);

function at(value: unknown, pointer: string): unknown {
  let node = value;
  for (const token of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/** The cell or output an error's instance path lies in, e.g. `/cells/3` or `/cells/3/outputs/0`. */
function owner(pointer: string, kind: 'cell' | 'output'): string | undefined {
  const match = kind === 'cell' ? /^\/cells\/\d+/.exec(pointer) : /^\/cells\/\d+\/outputs\/\d+/.exec(pointer);
  return match?.[0];
}

/**
 * Keeps the errors that matter. The schema says "a cell is oneOf(raw, markdown, code)", so Ajv
 * reports every branch's errors; like nbformat's best_match, keep only the branch the cell's own
 * cell_type (or output's output_type) selects, and the bare oneOf error only when no branch fits.
 */
function relevantErrors(errors: ErrorObject[], nb: unknown): ErrorObject[] {
  const branchOf = (error: ErrorObject) => /^#\/definitions\/([a-z_]+)\//.exec(error.schemaPath)?.[1];
  const kept = errors.filter((error) => {
    const branch = branchOf(error);
    if (branch && CELL_DEFINITIONS.has(branch)) {
      const cell = owner(error.instancePath, 'cell');
      const type = cell && (at(nb, cell) as { cell_type?: unknown } | undefined)?.cell_type;
      return typeof type === 'string' && CELL_BRANCHES[type] === branch;
    }
    if (branch && (OUTPUT_BRANCHES.has(branch) || branch === 'unrecognized_output')) {
      const output = owner(error.instancePath, 'output');
      return output !== undefined && (at(nb, output) as { output_type?: unknown } | undefined)?.output_type === branch;
    }
    return true;
  });
  return kept.filter((error) => {
    if (error.keyword !== 'oneOf') return true;
    // Drop "must match exactly one schema" when a specific problem inside the same node is reported.
    return !kept.some((other) => other !== error && other.keyword !== 'oneOf' && (other.instancePath === error.instancePath || other.instancePath.startsWith(error.instancePath + '/')));
  });
}

function describe(error: ErrorObject, nb: unknown): ValidationProblem {
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
    case 'oneOf': {
      const node = at(nb, pointer) as Record<string, unknown> | undefined;
      if (/^\/cells\/\d+$/.test(pointer) && node && typeof node === 'object') {
        return { message: `unknown cell_type ${JSON.stringify(node.cell_type)} (expected "code", "markdown" or "raw")`, location: { pointer } };
      }
      if (/^\/cells\/\d+\/outputs\/\d+$/.test(pointer) && node && typeof node === 'object') {
        return { message: `unknown output_type ${JSON.stringify(node.output_type)} (expected "execute_result", "display_data", "stream" or "error")`, location: { pointer } };
      }
      return { message: error.message ?? 'does not match the schema', location: { pointer } };
    }
    default:
      return { message: error.message ?? `fails "${error.keyword}"`, location: { pointer } };
  }
}

/**
 * Validates a notebook (any JSON value) against the nbformat v4 schema of its minor version, plus
 * nbformat's extra rule that 4.5 cell ids are unique. With `text` (the file the notebook was read
 * from), problems also get line and column.
 */
export function validateNotebook(nb: unknown, options: { text?: string } = {}): ValidationProblem[] {
  const validate = validatorFor((nb as Partial<Notebook> | null)?.nbformat_minor);
  const problems: ValidationProblem[] = [];
  if (!validate(nb)) {
    const seen = new Set<string>();
    for (const error of relevantErrors(validate.errors ?? [], nb)) {
      const problem = describe(error, nb);
      const key = `${problem.location.pointer}\u0000${problem.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        problems.push(problem);
      }
    }
  }
  const cells = (nb as Partial<Notebook> | null)?.cells;
  if (Array.isArray(cells) && typeof (nb as Notebook).nbformat_minor === 'number' && (nb as Notebook).nbformat_minor >= 5) {
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
    locations = parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { locate: wanted }).locations;
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
  return { notebook, warnings: [...warnings, ...repairWarnings] };
}
