/**
 * Parameterized runs in the app, against the browser host (`quire serve`) and Debian's ipykernel:
 * tag a parameters cell, fill the generated form (a wrong value is refused), run, watch progress
 * and live output, open the output notebook read-only (injected values, per-cell status), a
 * failing run shows where it failed, cancel, the runs table with recorded values, an editable copy.
 * Screenshots: e2e-results/screenshots/runs-*.png.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/quireServer';
import { cell, notebook, openNotebook, shot } from './editorHelpers';

const RUN_GATE = 'release-run';
const releaseRun = (root: string) => writeFileSync(join(root, RUN_GATE), '');

// scrapbook is not installed with Debian's Python: the glue cell emits exactly what sb.glue emits.
const GLUE = [
  'from IPython.display import display',
  'def glue(name, data):',
  "    display({'application/scrapbook.scrap.json+json': {'name': name, 'data': data, 'encoder': 'json', 'version': 1}},",
  "            raw=True, metadata={'scrapbook': {'name': name, 'data': True, 'display': False}})",
  "glue('total', epochs * rate)",
].join('\n');

test.use({
  workspaceFiles: {
    'analysis.ipynb': notebook([
      { type: 'markdown', source: '# Analysis' },
      { source: 'epochs = 2  # passes over the data\nrate = 0.5\nlabel = "base"\nsizes = [1, 2]' },
      // The run holds here until the test creates the gate file, so the test sees this cell running
      // however loaded the machine is (a sleep here was raced and lost).
      { source: 'import time, os\nfor i in range(epochs):\n    print(f"epoch {i} of {epochs}, rate {rate}", flush=True)\ngate = os.environ.get("QUIRE_TEST_RUN_GATE", "")\nwhile gate and not os.path.exists(gate):\n    time.sleep(0.05)\nif label == "slow":\n    time.sleep(120)' },
      { source: GLUE },
      { source: 'assert label != "fail", f"label was {label}"' },
      { source: 'print("done", label, sizes)' },
    ]),
  },
  openPath: 'analysis.ipynb',
  // Kernels inherit the server's environment: the loop cell waits for this file.
  serverEnv: { QUIRE_TEST_RUN_GATE: `{root}/${RUN_GATE}` },
});

type SavedNotebook = { cells: Array<{ cell_type: string; source: string | string[]; metadata: { tags?: string[]; papermill?: { status?: string } } }>; metadata: { papermill?: { parameters?: Record<string, unknown> } } };
const readNb = (path: string): SavedNotebook => JSON.parse(readFileSync(path, 'utf8'));
const outputs = (root: string) => (existsSync(join(root, 'runs')) ? readdirSync(join(root, 'runs')).filter((n) => n.endsWith('.ipynb')) : []);

async function tagParameters(page: Page): Promise<void> {
  await cell(page, 1).hover();
  await cell(page, 1).getByRole('button', { name: 'Toggle parameters tag' }).click();
  await expect(cell(page, 1).getByTestId('parameters-badge')).toBeVisible();
}

async function openForm(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Run with parameters/ }).first().click();
  await expect(page.getByTestId('run-dialog')).toBeVisible();
}

async function fill(page: Page, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) await page.getByTestId(`param-input-${name}`).fill(value);
}

test('form from the parameters cell refuses a wrong value, then runs with live progress; the output notebook shows the injected values', async ({ page, url, root }) => {
  await openNotebook(page, url, { kernel: false });
  await tagParameters(page);
  await openForm(page);
  const dialog = page.getByTestId('run-dialog');
  // Generated from the in-memory notebook (the tag is not saved yet): one widget per parameter, defaults filled.
  await expect(page.getByTestId('param-input-epochs')).toHaveValue('2');
  await expect(page.getByTestId('param-input-label')).toHaveValue('base');
  await expect(page.getByTestId('param-input-sizes')).toHaveValue('[1,2]');
  await expect(page.getByTestId('param-epochs')).toContainText('passes over the data');
  await expect(page.getByTestId('run-output-preview')).toContainText(`${root}/runs/analysis_`);

  // A wrong value is refused before anything starts.
  await fill(page, { epochs: '2.5', sizes: '[1, 2' });
  await expect(page.getByTestId('param-error-epochs')).toContainText('whole number');
  await expect(page.getByTestId('param-error-sizes')).toContainText('Not valid JSON');
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-refused')).toBeVisible();
  await shot(page, 'runs-form-refused');
  expect(outputs(root)).toEqual([]);

  await fill(page, { epochs: '4', label: 'e2e', sizes: '[3, 4, 5]' });
  // The output path is a template; the preview follows the values.
  await page.getByTestId('run-output-template').fill('runs/{notebook}-{label}-{run_id}.ipynb');
  await expect(page.getByTestId('run-output-preview')).toHaveText(`${root}/runs/analysis-e2e-<run id>.ipynb`);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await shot(page, 'runs-form');
  await page.getByTestId('run-start').click();
  await expect(dialog).toHaveCount(0);

  // Live progress: the loop cell is running, its output streams in, time ticks.
  const progress = page.getByTestId('run-progress');
  await expect(progress).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await expect(page.getByTestId('run-current-cell')).toContainText('import time', { timeout: 30_000 });
  await expect(page.getByTestId('run-progress-count')).toContainText('of 7');
  await expect(page.getByTestId('run-live-output')).toContainText('epoch 1 of 4, rate 0.5');
  await expect(page.getByTestId('run-elapsed')).toHaveText(/\d/);
  await shot(page, 'runs-progress');
  releaseRun(root);
  await expect(progress).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });

  // The run read the saved file: the parameters tag was saved first (by the dialog's save-first,
  // or by autosave if it came earlier; the unsaved-changes notice is covered by the component test).
  expect(readNb(join(root, 'analysis.ipynb')).cells[1].metadata.tags).toEqual(['parameters']);
  const [outName] = outputs(root);
  expect(outName).toMatch(/^analysis-e2e-[0-9a-f]{8}\.ipynb$/);
  const saved = readNb(join(root, 'runs', outName));
  expect(saved.metadata.papermill?.parameters).toEqual({ epochs: 4, label: 'e2e', sizes: [3, 4, 5] });

  // Read-only view: the injected cell right after the parameters cell, every cell's status.
  await page.getByTestId('run-progress-open').click();
  const view = page.getByTestId('run-output-view');
  await expect(view.getByTestId('ro-banner')).toHaveText('Read-only');
  const roCells = view.getByTestId('ro-cell');
  await expect(roCells).toHaveCount(7);
  await expect(roCells.nth(2)).toHaveAttribute('data-tags', 'injected-parameters');
  await expect(roCells.nth(2).getByTestId('ro-cell-source')).toContainText('epochs = 4');
  await expect(roCells.nth(2).getByTestId('ro-cell-source')).toContainText('label = "e2e"');
  await expect(roCells.nth(3)).toContainText('epoch 3 of 4, rate 0.5');
  for (let i = 0; i < 7; i++) await expect(roCells.nth(i)).toHaveAttribute('data-status', 'completed');
  await expect(view.locator('textarea, [contenteditable="true"], .monaco-editor')).toHaveCount(0);
  // The glued value is listed as a recorded value (scrapbook outputs are hidden in the cells).
  await expect(view.getByRole('region', { name: 'Recorded values' })).toContainText('total');
  await shot(page, 'runs-output-readonly');
  await view.getByTestId('ro-close').click();

  // The runs panel: parameters and the glued value as columns.
  await page.getByRole('button', { name: /Runs panel/ }).click();
  const row = page.getByTestId('run-row').first();
  await expect(row).toHaveAttribute('data-status', 'completed');
  await expect(row.getByTestId('run-param-epochs')).toHaveText('4');
  await expect(row.getByTestId('run-param-label')).toHaveText('e2e');
  await expect(row.getByTestId('run-scrap-total')).toHaveText('2');
  await shot(page, 'runs-panel');
});

test('a failing run shows where it failed; run again; an editable copy opens in a tab of its own', async ({ page, url, root }) => {
  releaseRun(root);
  await openNotebook(page, url, { kernel: false });
  await tagParameters(page);
  await openForm(page);
  await fill(page, { epochs: '1', label: 'fail' });
  await page.getByTestId('run-start').click();
  const progress = page.getByTestId('run-progress');
  await expect(progress).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  await expect(page.getByTestId('run-progress-error')).toContainText('AssertionError: label was fail');
  await expect(page.getByTestId('run-live-output')).toContainText('AssertionError');
  await shot(page, 'runs-failed-progress');

  await page.getByTestId('run-progress-open-failed').click();
  const view = page.getByTestId('run-output-view');
  const failed = view.locator('.quire-ro-cell.is-failed');
  await expect(failed).toHaveCount(1);
  await expect(failed).toHaveAttribute('data-status', 'failed');
  await expect(failed).toContainText('assert label != "fail"');
  await expect(failed).toBeInViewport();
  // papermill's banners: one at the top, one right before the failing cell; later cells never ran.
  await expect(view.getByTestId('ro-cell').first()).toContainText('An Exception was encountered');
  await expect(view.locator('[data-tags="papermill-error-cell-tag"]')).toHaveCount(2);
  await expect(view.getByTestId('ro-cell').last()).toHaveAttribute('data-status', 'pending');
  await shot(page, 'runs-failed-readonly');
  await view.getByTestId('ro-close').click();

  // Run again with the same parameters from the runs panel: a second failed run.
  await page.getByRole('button', { name: /Runs panel/ }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await page.getByTestId('run-again').click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(page.locator('[data-testid="run-row"][data-status="failed"]')).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByTestId('run-row').first().getByTestId('run-param-label')).toHaveText('fail');
  await page.getByTestId('run-open-failed').first().click();
  await expect(page.locator('.quire-ro-cell.is-failed')).toBeInViewport();

  // An editable copy for debugging: written next to the output and opened in a tab of its own.
  await page.getByTestId('ro-copy').click();
  await expect(page.getByTestId('run-output-view')).toHaveCount(0);
  const copy = page.locator('[data-testid="document"][data-active="true"]');
  await expect(copy.getByTestId('title')).toHaveText(/-copy\.ipynb$/);
  await expect(page.getByTestId('tab')).toHaveCount(2);
  // The copy is the output notebook as it is: banner first, then the cells with the injected one.
  await expect(copy.getByTestId('cell').first()).toContainText('An Exception was encountered');
  await expect(copy.getByTestId('cell').filter({ hasText: '# Parameters' })).toContainText('label = "fail"');
  expect(outputs(root).filter((n) => n.endsWith('-copy.ipynb'))).toHaveLength(1);
  await shot(page, 'runs-editable-copy');
});

// The gate stays closed: the run is certainly still in the loop cell when it is cancelled.
test('cancel stops a running run', async ({ page, url }) => {
  await openNotebook(page, url, { kernel: false });
  await tagParameters(page);
  // The keyboard shortcut opens the form too.
  await page.keyboard.press('Control+Alt+P');
  await expect(page.getByTestId('run-dialog')).toBeVisible();
  await fill(page, { epochs: '1', label: 'slow' });
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-live-output')).toContainText('epoch 0 of 1', { timeout: 60_000 });
  await page.getByTestId('run-cancel').click();
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
  await shot(page, 'runs-cancelled');
});
