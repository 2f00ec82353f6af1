import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isQuireError, type JsonLocation } from '../../src/errors';
import { locateProblems, validateNotebookText } from '../../src/jupyter/validateNotebook';
import { describeFsError } from '../files/atomicWrite';
import { type CliCommand, out } from './command';

/** One problem as editors and CI logs read it: `FILE:LINE:COL: /json/pointer: message`. */
export function formatProblem(file: string, location: JsonLocation, message: string): string {
  const where = `${file}:${location.line ?? 1}:${location.column ?? 1}:`;
  return location.pointer ? `${where} ${location.pointer}: ${message}` : `${where} ${message}`;
}

/**
 * The problems of one notebook file, formatted, and whether any is an error (warnings, such as a
 * newer nbformat minor version, leave the file valid).
 */
export async function validateFile(file: string): Promise<{ lines: string[]; valid: boolean }> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
  } catch (error) {
    return { lines: [`${file}: ${error instanceof TypeError ? 'not UTF-8 text, so not a notebook' : describeFsError(error)}`], valid: false };
  }
  try {
    const problems = validateNotebookText(text);
    return {
      lines: problems.map((w) => formatProblem(file, w.location, w.severity === 'warning' ? `warning: ${w.message}` : w.message)),
      valid: problems.every((w) => w.severity === 'warning'),
    };
  } catch (error) {
    if (!isQuireError(error)) throw error;
    const location = { ...((error.details?.location as JsonLocation | undefined) ?? { pointer: '' }) };
    const problem = { message: error.message, location };
    if (location.line === undefined) locateProblems(text, [problem]);
    return { lines: [formatProblem(file, problem.location, problem.message)], valid: false };
  }
}

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check notebooks against the nbformat v4 schema (exit 1 if any problem)',
  usage: 'validate FILE...',
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h', default: false } } });
    if (values.help || positionals.length === 0) {
      out([
        'Usage: quire validate FILE...',
        '',
        'Checks each notebook against the nbformat v4 JSON schema of its own minor version (4.0-4.5),',
        'plus unique cell ids in 4.5. A newer minor (4.6+) is checked as nbformat does: the 4.5 schema',
        'with unknown properties, cell and output types allowed, and a warning. One line per problem:',
        '',
        '  FILE:LINE:COL: /json/pointer: message',
        '',
        'Exit status 0 when every file is valid (warnings allowed), 1 otherwise (broken JSON, nbformat 3,',
        'schema problems).',
      ].join('\n'));
      return values.help ? 0 : 2;
    }
    let failed = false;
    for (const file of positionals) {
      const { lines, valid } = await validateFile(file);
      if (!valid) failed = true;
      if (lines.length > 0) out(lines.join('\n'));
    }
    return failed ? 1 : 0;
  },
};
