import { describe, expect, it } from 'vitest';
import type { Cell, Notebook } from '../../src/jupyter/nbformat';
import { collectScraps, scrapPreview } from './scraps';

const glue = (name: string, data: unknown, encoder = 'json') => ({
  output_type: 'display_data' as const,
  data: { [`application/scrapbook.scrap.${encoder}+json`]: { name, data, encoder, version: 1 } } as never,
  metadata: { scrapbook: { name, data: true, display: false } },
});
const code = (id: string, outputs: unknown[]): Cell => ({ cell_type: 'code', id, source: '', metadata: {}, execution_count: 1, outputs: outputs as never });

describe('collectScraps', () => {
  it('reads scrapbook scraps and legacy papermill records in order, later values winning', () => {
    const nb: Pick<Notebook, 'cells'> = {
      cells: [
        { cell_type: 'markdown', source: '# x', metadata: {} },
        code('c1', [glue('answer', 41), { output_type: 'stream', name: 'stdout', text: 'hi' }]),
        code('c2', [
          { output_type: 'display_data', data: { 'application/papermill.record+json': { legacy: [1, 2] } }, metadata: {} },
          glue('title', 'Report', 'text'),
        ]),
        code('c3', [glue('answer', 42)]),
      ],
    };
    const scraps = collectScraps(nb);
    expect(scraps.map((s) => s.name)).toEqual(['answer', 'legacy', 'title']);
    expect(scraps[0]).toMatchObject({ data: 42, encoder: 'json', source: 'scrapbook', cellIndex: 3, cellId: 'c3', outputIndex: 0 });
    expect(scraps[1]).toMatchObject({ data: [1, 2], encoder: 'json', source: 'papermill', cellIndex: 2 });
    expect(scraps[2]).toMatchObject({ data: 'Report', encoder: 'text', outputIndex: 1 });
  });

  it('accepts payloads saved as JSON text and skips nameless ones', () => {
    const nb = {
      cells: [
        code('a', [
          { output_type: 'display_data', data: { 'application/scrapbook.scrap.json+json': '{"name": "n", "data": {"k": 1}, "encoder": "json", "version": 1}' }, metadata: {} },
          { output_type: 'display_data', data: { 'application/scrapbook.scrap.json+json': { data: 1 } }, metadata: {} },
        ]),
      ],
    };
    expect(collectScraps(nb)).toEqual([{ name: 'n', data: { k: 1 }, encoder: 'json', source: 'scrapbook', cellIndex: 0, cellId: 'a', outputIndex: 0 }]);
  });

  it('previews values briefly', () => {
    const base = { source: 'scrapbook' as const, cellIndex: 0, outputIndex: 0 };
    expect(scrapPreview({ ...base, name: 'a', encoder: 'json', data: { x: [1, 2, 3] } })).toBe('{"x":[1,2,3]}');
    expect(scrapPreview({ ...base, name: 'a', encoder: 'text', data: 'a\n  b' })).toBe('a b');
    expect(scrapPreview({ ...base, name: 'a', encoder: 'pandas', data: 'QUJD' })).toBe('DataFrame (parquet, 3 bytes)');
    expect(scrapPreview({ ...base, name: 'a', encoder: 'text', data: 'x'.repeat(500) }, 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
