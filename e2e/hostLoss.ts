/** Helpers for e2e tests that stop, kill and restart hosts themselves (noDataLoss, hostRecovery). */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { descendantPids, waitForExit } from './fixtures/processes';
import { appState, cell, notebook, sourceOf } from './editorHelpers';

/** Types at the end of cell `index`'s editor (keystrokes, as a person would). */
export async function typeInCell(page: Page, index: number, text: string): Promise<void> {
  await cell(page, index).locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(text);
}

/** Cell `index`'s text in the page's store. */
export const cellText = (page: Page, index: number) => appState<Array<{ source: string | string[] }>>(page, 'notebook.cells').then((c) => sourceOf(c[index]));

/** A workspace of our own with `a.ipynb` (`a = 1`), for tests that stop and start hosts themselves. */
export function workspace(): { root: string; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), 'quire-e2e-loss-'));
  const root = join(base, 'workspace');
  mkdirSync(root);
  writeFileSync(join(root, 'a.ipynb'), `${JSON.stringify(notebook([{ source: 'a = 1' }]), null, 1)}\n`);
  return { root, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** SIGKILL: the host gets no chance to clean up; its kernels are killed by us afterwards. */
export async function killHard(child: ChildProcess): Promise<void> {
  const orphans = descendantPids(child.pid!);
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
  for (const pid of orphans) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
  await waitForExit(orphans, 10_000);
}
