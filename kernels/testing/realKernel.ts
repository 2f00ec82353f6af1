/**
 * Helpers for integration tests against Debian's real ipykernel. A missing kernel FAILS loudly
 * (it is never a skip): the message says what to install.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { firstValueFrom, toArray } from 'rxjs';
import type { KernelClient } from '../../src/jupyter/kernelClient';
import type { BaseMessage } from '../../src/jupyter/messages';
import { findKernelSpecs, type KernelSpec } from '../kernelspecs';

export const SYSTEM_PYTHON3_SPEC_DIR = '/usr/share/jupyter/kernels/python3';
const INSTALL_HINT = 'install python3-ipykernel (apt-get install python3-ipykernel) so /usr/share/jupyter/kernels/python3 exists';

let cached: Promise<KernelSpec> | undefined;

/** The system python3 kernelspec, found the way the app finds it (only system dirs searched). */
export function requirePython3Spec(): Promise<KernelSpec> {
  cached ??= probePython3Spec();
  return cached;
}

async function probePython3Spec(): Promise<KernelSpec> {
  if (!existsSync(`${SYSTEM_PYTHON3_SPEC_DIR}/kernel.json`)) throw new Error(`No python3 kernelspec: ${INSTALL_HINT}`);
  const specs = await findKernelSpecs({ env: { PATH: process.env.PATH, JUPYTER_PATH: '', JUPYTER_DATA_DIR: '/nonexistent-quire-test' } });
  const spec = specs.find((s) => s.resourceDir === SYSTEM_PYTHON3_SPEC_DIR);
  if (!spec || spec.status !== 'ok') throw new Error(`The python3 kernelspec is unusable (${spec?.problem ?? 'not found'}): ${INSTALL_HINT}`);
  const probe = spawnSync(spec.executable ?? spec.argv[0], ['-c', 'import ipykernel'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`${spec.argv[0]} cannot import ipykernel: ${INSTALL_HINT}\n${probe.stderr}`);
  return spec;
}

/** Runs code and collects every child message until reply + idle. */
export function run(client: KernelClient, code: string): Promise<BaseMessage[]> {
  return firstValueFrom(client.execute(code).pipe(toArray()));
}

/** True while a process with this pid exists. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Resolves when `predicate` holds, checking every 20 ms; rejects after `ms`. */
export async function waitUntil(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
