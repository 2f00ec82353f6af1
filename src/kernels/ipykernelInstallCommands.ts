/**
 * What to type to give a Python interpreter a Jupyter kernel, decided from what a probe of it
 * found (kernels/pythonInterpreters.ts). Pure: no processes, no files.
 *
 * - It has ipykernel already: only register a kernelspec for it (`-m ipykernel install --user`).
 * - Inside a venv: pip into the venv (no `--user`, which pip refuses there), then register.
 * - Debian's own `python3` (externally managed, PEP 668): `apt-get install python3-ipykernel`, which
 *   also installs the kernelspec in /usr/share/jupyter; `sudo` unless already root.
 * - Another externally managed interpreter (a second Debian python3.X, Homebrew): pip would refuse,
 *   so a venv of its own, then pip and register from there.
 * - Otherwise: `pip install --user ipykernel`, then register.
 */

export interface PythonProbe {
  /** The interpreter as found on PATH (what the user types). */
  path: string;
  /** Its path with symlinks resolved. */
  realPath: string;
  hasIpykernel: boolean;
  /** sys.prefix != sys.base_prefix. */
  inVenv: boolean;
  /** The stdlib folder holds PEP 668's EXTERNALLY-MANAGED marker. */
  externallyManaged: boolean;
}

export interface InstallContext {
  /** The machine is Debian or a derivative (Ubuntu): /etc/debian_version exists. */
  debian: boolean;
  isRoot: boolean;
  /** The real path of /usr/bin/python3 (the interpreter Debian's python3-* packages are for). */
  systemPython3?: string;
}

/** Where the venv for an externally managed, non-Debian interpreter goes. */
export const JUPYTER_VENV = '~/.venvs/jupyter';

export function ipykernelInstallCommands(probe: PythonProbe, context: InstallContext): string[] {
  const python = shellQuote(probe.path);
  const register = (py: string) => `${py} -m ipykernel install --user`;
  if (probe.hasIpykernel) return [register(python)];
  if (probe.inVenv) return [`${python} -m pip install ipykernel`, register(python)];
  if (probe.externallyManaged) {
    const debianPython = context.debian && context.systemPython3 !== undefined && probe.realPath === context.systemPython3;
    if (debianPython) return [`${context.isRoot ? '' : 'sudo '}apt-get install python3-ipykernel`];
    const venvPython = `${JUPYTER_VENV}/bin/python`;
    return [`${python} -m venv ${JUPYTER_VENV}`, `${venvPython} -m pip install ipykernel`, register(venvPython)];
  }
  return [`${python} -m pip install --user ipykernel`, register(python)];
}

/** A POSIX shell word: as is when it is plain, else single-quoted. */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
