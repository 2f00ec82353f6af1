import { describe, expect, it } from 'vitest';
import { type InstallContext, ipykernelInstallCommands, type PythonProbe, shellQuote } from './ipykernelInstallCommands';

const debianUser: InstallContext = { debian: true, isRoot: false, systemPython3: '/usr/bin/python3.11' };
const probe = (p: Partial<PythonProbe>): PythonProbe => ({
  path: '/usr/bin/python3', realPath: '/usr/bin/python3.11', hasIpykernel: false, inVenv: false, externallyManaged: true, ...p,
});

describe('ipykernelInstallCommands', () => {
  const cases: Array<[string, PythonProbe, InstallContext, string[]]> = [
    ["Debian's python3, as a user", probe({}), debianUser, ['sudo apt-get install python3-ipykernel']],
    ["Debian's python3, as root", probe({}), { ...debianUser, isRoot: true }, ['apt-get install python3-ipykernel']],
    ["Debian's python3 by another name (python3.11, /bin)", probe({ path: '/bin/python3.11' }), debianUser, ['sudo apt-get install python3-ipykernel']],
    ['a second Debian python3.X (not the one python3-* packages are for)', probe({ path: '/usr/bin/python3.12', realPath: '/usr/bin/python3.12' }), debianUser, [
      '/usr/bin/python3.12 -m venv ~/.venvs/jupyter', '~/.venvs/jupyter/bin/python -m pip install ipykernel', '~/.venvs/jupyter/bin/python -m ipykernel install --user',
    ]],
    ['an externally managed interpreter off Debian (Homebrew)', probe({ path: '/opt/homebrew/bin/python3', realPath: '/opt/homebrew/Cellar/python/bin/python3.12' }), { debian: false, isRoot: false }, [
      '/opt/homebrew/bin/python3 -m venv ~/.venvs/jupyter', '~/.venvs/jupyter/bin/python -m pip install ipykernel', '~/.venvs/jupyter/bin/python -m ipykernel install --user',
    ]],
    ['a venv (its python links to the system one): pip without --user', probe({ path: '/home/a/env/bin/python3', inVenv: true }), debianUser, [
      '/home/a/env/bin/python3 -m pip install ipykernel', '/home/a/env/bin/python3 -m ipykernel install --user',
    ]],
    ['a pyenv interpreter', probe({ path: '/home/a/.pyenv/shims/python3', realPath: '/home/a/.pyenv/shims/python3', externallyManaged: false }), debianUser, [
      '/home/a/.pyenv/shims/python3 -m pip install --user ipykernel', '/home/a/.pyenv/shims/python3 -m ipykernel install --user',
    ]],
    ['one that has ipykernel: only the kernelspec', probe({ hasIpykernel: true }), debianUser, ['/usr/bin/python3 -m ipykernel install --user']],
    ['a path with a space is quoted', probe({ path: '/opt/my py/python3', realPath: '/opt/my py/python3', externallyManaged: false }), debianUser, [
      "'/opt/my py/python3' -m pip install --user ipykernel", "'/opt/my py/python3' -m ipykernel install --user",
    ]],
  ];
  it.each(cases)('%s', (_name, p, context, expected) => {
    expect(ipykernelInstallCommands(p, context)).toEqual(expected);
  });
});

describe('shellQuote', () => {
  it.each([
    ['/usr/bin/python3', '/usr/bin/python3'],
    ['/a b/python', "'/a b/python'"],
    ["/it's/python", "'/it'\\''s/python'"],
    ['/x/$(rm -rf ~)/python', "'/x/$(rm -rf ~)/python'"],
  ])('%s', (word, quoted) => expect(shellQuote(word)).toBe(quoted));
});
