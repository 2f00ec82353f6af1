import { describe, expect, it } from 'vitest';
import { parameterizePath } from './parameterizePath';
import { anchorOutputTemplate, DEFAULT_RUN_OUTPUT_TEMPLATE, notebookFolder } from './runOutputLocation';

describe('anchorOutputTemplate', () => {
  it('puts relative templates (and the default) in the notebook\'s folder, absolute ones where they say', () => {
    expect(anchorOutputTemplate(undefined, '/w/sub/nb.ipynb')).toBe(`/w/sub/${DEFAULT_RUN_OUTPUT_TEMPLATE}`);
    expect(anchorOutputTemplate('out/{n}.ipynb', '/w/sub/nb.ipynb')).toBe('/w/sub/out/{n}.ipynb');
    expect(anchorOutputTemplate('/tmp/{n}.ipynb', '/w/sub/nb.ipynb')).toBe('/tmp/{n}.ipynb');
    expect(anchorOutputTemplate('out.ipynb', 'nb.ipynb')).toBe('out.ipynb');
    expect(anchorOutputTemplate('out.ipynb', '/nb.ipynb')).toBe('/out.ipynb');
    expect(anchorOutputTemplate('out.ipynb', 'C:\\w\\nb.ipynb')).toBe('C:\\w/out.ipynb');
    expect(notebookFolder('C:\\w\\nb.ipynb')).toBe('C:\\w');
  });
  it('keeps braces of the folder literal when the template is filled', () => {
    expect(parameterizePath(anchorOutputTemplate('runs/{n}.ipynb', '/w/{x}/nb.ipynb'), { n: 1 })).toBe('/w/{x}/runs/1.ipynb');
  });
});
