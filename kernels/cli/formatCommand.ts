import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isQuireError } from '../../src/errors';
import { canonicalizeNotebook, parseNotebook, serializeNotebook } from '../../src/jupyter/notebookFormat';
import { describeFsError } from '../files/atomicWrite';
import { writeNotebookFile } from '../files/notebookFiles';
import { type CliCommand, err, out } from './command';

type FormatResult = 'canonical' | 'changed' | 'failed';

/** Formats one file as Jupyter would write it; with `check`, only reports. Unreadable files stay untouched. */
export async function formatFile(file: string, check: boolean): Promise<FormatResult> {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(file)).mtimeMs;
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
  } catch (error) {
    err(`${file}: ${error instanceof TypeError ? 'not UTF-8 text, so not a notebook' : describeFsError(error)} (left untouched)`);
    return 'failed';
  }
  let notebook;
  try {
    notebook = parseNotebook(text);
  } catch (error) {
    if (!isQuireError(error)) throw error;
    err(`${file}: ${error.message} (left untouched)`);
    return 'failed';
  }
  const canonical = canonicalizeNotebook(notebook);
  // Line endings are the platform's business (Jupyter on Windows writes \r\n); keep the file's.
  if (serializeNotebook(canonical, { reference: notebook, newline: text.includes('\r\n') ? '\r\n' : '\n' }) === text) return 'canonical';
  if (check) {
    out(file);
    return 'changed';
  }
  await writeNotebookFile(file, canonical, { reference: notebook, expectedMtimeMs: mtimeMs });
  out(`formatted ${file}`);
  return 'changed';
}

export const formatCommand: CliCommand = {
  name: 'format',
  summary: "rewrite notebooks in Jupyter's canonical form (--check: list those that are not)",
  usage: 'format FILE... [--check]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { check: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
    if (values.help || positionals.length === 0) {
      out([
        'Usage: quire format FILE... [--check]',
        '',
        'Rewrites each notebook exactly as Jupyter (nbformat) writes it: keys sorted, one-space indent,',
        'multi-line text split into lists, non-ASCII kept, numbers as Python prints them. Saving is atomic.',
        '',
        '  --check   change nothing; print the files that are not in canonical form, exit 1 if any',
        '',
        'Files that cannot be read as notebooks are reported and left untouched (exit status 1).',
      ].join('\n'));
      return values.help ? 0 : 2;
    }
    const results: FormatResult[] = [];
    for (const file of positionals) results.push(await formatFile(file, values.check));
    if (results.includes('failed')) return 1;
    return values.check && results.includes('changed') ? 1 : 0;
  },
};
