import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import type { KernelSpecInfo } from '../../src/host/contract';
import { findKernelSpecs } from '../kernelspecs';
import { type CliCommand, out } from './command';

const HELP = [
  'Usage: quire kernels [--json] [--env PREFIX]...',
  '',
  'Lists the kernelspecs Quire can start, found as Jupyter finds them: JUPYTER_PATH, the user',
  'data dir, each --env prefix (a venv or conda environment: PREFIX/share/jupyter/kernels), then',
  '/usr/local/share/jupyter and /usr/share/jupyter. The first spec of a name wins; specs it hides',
  'are listed as shadowed. Broken specs (unparsable kernel.json, missing interpreter) are listed',
  'with the reason.',
  '',
  'Options:',
  '  --json          print the specs as a JSON array',
  '  --env PREFIX    also search this environment prefix (repeatable)',
].join('\n');

/** A plain-text table; columns padded to their widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The `quire kernels` table for a list of specs. */
export function formatKernelSpecs(specs: KernelSpecInfo[]): string {
  if (specs.length === 0) return 'No kernelspecs found. Install one, e.g. python3-ipykernel (Debian) or `python -m ipykernel install --user`.';
  const home = homedir();
  const tilde = (p: string) => (home && p.startsWith(`${home}/`) ? `~${p.slice(home.length)}` : p);
  const rows = specs.map((s) => [
    s.name,
    s.displayName,
    s.language,
    s.status === 'ok' ? 'ok' : `BROKEN: ${s.problem ?? 'unknown problem'}`,
    s.source ?? '',
    tilde(s.resourceDir ?? ''),
  ]);
  const table = formatTable(['NAME', 'DISPLAY NAME', 'LANGUAGE', 'STATUS', 'SOURCE', 'PATH'], rows);
  const shadowed = specs.flatMap((s) => (s.shadows ?? []).map((dir) => `  ${s.name}: ${tilde(dir)} (hidden by ${tilde(s.resourceDir ?? '')})`));
  return shadowed.length ? `${table}\n\nShadowed:\n${shadowed.join('\n')}` : table;
}

export const kernelsCommand: CliCommand = {
  name: 'kernels',
  summary: 'list kernelspecs (name, language, status, where found)',
  usage: 'kernels [--json] [--env PREFIX]...',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        env: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      out(HELP);
      return 0;
    }
    const specs = await findKernelSpecs({ environments: values.env });
    out(values.json ? JSON.stringify(specs, null, 2) : formatKernelSpecs(specs));
    return 0;
  },
};
