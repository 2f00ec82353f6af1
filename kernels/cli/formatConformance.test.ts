/**
 * `quire format` against real nbformat (Debian's python3-nbformat): varied notebooks are written in a
 * temp folder, nbformat.read(NO_CONVERT) + nbformat.write rewrites one copy, `quire format` (the
 * built CLI) another, and the bytes must be equal. Where nbformat fails, quire must refuse and leave
 * the file untouched.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runQuire } from '../testing/buildCli';
import { JUPYTER_PYTHON } from '../testing/notebookFixtures';
import { conformanceNotebooks, refusedNotebooks } from '../testing/conformanceNotebooks';

interface NbformatResult {
  ok: boolean;
  error: string | null;
  warnings: string[];
  logged: string[];
}

const SCRIPT = fileURLToPath(new URL('../testing/nbformatWrite.py', import.meta.url));
let dir: string;
let jupyter: Record<string, NbformatResult>;
const cases = Object.entries(conformanceNotebooks());
const refused = Object.entries(refusedNotebooks());
const at = (sub: string, name: string) => join(dir, sub, name);

beforeAll(() => {
  buildCli();
  dir = mkdtempSync(join(tmpdir(), 'quire-conformance-'));
  for (const sub of ['in', 'nbformat', 'quire']) mkdirSync(join(dir, sub));
  const pairs: string[] = [];
  for (const [name, text] of [...cases, ...refused]) {
    writeFileSync(at('in', name), text);
    copyFileSync(at('in', name), at('quire', name));
    pairs.push(at('in', name), at('nbformat', name));
  }
  jupyter = JSON.parse(execFileSync(JUPYTER_PYTHON, [SCRIPT, ...pairs], { encoding: 'utf8', timeout: 120_000 })) as Record<string, NbformatResult>;
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Cell ids that nbformat or quire made up (not in the input) differ by nature: name them by position. */
function withoutNewIds(text: string, input: string): string {
  let n = 0;
  return text.replace(/"id": "([^"]*)"/g, (whole, id: string) => (input.includes(`"${id}"`) ? whole : `"id": "<new ${n++}>"`));
}

describe('quire format writes what nbformat writes', () => {
  it.each(cases)('%s', (name) => {
    const input = readFileSync(at('in', name), 'utf8');
    const file = at('quire', name);
    // The BOM case: nbformat cannot read it at all; quire formats the rest (compared below).
    const verdict = jupyter[at('in', name)];
    if (name.startsWith('bom-')) expect(verdict.ok).toBe(false);
    else expect(verdict).toMatchObject({ ok: true });
    const check = runQuire('format', '--check', file);
    const result = runQuire('format', file);
    const formatted = readFileSync(file, 'utf8');
    const expected = name.startsWith('bom-')
      ? (() => {
          const copy = at('in', `nobom-${name}`);
          writeFileSync(copy, input.slice(1));
          execFileSync(JUPYTER_PYTHON, [SCRIPT, copy, at('nbformat', name)]);
          return readFileSync(at('nbformat', name), 'utf8');
        })()
      : readFileSync(at('nbformat', name), 'utf8');
    expect(withoutNewIds(formatted, input)).toBe(withoutNewIds(expected, input));
    expect(result.code).toBe(0);
    // --check: non-zero exactly when the file was not already what nbformat writes.
    expect(check.code).toBe(expected === input ? 0 : 1);
    expect(runQuire('format', '--check', at('nbformat', name)).code).toBe(0);
    expect(runQuire('format', '--check', file)).toMatchObject({ code: 0, stdout: '' });
    // nbformat's warnings (new or renamed ids, schema errors) are quire's warnings too.
    const nbformatWarned = verdict.warnings.some((w) => /MissingIDField|DuplicateCellId/.test(w)) || verdict.logged.length > 0;
    expect(result.stderr !== '').toBe(nbformatWarned || name.startsWith('bom-'));
  });

  it('covers what it claims: CRLF, list-form images, every minor version, numbers, unicode', () => {
    const all = cases.map(([, text]) => text).join('\n');
    expect(all).toContain('\r\n');
    expect(all).toMatch(/"image\/png": \[/);
    for (const minor of [0, 1, 2, 3, 4, 5, 99]) expect(all).toMatch(new RegExp(`"nbformat_minor": ?${minor}\\b`));
    for (const text of ['1.0', '1e16', '-0.0', '123456789012345678901234567890', '🎉', '\u2028']) expect(all).toContain(text);
  });
});

describe('notebooks nbformat cannot write are refused and left untouched', () => {
  it.each(refused)('%s', (name) => {
    expect(jupyter[at('in', name)].ok).toBe(false);
    const file = at('quire', name);
    const before = readFileSync(file);
    const mtime = statSync(file).mtimeMs;
    for (const args of [['format', file], ['format', '--check', file]]) {
      const result = runQuire(...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('(left untouched)');
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });
});
