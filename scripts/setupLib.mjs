// What a fresh machine needs for `npm test` and `npm start`, and how to get it: pure functions (the
// effects are in setup.mjs and start.mjs), so the decisions are unit-tested without uninstalling
// anything. The one list of Debian packages lives here; `.ci/run` uses it through setup.mjs.

/** Debian packages the test suites use: real Chromium, real ipykernel, nbformat/nbclient to compare with, Xvfb. */
export const TEST_PACKAGES = [
  'chromium',
  'python3-ipykernel',
  'python3-pandas',
  'python3-matplotlib',
  'jupyter-client',
  'python3-nbclient',
  'python3-nbformat',
  'python3-yaml',
  'xvfb',
  'xauth',
];

/** The packages of `wanted` that `dpkg-query -W -f '${Package} ${Status}\n'` output does not list as installed. */
export function missingPackages(dpkgOutput, wanted = TEST_PACKAGES) {
  const installed = new Set();
  for (const line of dpkgOutput.split('\n')) {
    const [name, ...status] = line.trim().split(/\s+/);
    // "install ok installed"; an architecture suffix (python3-yaml:amd64) names the same package.
    if (name && status.join(' ') === 'install ok installed') installed.add(name.split(':')[0]);
  }
  return wanted.filter((pkg) => !installed.has(pkg));
}

/** The exact shell line that installs `packages` (what a person types; `sudo` unless root). */
export function aptCommandLine(packages, { isRoot }) {
  const sudo = isRoot ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages.join(' ')}`;
}

/**
 * How to install missing Debian packages: `run` is a list of argv to execute in order, or `run` is
 * empty and `manual` says what the person must run (no root and no password-less sudo).
 */
export function aptPlan(packages, { isRoot, sudoWorks }) {
  if (packages.length === 0) return { run: [], manual: undefined };
  if (!isRoot && !sudoWorks) return { run: [], manual: aptCommandLine(packages, { isRoot }) };
  const prefix = isRoot ? [] : ['sudo', '-n'];
  return {
    run: [
      [...prefix, 'apt-get', 'update', '-qq'],
      [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', ...packages],
    ],
    manual: undefined,
  };
}

/**
 * What to say when no usable kernel was found (`specs`: `quire kernels --json`), or undefined when
 * one can start. `python` is the python3 on PATH (if any); `debian` whether apt-get is there.
 */
export function kernelAdvice(specs, { python, debian, isRoot }) {
  if (specs.some((s) => s.status === 'ok')) return undefined;
  const lines = ['no Jupyter kernel that can start was found, so notebooks cannot run yet.'];
  for (const s of specs) lines.push(`  kernel "${s.name}" is broken${s.problem ? `: ${s.problem}` : ''}`);
  if (debian) lines.push(`  Install Debian's:  ${aptCommandLine(['python3-ipykernel'], { isRoot })}`);
  if (python) lines.push(`  or, for ${python}:  ${python} -m pip install ipykernel && ${python} -m ipykernel install --user`);
  if (!debian && !python) lines.push('  Install Python 3, then: python3 -m pip install ipykernel && python3 -m ipykernel install --user');
  return lines.join('\n');
}

/** What to say when neither Electron nor a Chromium-family browser is installed. */
export function browserAdvice({ debian, isRoot }) {
  const install = debian ? `install Chromium: ${aptCommandLine(['chromium'], { isRoot })}` : 'install Chromium or Google Chrome';
  return `no Chromium or Chrome found (set QUIRE_BROWSER to one, or ${install}; or get Electron: node node_modules/electron/install.js).`;
}

/** Whether `npm ci` must run: node_modules missing, or missing a package the lock file names at top level. */
export function npmInstallReason({ nodeModulesExists, lockPackages, installed }) {
  if (!nodeModulesExists) return 'node_modules is missing';
  const absent = lockPackages.filter((name) => !installed(name));
  return absent.length > 0 ? `node_modules lacks ${absent.slice(0, 3).join(', ')}${absent.length > 3 ? ` and ${absent.length - 3} more` : ''}` : undefined;
}

/** True when npm's output shows that only Electron's binary download failed (no network to GitHub). */
export function isElectronDownloadFailure(output) {
  return /electron/i.test(output) && /(ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ECONNRESET|getaddrinfo|socket hang up|HTTPError|RequestError|403|404)/.test(output);
}
