/**
 * The notebook editor against the browser host (`quire serve`) and Debian's ipykernel: editing,
 * running, saving, and the states a person sees all day. Screenshots of the main states go to
 * e2e-results/screenshots/.
 */
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures/quireServer';
import { appState, cell, cells, commandMode, notebook, openNotebook, readJson, setCellText, shot, sourceOf } from './editorHelpers';

const BROKEN = '{\n "cells": [\n  {"cell_type": "code", "source": "x = 1",}\n ],\n "nbformat": 4\n}\n';

test.describe('files', () => {
  test.use({
    workspaceFiles: {
      'demo.ipynb': notebook([
        { type: 'markdown', source: '# Title\n\nSome *emphasis*.' },
        { source: 'alpha = 1', tags: ['parameters'] },
        { source: 'print(alpha)' },
        { source: 'beta = alpha + 1' },
      ]),
      'broken.ipynb': BROKEN,
      'sub/other.ipynb': notebook([{ source: '1' }]),
    },
    openPath: 'demo.ipynb',
  });

  test('opens the workspace notebook: markdown renders, the parameters tag shows as a badge', async ({ page, url }) => {
    await openNotebook(page, url, { kernel: false });
    await expect(cells(page)).toHaveCount(4);
    await expect(page.getByTestId('markdown-rendered').locator('h1')).toHaveText('Title');
    await expect(cell(page, 1).getByTestId('parameters-badge')).toBeVisible();
    await expect(cell(page, 1).getByRole('button', { name: 'Toggle parameters tag' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('title')).toHaveText('demo.ipynb');
    await shot(page, 'editor-opened');
  });

  test('toggling parameters moves the unique tag, is undoable, and is in the saved file', async ({ page, url, root }) => {
    await openNotebook(page, url, { kernel: false });
    await cell(page, 3).hover();
    await cell(page, 3).getByRole('button', { name: 'Toggle parameters tag' }).click();
    await expect(page.getByTestId('parameters-badge')).toHaveCount(1);
    await expect(cell(page, 3).getByTestId('parameters-badge')).toBeVisible();
    await expect(page.getByTestId('dirty-marker')).toBeVisible();
    await page.keyboard.press('ControlOrMeta+S');
    await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
    let saved = readJson(root, 'demo.ipynb');
    expect(saved.cells.map((c) => c.metadata.tags ?? [])).toEqual([[], [], [], ['parameters']]);
    // Z in command mode undoes the cell operation.
    await commandMode(page);
    await page.keyboard.press('z');
    await expect(cell(page, 1).getByTestId('parameters-badge')).toBeVisible();
    await page.keyboard.press('ControlOrMeta+S');
    await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
    saved = readJson(root, 'demo.ipynb');
    expect(saved.cells.map((c) => c.metadata.tags ?? [])).toEqual([[], ['parameters'], [], []]);
  });

  test('drag a cell to reorder it, then undo', async ({ page, url }) => {
    await openNotebook(page, url, { kernel: false });
    const order = () => cells(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-cell-id')));
    expect(await order()).toEqual(['cell0', 'cell1', 'cell2', 'cell3']);
    await cell(page, 3).hover();
    const target = await cell(page, 1).boundingBox();
    await cell(page, 3).getByTestId('cell-drag').dragTo(cell(page, 1), { targetPosition: { x: 40, y: 4 } });
    expect(target).not.toBeNull();
    await expect.poll(order).toEqual(['cell0', 'cell3', 'cell1', 'cell2']);
    await commandMode(page);
    await page.keyboard.press('z');
    await expect.poll(order).toEqual(['cell0', 'cell1', 'cell2', 'cell3']);
  });

  test('command mode: B inserts, M makes markdown, D D deletes, C/V copy and paste', async ({ page, url }) => {
    await openNotebook(page, url, { kernel: false });
    await cell(page, 2).click({ position: { x: 30, y: 10 } });
    await commandMode(page);
    await page.keyboard.press('b');
    await expect(cells(page)).toHaveCount(5);
    await expect(cell(page, 3)).toHaveAttribute('data-cell-type', 'code');
    await page.keyboard.press('m');
    await expect(cell(page, 3)).toHaveAttribute('data-cell-type', 'markdown');
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect(cells(page)).toHaveCount(4);
    await page.keyboard.press('k');
    await page.keyboard.press('c');
    await page.keyboard.press('v');
    await expect(cells(page)).toHaveCount(5);
    const sources = await appState<Array<{ source: string[] | string }>>(page, 'notebook.cells');
    expect(sources.map(sourceOf)).toEqual(['# Title\n\nSome *emphasis*.', 'alpha = 1', 'print(alpha)', 'print(alpha)', 'beta = alpha + 1']);
    // The copy of a cell has no parameters tag, the original keeps it.
    await expect(page.getByTestId('parameters-badge')).toHaveCount(1);
  });

  test('find and replace across all cells', async ({ page, url, root }) => {
    await openNotebook(page, url, { kernel: false });
    await commandMode(page);
    await page.keyboard.press('ControlOrMeta+F');
    await page.getByTestId('find-input').fill('alpha');
    await expect(page.getByTestId('find-count')).toHaveText('3 in 3 cells');
    await page.getByTestId('replace-input').fill('gamma');
    await shot(page, 'editor-find-replace');
    await page.getByTestId('replace-all').click();
    await expect(page.getByTestId('find-count')).toHaveText('0 in 0 cells');
    await page.keyboard.press('ControlOrMeta+S');
    await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
    expect(readJson(root, 'demo.ipynb').cells.map(sourceOf).slice(1)).toEqual(['gamma = 1', 'print(gamma)', 'beta = gamma + 1']);
  });

  test('autosave writes the file after an edit, and a reload shows what was saved', async ({ page, url, root }) => {
    await openNotebook(page, url, { kernel: false });
    await setCellText(page, 2, 'print("autosaved")');
    await expect(page.getByTestId('dirty-marker')).toBeVisible();
    // Autosave: 2 s after the last edit.
    await expect.poll(() => sourceOf(readJson(root, 'demo.ipynb').cells[2]), { timeout: 15_000 }).toBe('print("autosaved")');
    await expect(page.getByTestId('dirty-marker')).toHaveCount(0);
    await page.reload();
    await expect(cells(page)).toHaveCount(4);
    await expect(cell(page, 2).locator('.view-lines')).toHaveText('print("autosaved")');
  });

  test('a file changed on disk is not overwritten: the editor asks', async ({ page, url, root }) => {
    await openNotebook(page, url, { kernel: false });
    const path = join(root, 'demo.ipynb');
    const outside = readFileSync(path, 'utf8').replace('beta = alpha + 1', 'beta = 99');
    // A later mtime than the one the editor read, set outright rather than waited for.
    const readMtime = statSync(path).mtime;
    writeFileSync(path, outside);
    utimesSync(path, readMtime, new Date(readMtime.getTime() + 5000));
    await setCellText(page, 2, 'print("mine")');
    await page.keyboard.press('ControlOrMeta+S');
    await expect(page.getByTestId('conflict-banner')).toBeVisible();
    expect(readFileSync(path, 'utf8')).toBe(outside);
    await shot(page, 'editor-conflict');
    await page.getByRole('button', { name: 'Overwrite with my version' }).click();
    await expect(page.getByTestId('conflict-banner')).toHaveCount(0);
    expect(sourceOf(readJson(root, 'demo.ipynb').cells[2])).toBe('print("mine")');
  });

  test('a broken notebook opens as an error page with the location, and the file stays byte-identical', async ({ page, url, root }) => {
    await openNotebook(page, url, { kernel: false });
    await page.getByRole('button', { name: 'Open…' }).click();
    await page.getByTestId('picker-entry').filter({ hasText: 'broken.ipynb' }).click();
    await expect(page.getByTestId('error-page')).toBeVisible();
    await expect(page.getByTestId('error-location')).toContainText('line 3');
    await shot(page, 'editor-broken-file');
    // No way to save it: Ctrl+S does nothing, no autosave.
    await page.keyboard.press('ControlOrMeta+S');
    await page.waitForTimeout(2500);
    expect(readFileSync(join(root, 'broken.ipynb'), 'utf8')).toBe(BROKEN);
  });

  test('save as writes a copy under a new name and continues there', async ({ page, url, root }) => {
    await openNotebook(page, url, { kernel: false });
    await setCellText(page, 2, 'print("copy")');
    await page.keyboard.press('ControlOrMeta+Shift+S');
    await page.getByTestId('save-as-name').fill('copy.ipynb');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('title')).toHaveText('copy.ipynb');
    expect(sourceOf(readJson(root, 'copy.ipynb').cells[2])).toBe('print("copy")');
    expect(sourceOf(readJson(root, 'demo.ipynb').cells[2])).toBe('print(alpha)');
  });

  test('split a cell at the cursor (Ctrl+Shift+-) and merge it back (Shift+M)', async ({ page, url }) => {
    await openNotebook(page, url, { kernel: false });
    await setCellText(page, 2, 'a = 1\nb = 2');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await page.keyboard.press('ControlOrMeta+Shift+Minus');
    await expect(cells(page)).toHaveCount(5);
    const texts = async () => (await appState<Array<{ source: string[] | string }>>(page, 'notebook.cells')).map(sourceOf);
    expect((await texts()).slice(2, 4)).toEqual(['a = 1', 'b = 2']);
    await commandMode(page);
    await page.keyboard.press('k');
    await page.keyboard.press('Shift+M');
    await expect(cells(page)).toHaveCount(4);
    expect((await texts())[2]).toBe('a = 1\nb = 2');
  });

  test('new notebook from the toolbar creates Untitled.ipynb in the folder and opens it in a new tab', async ({ page, url, root }) => {
    await openNotebook(page, url, { kernel: false });
    const active = page.locator('[data-testid="document"][data-active="true"]');
    // The toolbar's button (the file browser has one of the same name).
    await active.getByRole('button', { name: 'New notebook' }).click();
    await expect(active.getByTestId('title')).toHaveText('Untitled.ipynb');
    await expect(active.getByTestId('cell')).toHaveCount(1);
    await expect(page.getByTestId('tab')).toHaveCount(2);
    expect(readJson(root, 'Untitled.ipynb').cells).toHaveLength(1);
  });
});

test.describe('folder', () => {
  test.use({ workspaceFiles: { 'a.ipynb': notebook([{ source: '1' }]), 'notes.txt': 'x', 'sub/b.ipynb': notebook([{ source: '2' }]) }, openPath: undefined });

  test('a folder opens as a list of its notebooks', async ({ page, url }) => {
    await page.goto(url);
    await expect(page.getByTestId('folder-view')).toBeVisible();
    await expect(page.getByTestId('folder-entry')).toHaveText([/sub/, /a\.ipynb/]);
    await shot(page, 'editor-folder');
    await page.getByTestId('folder-entry').filter({ hasText: 'a.ipynb' }).click();
    await expect(cells(page)).toHaveCount(1);
  });
});
