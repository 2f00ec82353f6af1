import { constants } from 'node:fs';
import { access, readFile, realpath, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isQuireError } from '../../src/errors';
import { formatNotebookText } from '../../src/jupyter/formatNotebookText';
import { atomicWriteFile, describeFsError } from '../files/atomicWrite';
import { type CliCommand, err, out } from './command';

type FormatResult = 'canonical' | 'changed' | 'failed';

/**
 * Formats one file exactly as `nbformat.read(NO_CONVERT)` + `nbformat.write` would rewrite it (see
 * formatNotebookText); with `check`, only reports. Files nbformat could not write stay untouched.
 */
export async function formatFile(file: string, check: boolean): Promise<FormatResult> {
  let text: string;
  let target: string;
  let before;
  try {
    // A symlink is followed: its target is formatted, the link stays.
    target = await realpath(file);
    before = await stat(target);
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(target));
  } catch (error) {
    err(`${file}: ${error instanceof TypeError ? 'not UTF-8 text, so not a notebook' : describeFsError(error)} (left untouched)`);
    return 'failed';
  }
  let formatted;
  try {
    formatted = formatNotebookText(text);
  } catch (error) {
    if (!isQuireError(error)) throw error;
    err(`${file}: ${error.message} (left untouched)`);
    return 'failed';
  }
  for (const warning of formatted.warnings) err(`${file}: warning: ${warning}`);
  if (formatted.text === text) return 'canonical';
  if (check) {
    out(file);
    return 'changed';
  }
  try {
    if (!(await access(target, constants.W_OK).then(() => true, () => false))) throw new Error('the file is read-only');
    const now = await stat(target);
    if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) throw new Error('the file changed while it was being formatted');
    await atomicWriteFile(target, formatted.text, {
      mode: before.mode & 0o7777,
      owner: { uid: before.uid, gid: before.gid },
      verify: (written) => {
        if (written !== formatted.text) throw new Error('the file did not read back as written');
      },
    });
  } catch (error) {
    err(`${file}: not formatted: ${error instanceof Error ? error.message : String(error)} (left untouched)`);
    return 'failed';
  }
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
        "Rewrites each notebook byte for byte as Jupyter's nbformat.read + nbformat.write would: keys",
        'sorted, one-space indent, text split into line lists (images joined into one string), non-ASCII',
        'kept, numbers as Python prints them, LF line endings; in nbformat 4.5+, missing or repeated cell',
        'ids replaced (with a warning). Saving is atomic.',
        '',
        '  --check   change nothing; print the files that are not in canonical form, exit 1 if any',
        '',
        'Files that nbformat could not read or write are reported and left untouched (exit status 1).',
        'Schema problems are warnings: the file is formatted anyway, as nbformat does.',
      ].join('\n'));
      return values.help ? 0 : 2;
    }
    const results: FormatResult[] = [];
    for (const file of positionals) results.push(await formatFile(file, values.check));
    if (results.includes('failed')) return 1;
    return values.check && results.includes('changed') ? 1 : 0;
  },
};
