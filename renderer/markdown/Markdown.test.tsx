// @vitest-environment jsdom
import { cleanup, render, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Markdown } from './Markdown';

afterEach(cleanup);

describe('Markdown', () => {
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
