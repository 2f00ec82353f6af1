/**
 * The Python interpreters on PATH and whether each can run a Jupyter kernel: every `python3`,
 * `python3.X` and `python`, deduplicated, each asked by a short subprocess (in parallel, never
 * blocking the event loop) for its version, whether ipykernel imports, whether it is a venv and
 * whether it is externally managed (PEP 668). What to type for each comes from
 * src/kernels/ipykernelInstallCommands.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import type { PythonInterpreterInfo } from '../src/host/contract';
import { type InstallContext, ipykernelInstallCommands } from '../src/kernels/ipykernelInstallCommands';

export interface FindPythonInterpretersOptions {
  env?: NodeJS.ProcessEnv;
  /** Per interpreter (default 5 s); one that does not answer in time is left out. */
  timeoutMs?: number;
  /** Default: this machine (/etc/debian_version, uid 0, realpath of /usr/bin/python3). */
  context?: InstallContext;
}

const NAME = /^python(3(\.\d+)?)?$/;

// JSON so that odd paths survive; importlib.util is Python 3 only, so a Python 2 `python` fails and is left out.
const PROBE = [
  'import sys, os, json, sysconfig, importlib.util',
  "stdlib = sysconfig.get_path('stdlib') or ''",
  'print(json.dumps({"version": sys.version.split()[0], "ipykernel": importlib.util.find_spec("ipykernel") is not None,',
  '  "venv": sys.prefix != getattr(sys, "base_prefix", sys.prefix), "managed": os.path.isfile(os.path.join(stdlib, "EXTERNALLY-MANAGED")),',
  '  "prefix": sys.prefix, "executable": sys.executable}))',
].join('\n');

interface ProbeResult { version: string; ipykernel: boolean; venv: boolean; managed: boolean; prefix: string; executable: string }

export async function findPythonInterpreters(options: FindPythonInterpretersOptions = {}): Promise<PythonInterpreterInfo[]> {
  const env = options.env ?? process.env;
  const context = options.context ?? await localInstallContext();
  const candidates = await pythonCandidates(env.PATH ?? '');
  const probed = await Promise.all(candidates.map(async (c) => ({ ...c, result: await probe(c.path, env, options.timeoutMs ?? 5_000) })));
  const seen = new Set<string>();
  const found: PythonInterpreterInfo[] = [];
  for (const { path, realPath, result } of probed) {
    if (!result) continue;
    // pyenv's shims (python, python3, python3.11) are scripts that run one interpreter: one entry.
    const key = `${result.prefix}\0${await realpath(result.executable).catch(() => result.executable)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const probeInfo = { path, realPath, hasIpykernel: result.ipykernel, inVenv: result.venv, externallyManaged: result.managed };
    found.push({ path, realPath, version: result.version, hasIpykernel: result.ipykernel, inVenv: result.venv, installCommands: ipykernelInstallCommands(probeInfo, context) });
  }
  return found;
}

/** Executables named like Python on PATH, in PATH order, one per real file and venv. */
export async function pythonCandidates(pathValue: string): Promise<Array<{ path: string; realPath: string }>> {
  const out: Array<{ path: string; realPath: string }> = [];
  const seen = new Set<string>();
  for (const dir of pathValue.split(delimiter).filter(Boolean)) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => NAME.test(n)).sort(byPreference)) {
      const path = join(dir, name);
      const realPath = await realpath(path).catch(() => undefined);
      if (!realPath || !(await isExecutableFile(realPath))) continue;
      // A venv's python is a symlink to the base interpreter, yet another interpreter (its own
      // site-packages): the pyvenv.cfg beside or above it tells them apart.
      const key = `${realPath}\0${venvRoot(path) ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ path, realPath });
    }
  }
  return out;
}

/** python3, then python3.X newest first, then python. */
function byPreference(a: string, b: string): number {
  const rank = (n: string) => (n === 'python3' ? [0, 0] : n === 'python' ? [2, 0] : [1, -Number(n.slice('python3.'.length))]);
  const [ra, rb] = [rank(a), rank(b)];
  return ra[0] - rb[0] || ra[1] - rb[1];
}

function venvRoot(path: string): string | undefined {
  for (const dir of [dirname(path), dirname(dirname(path))]) if (existsSync(join(dir, 'pyvenv.cfg'))) return dir;
  return undefined;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    return s.isFile() && (s.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

function probe(path: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ProbeResult | undefined> {
  return new Promise((resolve) => {
    execFile(path, ['-c', PROBE], { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024, windowsHide: true }, (error, stdout) => {
      if (error) return resolve(undefined);
      try {
        const r = JSON.parse(stdout.trim().split('\n').pop() ?? '') as ProbeResult;
        resolve(typeof r.version === 'string' && typeof r.executable === 'string' ? r : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}

/** This machine's answers for the install command choice. */
export async function localInstallContext(): Promise<InstallContext> {
  return {
    debian: existsSync('/etc/debian_version'),
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    systemPython3: await realpath('/usr/bin/python3').catch(() => undefined),
  };
}
