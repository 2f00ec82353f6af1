import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/jupyter/nbformat';
import { isHiddenOutput, isVegaMime, mimeJson, mimeMetadata, mimeText, selectMimeType } from './mimeBundle';

describe('selectMimeType', () => {
  it('prefers the richest type in JupyterLab order', () => {
    expect(selectMimeType({ 'text/plain': 'x', 'text/html': '<b>x</b>' })).toBe('text/html');
    expect(selectMimeType({ 'text/plain': 'x', 'image/png': 'AAA' })).toBe('image/png');
    expect(selectMimeType({ 'text/plain': 'x', 'image/png': 'AAA', 'image/svg+xml': '<svg/>' })).toBe('image/svg+xml');
    expect(selectMimeType({ 'text/plain': 'x', 'text/latex': '$x$' })).toBe('text/latex');
    expect(selectMimeType({ 'text/plain': 'x', 'text/markdown': '# x', 'text/latex': '$x$' })).toBe('text/markdown');
    expect(selectMimeType({ 'text/plain': 'x', 'application/json': {} })).toBe('application/json');
    expect(selectMimeType({ 'text/plain': 'x' })).toBe('text/plain');
  });

  it('puts table schema before its HTML table, and Vega before everything, newest version first', () => {
    expect(selectMimeType({ 'text/html': '<table/>', 'application/vnd.dataresource+json': {}, 'text/plain': '' })).toBe('application/vnd.dataresource+json');
    expect(
      selectMimeType({ 'text/plain': '<VegaLite 4 object>', 'application/vnd.vegalite.v4+json': {}, 'application/vnd.vegalite.v5+json': {}, 'text/html': '' }),
    ).toBe('application/vnd.vegalite.v5+json');
    expect(selectMimeType({ 'application/vnd.vega.v5+json': {}, 'image/png': '' })).toBe('application/vnd.vega.v5+json');
  });

  it('never picks record mime types; falls back to an unknown type otherwise', () => {
    expect(selectMimeType({ 'application/scrapbook.scrap.json+json': {} })).toBeUndefined();
    expect(selectMimeType({ 'application/papermill.record+json': {}, 'text/plain': 'a' })).toBe('text/plain');
    expect(selectMimeType({ 'application/x-custom': 'a' })).toBe('application/x-custom');
  });

  it('tells Vega from Vega-Lite', () => {
    expect(isVegaMime('application/vnd.vega.v5+json')).toBe(true);
    expect(isVegaMime('application/vnd.vegalite.v5+json')).toBe(false);
    expect(isVegaMime('application/vnd.vega.v5.2+json')).toBe(true);
  });
});

describe('mime values', () => {
  it('joins nbformat multi-line strings and parses JSON stored as text', () => {
    expect(mimeText(['a\n', 'b'])).toBe('a\nb');
    expect(mimeText({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(mimeJson('{"a": [1, 2]}')).toEqual({ a: [1, 2] });
    expect(mimeJson({ a: 1 })).toEqual({ a: 1 });
    expect(mimeJson(['{"a"', ': 1}'])).toEqual({ a: 1 });
  });

  it('reads per-mime metadata with top-level fallback', () => {
    expect(mimeMetadata({ 'image/png': { width: 10 }, height: 4 }, 'image/png')).toMatchObject({ width: 10, height: 4 });
    expect(mimeMetadata({ width: 3 }, 'image/png')).toEqual({ width: 3 });
  });
});

describe('isHiddenOutput', () => {
  const display = (data: Record<string, unknown>, metadata = {}): Output => ({ output_type: 'display_data', data: data as never, metadata });
  it('hides scrapbook scraps and papermill records, but not their display companions', () => {
    expect(isHiddenOutput(display({ 'application/scrapbook.scrap.json+json': { name: 'a', data: 1, encoder: 'json', version: 1 } }))).toBe(true);
    expect(isHiddenOutput(display({ 'application/papermill.record+json': { a: 1 } }))).toBe(true);
    expect(isHiddenOutput(display({ 'text/plain': '1' }, { scrapbook: { name: 'a', data: false, display: true } }))).toBe(false);
    expect(isHiddenOutput(display({ 'text/plain': 'x' }))).toBe(false);
    expect(isHiddenOutput({ output_type: 'stream', name: 'stdout', text: 'x' })).toBe(false);
  });
});
