/** Helpers for the notebook editor e2e tests (browser host + real ipykernel). */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { REPO_ROOT } from './fixtures/environment';

export const SCREENSHOTS = join(REPO_ROOT, 'e2e-results', 'screenshots');

export function notebook(cells: Array<{ type?: 'code' | 'markdown' | 'raw'; source: string; tags?: string[]; id?: string }>, minor = 5): object {
  return {
    cells: cells.map((c, i) => ({
      cell_type: c.type ?? 'code',
      ...(minor >= 5 ? { id: c.id ?? `cell${i}` } : {}),
      metadata: c.tags ? { tags: c.tags } : {},
      source: c.source,
      ...((c.type ?? 'code') === 'code' ? { execution_count: null, outputs: [] } : {}),
    })),
    metadata: { kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: minor,
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export function cells(page: Page): Locator {
  return page.getByTestId('cell');
}

export function cell(page: Page, index: number): Locator {
  return cells(page).nth(index);
}

/** Waits for the notebook and (unless told otherwise) an idle kernel. */
export async function openNotebook(page: Page, url: string, options: { kernel?: boolean } = {}): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('notebook')).toBeVisible();
  if (options.kernel !== false) await expect(page.getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 60_000 });
}

/** Puts `text` into a cell's editor (replacing it) the way a paste would: no auto-closing brackets. */
export async function setCellText(page: Page, index: number, text: string): Promise<void> {
  const editor = cell(page, index).locator('.monaco-editor');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

export async function commandMode(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('mode')).toHaveText('Command');
}

export function readJson(root: string, name: string): { cells: Array<{ cell_type: string; source: string | string[]; metadata: { tags?: string[] }; outputs?: unknown[]; execution_count?: number | null; id?: string }> } {
  return JSON.parse(readFileSync(join(root, name), 'utf8'));
}

export function sourceOf(c: { source: string | string[] }): string {
  return Array.isArray(c.source) ? c.source.join('') : c.source;
}

/** The active document's state, read-only (`window.__quire`: only the test build has it, renderer/testHooks.ts). */
export async function appState<T>(page: Page, pick: string): Promise<T> {
  return page.evaluate((path) => {
    const state = (window as unknown as { __quire: { store: { getState(): unknown } } }).__quire.store.getState();
    return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], state);
  }, pick) as Promise<T>;
}
