// Output and markdown rendering costs: cutting a runaway stream, ANSI to HTML, markdown (GFM + KaTeX +
// DOMPurify) against bare markdown-it as a yardstick. DOMPurify runs on a jsdom window here; in the
// app it runs on the page's own DOM. Writes bench-results/outputs.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import markdownit from 'markdown-it';

// DOMPurify needs a window before the sanitizer module first runs.
const { window } = new JSDOM('<!doctype html><html><body></body></html>');
Object.assign(globalThis, { window, document: window.document });

const { truncateText } = await import('../renderer/outputs/truncate');
const { ansiToHtml } = await import('../renderer/outputs/ansi');
const { renderMarkdown } = await import('../renderer/markdown/renderMarkdown');
const { collectScraps } = await import('../renderer/outputs/scraps');

function time(fn: () => unknown, runs = 7): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

const stream = Array.from({ length: 100_000 }, (_, i) => `step ${i}: loss=${(1 / (i + 1)).toFixed(6)}\n`).join('');
const colored = Array.from({ length: 1000 }, (_, i) => `\x1b[3${i % 8}mline ${i}\x1b[0m plain text after the colour ${'x'.repeat(40)}\n`).join('');
const section = (i: number): string =>
  `## Section ${i}\n\nSome *text* with **bold**, \`code\`, a [link](https://example.org/${i}) and math $a_${i} = \\sqrt{b^2 + c^2}$.\n\n` +
  `$$\\sum_{k=0}^{${i}} \\frac{x^k}{k!}$$\n\n| col a | col b |\n|---|---:|\n| ${i} | ${i * 2} |\n\n- [x] done ${i}\n- [ ] todo\n\n\`\`\`python\nprint(${i})\n\`\`\`\n\n`;
const markdown = Array.from({ length: 100 }, (_, i) => section(i)).join('');
const plainMd = markdownit({ html: true, linkify: true });
const scrapNotebook = {
  cells: Array.from({ length: 500 }, (_, i) => ({
    cell_type: 'code' as const, id: `c${i}`, source: '', metadata: {}, execution_count: i,
    outputs: [{ output_type: 'display_data' as const, data: { 'application/scrapbook.scrap.json+json': { name: `v${i % 50}`, data: { i }, encoder: 'json', version: 1 } }, metadata: {} }],
  })),
};

const rows: Record<string, { ms: number; note: string }> = {
  'truncateText 100k lines to 1000': { ms: time(() => truncateText(stream)), note: `${(stream.length / 1e6).toFixed(1)} MB in` },
  'ansiToHtml 1000 coloured lines': { ms: time(() => ansiToHtml(colored)), note: `${(colored.length / 1e3).toFixed(0)} kB` },
  'markdown-it only (yardstick), 100 sections': { ms: time(() => plainMd.render(markdown)), note: `${(markdown.length / 1e3).toFixed(0)} kB` },
  'renderMarkdown (GFM + KaTeX + DOMPurify), 100 sections': { ms: time(() => renderMarkdown(markdown)), note: '200 formulas' },
  'renderMarkdown one typical cell': { ms: time(() => renderMarkdown(section(1)), 21), note: '' },
  'collectScraps 500 cells': { ms: time(() => collectScraps(scrapNotebook)), note: '50 names' },
};

console.log('| operation | median ms | note |');
console.log('| --- | ---: | --- |');
for (const [name, { ms, note }] of Object.entries(rows)) console.log(`| ${name} | ${ms.toFixed(2)} | ${note} |`);
const yard = rows['markdown-it only (yardstick), 100 sections'].ms;
console.log(`renderMarkdown / markdown-it: ${(rows['renderMarkdown (GFM + KaTeX + DOMPurify), 100 sections'].ms / yard).toFixed(1)}×`);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/outputs.json', JSON.stringify({ medianMs: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.ms])) }, null, 2) + '\n');
