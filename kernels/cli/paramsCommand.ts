import { parseArgs } from 'node:util';
import { type InferredParameter, inferNotebookParameters, UNKNOWN_TYPE } from '../../src/parameterize/inferParameters';
import { defaultRunNotebookIo } from '../run/notebookIo';
import { type CliCommand, out } from './command';

/**
 * papermill's `--help-notebook` listing: `  name: type (default X)` then the help, aligned at
 * column 34 (or on the next line when the definition is long). Returns the lines and whether a
 * parameters cell exists.
 */
export function formatNotebookParameters(path: string, params: InferredParameter[] | undefined): { lines: string[]; found: boolean } {
  const lines = [`Parameters inferred for notebook '${path}':`];
  if (params === undefined) return { lines: [...lines, '', "  No cell tagged 'parameters'"], found: false };
  if (params.length === 0) {
    return { lines: [...lines, '', "  Can't infer anything about this notebook's parameters. It may not have any parameter defined."], found: true };
  }
  for (const p of params) {
    const type = p.inferred_type_name === UNKNOWN_TYPE ? 'Unknown type' : p.inferred_type_name;
    const definition = `  ${p.name}: ${type} (default ${p.default})`;
    if (definition.length > 30) lines.push(p.help ? `${definition}\n${' '.repeat(34)}${p.help}` : definition);
    else lines.push(`${definition.padEnd(34)}${p.help}`.trimEnd());
  }
  return { lines, found: true };
}

export const paramsCommand: CliCommand = {
  name: 'params',
  summary: "list a notebook's parameters (inferred from its cell tagged 'parameters')",
  usage: 'params NOTEBOOK [--json]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
    if (values.help || positionals.length !== 1) {
      out([
        'Usage: quire params NOTEBOOK [--json]',
        '',
        "Lists the parameters defined in the notebook's first cell tagged 'parameters' (Python syntax),",
        'with their inferred types, defaults (as source text) and help (the trailing # comment).',
        '',
        '  --json   print a JSON list of {name, inferred_type_name, default, help}',
        '',
        'Type names follow papermill: an annotation or `# type:` comment wins; otherwise Quire infers',
        'int, float, str, bool, list, dict, tuple, set, NoneType from the literal, and "None" means unknown.',
        'Exit status 1 when the notebook has no parameters cell.',
      ].join('\n'));
      return values.help ? 0 : 2;
    }
    const nb = await defaultRunNotebookIo.read(positionals[0]);
    const params = inferNotebookParameters(nb);
    if (values.json) {
      out(JSON.stringify(params ?? [], null, 2));
      return params === undefined ? 1 : 0;
    }
    const { lines, found } = formatNotebookParameters(positionals[0], params);
    out(lines.join('\n'));
    return found ? 0 : 1;
  },
};
