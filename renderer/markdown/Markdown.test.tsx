// @vitest-environment jsdom
import { cleanup, render, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Markdown } from './Markdown';
import { MarkdownImagesContext, type MarkdownImages } from './MarkdownImagesContext';

afterEach(cleanup);

describe('Markdown', () => {
  it('shows formulas as their source until KaTeX has loaded, then typeset', async () => {
    const { container } = render(<Markdown source={'Area: $\\pi r^2$'} />);
    expect(container.querySelector('.quire-math-pending')?.textContent).toBe('\\pi r^2');
    await waitFor(() => expect(container.querySelector('.katex')).not.toBeNull());
    expect(container.querySelector('.quire-math-pending')).toBeNull();
    expect(container.querySelector('.katex-mathml')?.textContent).toContain('\\pi r^2');
  });

  it('renders sanitized markdown with attachments', () => {
    const { container } = render(<Markdown source={['# Title\n', '![x](attachment:a.png)<script>bad()</script>']} attachments={{ 'a.png': { 'image/png': 'AAAA' } }} />);
    expect(container.querySelector('.quire-markdown h1')?.textContent).toBe('Title');
    expect(container.querySelector('img')?.getAttribute('src')).toBe('data:image/png;base64,AAAA');
    expect(container.querySelector('script')).toBeNull();
  });

  it('hands fenced code with a language to the highlighter and shows its result', async () => {
    const highlight = vi.fn(async (code: string, language: string) => `<span class="hl">${language}:${code.length}</span>`);
    const { container } = render(<Markdown source={'```python\nx = 1\n```\n\n```\nplain\n```\n'} highlightCode={highlight} />);
    await waitFor(() => expect(container.querySelector('code.language-python .hl')?.textContent).toBe('python:6'));
    expect(highlight).toHaveBeenCalledTimes(1);
    expect(container.querySelectorAll('pre code')[1].textContent).toBe('plain\n');
  });

  it('keeps code plain when the highlighter fails or is turned off', async () => {
    const failing = vi.fn(async () => {
      throw new Error('unknown language');
    });
    const { container } = render(<Markdown source={'```cobol\nDISPLAY 1\n```\n'} highlightCode={failing} />);
    await waitFor(() => expect(failing).toHaveBeenCalled());
    expect(container.querySelector('code')?.textContent).toBe('DISPLAY 1\n');
    cleanup();
    const plain = render(<Markdown source={'```python\nx\n```\n'} highlightCode={null} />);
    expect(plain.container.querySelector('code')?.textContent).toBe('x\n');
  });
});

describe('Markdown images by path', () => {
  function withImages(images: MarkdownImages, source: string) {
    return render(<MarkdownImagesContext.Provider value={images}><Markdown source={source} highlightCode={null} /></MarkdownImagesContext.Provider>);
  }

  it('draws the text first, then shows each image from the notebook folder when it has been read', async () => {
    let arrive!: (url: string) => void;
    const load = vi.fn((_path: string) => new Promise<string>((resolve) => { arrive = resolve; }));
    const { container } = withImages({ folder: '/w/reports', load }, '# Results\n\n![the plot](figures/my%20plot.png)');
    expect(container.querySelector('h1')?.textContent).toBe('Results');
    const img = container.querySelector('img')!;
    expect(img.hasAttribute('src')).toBe(false);
    expect(img.getAttribute('data-quire-image-state')).toBe('loading');
    expect(load).toHaveBeenCalledWith('/w/reports/figures/my plot.png');
    arrive('blob:quire/1');
    await waitFor(() => expect(img.getAttribute('src')).toBe('blob:quire/1'));
    expect(img.getAttribute('alt')).toBe('the plot');
  });

  it('shows the alt text with the reason when an image is missing, refused, or cannot be read here', async () => {
    const load = vi.fn(async (path: string) => {
      throw new Error(`${path} does not exist.`);
    });
    const { container } = withImages({ folder: '/w', load }, '![missing plot](gone.png) ![](http://example.org/x.png) ![ok](https://example.org/ok.png)');
    await waitFor(() => expect(container.querySelectorAll('[data-testid="markdown-image-missing"]')).toHaveLength(2));
    const [missing, http] = [...container.querySelectorAll<HTMLElement>('[data-testid="markdown-image-missing"]')];
    expect(missing.textContent).toBe('missing plot');
    expect(missing.title).toBe('gone.png: /w/gone.png does not exist.');
    expect(missing.getAttribute('role')).toBe('img');
    // No alt text: the file name stands in.
    expect(http.textContent).toBe('x.png');
    expect(http.title).toMatch(/^http:\/\/example\.org\/x\.png: Only https: images/);
    expect(container.querySelector('img')?.getAttribute('src')).toBe('https://example.org/ok.png');
    cleanup();
    // Without a host (no loader) a local image says so instead of breaking.
    const bare = withImages({ folder: '/w' }, '![fig](fig.png)');
    expect(bare.container.querySelector('[data-testid="markdown-image-missing"]')?.getAttribute('title')).toMatch(/cannot be shown here/);
  });

  it('stops updating an image whose markdown changed before it arrived', async () => {
    let arrive!: (url: string) => void;
    const load = vi.fn(() => new Promise<string>((resolve) => { arrive = resolve; }));
    const images = { folder: '/w', load };
    const { container, rerender } = withImages(images, '![a](a.png)');
    const first = container.querySelector('img')!;
    rerender(<MarkdownImagesContext.Provider value={images}><Markdown source="no image now" highlightCode={null} /></MarkdownImagesContext.Provider>);
    arrive('blob:late');
    await Promise.resolve();
    expect(first.isConnected).toBe(false);
    expect(first.hasAttribute('src')).toBe(false);
    expect(container.textContent?.trim()).toBe('no image now');
  });
});
