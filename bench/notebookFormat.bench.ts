// Notebook read/write speed on a large notebook (many cells, base64 images, long outputs), against
// the built-in JSON functions as a yardstick. Writes bench-results/notebookFormat.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNotebookFile, writeNotebookFile } from '../kernels/files/notebookFiles';
import type { Cell, Notebook } from '../src/jupyter/nbformat';
import { parseNotebook, serializeNotebook } from '../src/jupyter/notebookFormat';
import { readNotebookText } from '../src/jupyter/validateNotebook';

function bigNotebook(cells: number): Notebook {
  const png = Buffer.alloc(60_000, 7).toString('base64');
  const list: Cell[] = [];
  for (let i = 0; i < cells; i++) {
    list.push({
      cell_type: 'code', id: `cell-${i}`, execution_count: i, metadata: { tags: ['x'], scrolled: false, ratio: 0.5 + i },
      source: Array.from({ length: 20 }, (_, l) => `value_${l} = compute(${l}, "é🎉")  # line ${l}\n`),
      outputs: [
        { output_type: 'stream', name: 'stdout', text: Array.from({ length: 50 }, (_, l) => `row ${l}\t${Math.PI * l}\n`) },
        { output_type: 'display_data', data: { 'image/png': png, 'text/plain': ['<Figure>'] }, metadata: { 'image/png': { width: 640, height: 480 } } },
      ],
    });
  }
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } }, cells: list };
}

function time(fn: () => unknown, runs = 5): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

async function timeAsync(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

const nb = bigNotebook(400);
const text = serializeNotebook(nb);
const mb = Buffer.byteLength(text) / 1e6;
const dir = mkdtempSync(join(tmpdir(), 'quire-bench-'));
const path = join(dir, 'big.ipynb');
writeFileSync(path, text);

const rows = {
  'JSON.parse (yardstick)': time(() => JSON.parse(text)),
  parseNotebook: time(() => parseNotebook(text)),
  'readNotebookText (parse + schema)': time(() => readNotebookText(text)),
  'JSON.stringify indent 1 (yardstick)': time(() => JSON.stringify(nb, null, 1)),
  serializeNotebook: time(() => serializeNotebook(nb)),
  'serializeNotebook with reference': time(() => serializeNotebook(nb, { reference: nb })),
  'readNotebookFile (disk)': await timeAsync(() => readNotebookFile(path)),
  'writeNotebookFile (atomic, disk)': await timeAsync(() => writeNotebookFile(path, nb)),
};
rmSync(dir, { recursive: true, force: true });

const yard = { parse: rows['JSON.parse (yardstick)'], write: rows['JSON.stringify indent 1 (yardstick)'] };
console.log(`notebook: ${nb.cells.length} cells, ${mb.toFixed(1)} MB`);
console.log('| operation | median ms | MB/s | × JSON built-in |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, ms] of Object.entries(rows)) {
  const ratio = /parse|read/i.test(name) ? ms / yard.parse : ms / yard.write;
  console.log(`| ${name} | ${ms.toFixed(1)} | ${(mb / (ms / 1000)).toFixed(0)} | ${ratio.toFixed(2)} |`);
}
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/notebookFormat.json', JSON.stringify({ sizeMB: mb, cells: nb.cells.length, medianMs: rows }, null, 2) + '\n');
