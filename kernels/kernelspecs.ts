/**
 * Kernelspec discovery, in Jupyter's order (jupyter_core.paths.jupyter_path('kernels')):
 *   1. each directory of JUPYTER_PATH
 *   2. the user data dir ($JUPYTER_DATA_DIR, ~/.local/share/jupyter, ~/Library/Jupyter, %APPDATA%\jupyter)
 *   3. `{prefix}/share/jupyter` of each environment the user passes (venv/conda prefixes);
 *      before 2. when JUPYTER_PREFER_ENV_PATH is set, as jupyter_core does
 *   4. /usr/local/share/jupyter, /usr/share/jupyter (%PROGRAMDATA%\jupyter on Windows)
 * Each `kernels/<name>/kernel.json` is a spec; the first directory holding a name wins and the
 * specs it hides are reported in `shadows`. A spec that cannot start (kernel.json unreadable, no
 * argv, interpreter missing) is listed with `status: 'broken'` and the reason, never dropped.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { KernelSpecInfo } from '../src/host/contract';
import { ErrorCode, QuireError } from '../src/errors';
import type { JsonObject } from '../src/jupyter/messages';
import { jupyterDataDir, jupyterPathEnv, systemJupyterDirs, type JupyterPathOptions } from './jupyterPaths';

/** A local spec: the host API's description with the fields only a local kernelspec has. */
export type KernelSpec = KernelSpecInfo & Required<Pick<KernelSpecInfo, 'argv' | 'env' | 'resourceDir' | 'source'>>;

export interface FindKernelSpecsOptions extends JupyterPathOptions {
  /** venv/conda prefixes whose `share/jupyter/kernels` are searched (and whose bin/ resolves argv[0]). */
  environments?: string[];
}

interface SearchDir {
  dir: string;
  source: KernelSpec['source'];
  /** Extra directories to resolve a bare argv[0] in, before PATH (an environment's bin/). */
  binDirs: string[];
}

/** Jupyter's kernel-name rule: ASCII letters, digits, `-`, `.`, `_`. */
const VALID_NAME = /^[a-z0-9._-]+$/i;

export function kernelSearchDirs(options: FindKernelSpecsOptions = {}): SearchDir[] {
  const platform = options.platform ?? process.platform;
  const envBin = (prefix: string) => (platform === 'win32' ? [join(prefix, 'Scripts'), prefix] : [join(prefix, 'bin')]);
  const user: SearchDir[] = [{ dir: join(jupyterDataDir(options), 'kernels'), source: 'user', binDirs: [] }];
  const environments: SearchDir[] = (options.environments ?? []).map((prefix) => ({ dir: join(prefix, 'share', 'jupyter', 'kernels'), source: 'environment', binDirs: envBin(prefix) }));
  // jupyter_core's JUPYTER_PREFER_ENV_PATH puts environments before the user dir.
  const preferEnv = /^(1|true|yes|on)$/i.test((options.env ?? process.env).JUPYTER_PREFER_ENV_PATH ?? '');
  return [
    ...jupyterPathEnv(options).map((d) => ({ dir: join(d, 'kernels'), source: 'JUPYTER_PATH' as const, binDirs: [] })),
    ...(preferEnv ? [...environments, ...user] : [...user, ...environments]),
    ...systemJupyterDirs(options).map((d) => ({ dir: join(d, 'kernels'), source: 'system' as const, binDirs: [] })),
  ];
}

/** Every kernelspec, sorted by name; broken ones included with `problem`. */
export async function findKernelSpecs(options: FindKernelSpecsOptions = {}): Promise<KernelSpec[]> {
  const found = new Map<string, KernelSpec>();
  for (const search of kernelSearchDirs(options)) {
    let names: string[];
    try {
      const entries = await readdir(search.dir, { withFileTypes: true });
      names = entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name).sort();
    } catch {
      continue; // a missing search directory is normal
    }
    for (const dirName of names) {
      const resourceDir = join(search.dir, dirName);
      if (!isFile(join(resourceDir, 'kernel.json'))) continue;
      const name = dirName.toLowerCase();
      const existing = found.get(name);
      if (existing) {
        (existing.shadows ??= []).push(resourceDir);
        continue;
      }
      found.set(name, await readSpec(name, resourceDir, search, options));
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The spec called `name`; throws KERNELSPEC_NOT_FOUND (with the known names) when there is none. */
export async function findKernelSpec(name: string, options: FindKernelSpecsOptions = {}): Promise<KernelSpec> {
  const specs = await findKernelSpecs(options);
  const spec = specs.find((s) => s.name === name.toLowerCase());
  if (!spec) {
    throw new QuireError(ErrorCode.KernelSpecNotFound, `No kernelspec named '${name}' (found: ${specs.map((s) => s.name).join(', ') || 'none'})`, {
      name, available: specs.map((s) => s.name),
    });
  }
  return spec;
}

async function readSpec(name: string, resourceDir: string, search: SearchDir, options: FindKernelSpecsOptions): Promise<KernelSpec> {
  const base: KernelSpec = {
    name, displayName: name, language: '', argv: [], env: {}, interruptMode: 'signal', metadata: {},
    resourceDir, source: search.source, status: 'ok',
  };
  const broken = (problem: string): KernelSpec => ({ ...base, status: 'broken', problem });
  if (!VALID_NAME.test(name)) return broken(`invalid kernel name '${name}' (allowed: letters, digits, '-', '.', '_')`);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(resourceDir, 'kernel.json'), 'utf8'));
  } catch (error) {
    return broken(`kernel.json does not parse: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return broken('kernel.json is not a JSON object');
  const json = raw as Record<string, unknown>;
  const spec: KernelSpec = {
    ...base,
    displayName: typeof json.display_name === 'string' ? json.display_name : name,
    language: typeof json.language === 'string' ? json.language : '',
    argv: Array.isArray(json.argv) ? json.argv.filter((a): a is string => typeof a === 'string') : [],
    env: isStringRecord(json.env) ? json.env : {},
    interruptMode: json.interrupt_mode === 'message' ? 'message' : 'signal',
    metadata: isObject(json.metadata) ? (json.metadata as JsonObject) : {},
  };
  if (!Array.isArray(json.argv) || spec.argv.length === 0 || spec.argv.length !== json.argv.length) {
    return { ...spec, status: 'broken', problem: "kernel.json has no valid 'argv' (a non-empty list of strings)" };
  }
  if (json.interrupt_mode !== undefined && json.interrupt_mode !== 'signal' && json.interrupt_mode !== 'message') {
    return { ...spec, status: 'broken', problem: `unknown interrupt_mode '${String(json.interrupt_mode)}'` };
  }
  const pathValue = spec.env.PATH ?? (options.env ?? process.env).PATH ?? '';
  const executable = resolveExecutable(spec.argv[0], [...search.binDirs, ...pathValue.split(delimiter)], options.platform ?? process.platform);
  if (!executable) {
    const where = isAbsolute(spec.argv[0]) ? 'does not exist or is not executable' : 'was not found on PATH';
    return { ...spec, status: 'broken', problem: `interpreter '${spec.argv[0]}' ${where}` };
  }
  return { ...spec, executable };
}

/** The absolute path of an executable, as spawn would find it; undefined when missing. */
export function resolveExecutable(command: string, dirs: string[], platform: NodeJS.Platform = process.platform): string | undefined {
  const exts = platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';')] : [''];
  const candidates = isAbsolute(command) || command.includes('/') ? [command] : dirs.filter(Boolean).map((d) => join(d, command));
  for (const candidate of candidates) {
    for (const ext of exts) {
      if (isExecutableFile(candidate + ext)) return candidate + ext;
    }
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

/**
 * What nbclient does for IPython kernels: keep the history in memory
 * (`--HistoryManager.hist_file=:memory:`). Each cell then skips a SQLite write, and parallel
 * batch kernels do not contend for one history file.
 */
export function ipykernelRunSpec(spec: KernelSpec): KernelSpec {
  const isIPyKernel = spec.argv.some((a) => /(^|[/\\])ipykernel(_launcher)?$/.test(a) || a === 'ipykernel_launcher');
  if (!isIPyKernel || spec.argv.some((a) => a.startsWith('--HistoryManager.hist_file'))) return spec;
  return { ...spec, argv: [...spec.argv, '--HistoryManager.hist_file=:memory:'] };
}
