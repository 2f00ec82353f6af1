// @vitest-environment jsdom
// jsdom: these outputs go through DOMPurify, which happy-dom 21 breaks (see docs/dependencies.md).
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Output } from '../../src/jupyter/nbformat';
import { currentSettings, resetSettingsBridge } from '../features/settings/settingsBridge';
import { Provider } from 'react-redux';
import { createStandaloneExplorerStore } from '../explorer/standaloneStore';
import { OutputArea } from './OutputArea';

afterEach(() => {
  cleanup();
  resetSettingsBridge();
});
// jsdom has no layout and no scrolling API; the explorer's grid calls scrollTo.
Element.prototype.scrollTo ??= function scrollTo(): void {};

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const display = (data: Record<string, unknown>, metadata: Record<string, unknown> = {}): Output => ({ output_type: 'display_data', data: data as never, metadata: metadata as never });
const result = (data: Record<string, unknown>, metadata: Record<string, unknown> = {}): Output => ({ output_type: 'execute_result', execution_count: 1, data: data as never, metadata: metadata as never });

function area(outputs: Output[], props: Partial<React.ComponentProps<typeof OutputArea>> = {}): HTMLElement {
  // The data explorer keeps its state in the store (without a kernel here).
  const { container } = render(<Provider store={createStandaloneExplorerStore()}><OutputArea outputs={outputs} cellId="c1" {...props} /></Provider>);
  return container;
}

describe('OutputArea: text', () => {
  it('shows streams in monospace with ANSI colours, stderr tinted', () => {
    const c = area([
      { output_type: 'stream', name: 'stdout', text: ['hello\n', '\x1b[32mgreen\x1b[0m\n'] },
      { output_type: 'stream', name: 'stderr', text: 'warning <b>\n' },
    ]);
    const [out, err] = [...c.querySelectorAll('pre.quire-output-stream')];
    expect(out.textContent).toBe('hello\ngreen\n');
    expect(out.querySelector('.ansi-green-fg')?.textContent).toBe('green');
    expect(out.classList.contains('is-stderr')).toBe(false);
    expect(err.classList.contains('is-stderr')).toBe(true);
    expect(err.textContent).toBe('warning <b>\n');
    expect(err.querySelector('b')).toBeNull();
  });

  it('uses the user line limit, changeable from the cut notice for every output, and remembered', () => {
    const text = (n: number) => Array.from({ length: n }, (_, i) => `r${i}\n`).join('');
    const c = area([{ output_type: 'stream', name: 'stdout', text: text(150) }, result({ 'text/plain': text(1500) })]);
    const shownLines = () => [...c.querySelectorAll('pre')].map((p) => p.textContent!.split('\n').length - 1);
    expect(shownLines()).toEqual([150, 1000]);
    const [select] = screen.getAllByRole('combobox') as HTMLSelectElement[];
    expect(screen.getAllByRole('combobox')).toHaveLength(1);
    fireEvent.change(select, { target: { value: '100' } });
    expect(shownLines()).toEqual([100, 100]);
    expect(currentSettings()['outputs.maxLines']).toBe(100);
    cleanup();
    const again = area([result({ 'text/plain': text(150) })]);
    expect(again.querySelector('pre')!.textContent!.split('\n')).toHaveLength(101);
    fireEvent.change(screen.getByRole('combobox'), { target: { value: '0' } });
    expect(again.querySelector('pre')!.textContent).toBe(text(150));
  });

  it('does not offer to change a limit the caller fixed', () => {
    area([result({ 'text/plain': 'a\nb\nc\n' })], { maxOutputLines: 1 });
    expect(screen.getByRole('status').textContent).toContain('2 more lines hidden');
    expect(screen.queryByRole('combobox')).toBeNull();
  });

  it('shows the first outputs of a flood and the rest on request', () => {
    const outputs = Array.from({ length: 250 }, (_, i) => display({ 'text/plain': `out ${i}` }));
    const c = area(outputs);
    expect(c.querySelectorAll('.quire-output-display_data')).toHaveLength(200);
    expect(screen.getByRole('status').textContent).toContain('50 more outputs hidden');
    fireEvent.click(screen.getByText('Show all'));
    expect(c.querySelectorAll('.quire-output-display_data')).toHaveLength(250);
    expect(c.querySelector('[data-output-index="249"]')?.textContent).toBe('out 249');
  });

  it('shows saved progress bars as their last state', () => {
    const c = area([{ output_type: 'stream', name: 'stderr', text: ' 10%|#   |\r 50%|#####|\r100%|##########|\ndone\n' }]);
    expect(c.querySelector('pre')?.textContent).toBe('100%|##########|\ndone\n');
  });

  it('shows errors with an ename: evalue header and the coloured traceback', () => {
    const c = area([
      { output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['\x1b[0;31m---------\x1b[0m', '\x1b[0;31mZeroDivisionError\x1b[0m: division by zero'] },
    ]);
    expect(c.querySelector('.quire-output-error-header')?.textContent).toBe('ZeroDivisionError: division by zero');
    const tb = c.querySelector('.quire-output-traceback')!;
    expect(tb.textContent).toBe('---------\nZeroDivisionError: division by zero');
    expect(tb.querySelectorAll('.ansi-red-fg')).toHaveLength(2);
    expect(screen.getByRole('alert')).toBeTruthy();
  });

  it('cuts long text at maxOutputLines and shows all on request', () => {
    const text = Array.from({ length: 50 }, (_, i) => `row ${i}\n`).join('');
    const c = area([result({ 'text/plain': text })], { maxOutputLines: 5 });
    expect(c.querySelector('pre')?.textContent).toBe(text.split('\n').slice(0, 5).join('\n') + '\n');
    expect(screen.getByRole('status').textContent).toContain('45 more lines hidden');
    fireEvent.click(screen.getByText('Show all'));
    expect(c.querySelector('pre')?.textContent).toBe(text);
    expect(screen.queryByText('Show all')).toBeNull();
  });
});

describe('OutputArea: rich outputs', () => {
  it('puts text/html in a sandboxed frame without allow-same-origin', () => {
    const c = area([result({ 'text/html': ['<table class="dataframe">', '<tr><td>1</td></tr></table>'], 'text/plain': 'df' })]);
    const frame = c.querySelector('iframe')!;
    expect(frame.getAttribute('sandbox')).toBe('allow-scripts');
    expect(frame.getAttribute('sandbox')).not.toContain('allow-same-origin');
    expect(frame.hasAttribute('srcdoc')).toBe(false);
    expect(frame.getAttribute('src')).toMatch(/outputFrame.*\.html/);
    expect(c.querySelector('[data-mime-type]')?.getAttribute('data-mime-type')).toBe('text/html');
    // No HTML reaches the app document itself.
    expect(c.querySelector('table')).toBeNull();
  });

  it('sends the document when its own frame is ready and sizes to the reported height, ignoring other windows', () => {
    const c = area([display({ 'text/html': '<p id="x">hi</p>' })]);
    const frame = c.querySelector('iframe')!;
    const child = frame.contentWindow!;
    const post = vi.spyOn(child, 'postMessage').mockImplementation(() => undefined);
    const message = (data: unknown, source: MessageEventSource | null) => act(() => {
      window.dispatchEvent(new MessageEvent('message', { data, source }));
    });
    message({ type: 'quire-frame:height', height: 321 }, window);
    expect(frame.style.height).toBe('24px');
    message({ type: 'quire-frame:ready' }, child);
    expect(post).toHaveBeenCalledTimes(1);
    const [sent, origin] = post.mock.calls[0] as unknown as [{ type: string; html: string }, string];
    expect(origin).toBe('*');
    expect(sent.type).toBe('quire-frame:render');
    expect(sent.html).toContain('<p id="x">hi</p>');
    expect(sent.html).toContain('quire-frame:height');
    message({ type: 'quire-frame:height', height: 321 }, child);
    expect(frame.style.height).toBe('321px');
    message({ type: 'quire-frame:height', height: 'tall' }, child);
    expect(frame.style.height).toBe('321px');
  });

  it('opens only http(s)/mailto links a frame forwards, without opener, and only during a user gesture', () => {
    const open = vi.spyOn(window, 'open').mockImplementation(() => null);
    // jsdom has no user activation; Chromium's is checked by e2e/contentLinks.spec.ts.
    const activation = { isActive: false };
    Object.defineProperty(navigator, 'userActivation', { value: activation, configurable: true });
    const frame = area([display({ 'text/html': '<a href="https://example.org/a">a</a>' })]).querySelector('iframe')!;
    const link = (href: string, source: MessageEventSource | null, activated = true) => act(() => {
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'quire-frame:link', href, activated }, source }));
    });
    link('https://example.org/a', frame.contentWindow); // no gesture: a script posted it
    activation.isActive = true;
    link('https://example.org/a', frame.contentWindow); // a gesture, but elsewhere in the app (the frame has no focus)
    let focused: Element | null = frame;
    Object.defineProperty(document, 'activeElement', { get: () => focused, configurable: true });
    link('https://example.org/a', frame.contentWindow, false); // the frame saw no click
    link('javascript:alert(1)', frame.contentWindow);
    link('file:///etc/passwd', frame.contentWindow);
    link('https://example.org/elsewhere', window);
    act(() => {
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'quire-frame:link', href: 'https://example.org/a' }, source: frame.contentWindow }));
    });
    expect(open).not.toHaveBeenCalled();
    link('https://example.org/a', frame.contentWindow);
    expect(open).toHaveBeenCalledWith('https://example.org/a', '_blank', 'noopener,noreferrer');
    focused = document.body;
    link('https://example.org/b', frame.contentWindow);
    expect(open).toHaveBeenCalledTimes(1);
    open.mockRestore();
    Reflect.deleteProperty(navigator, 'userActivation');
    Reflect.deleteProperty(document, 'activeElement');
  });

  it('starts a remounted frame at the height its document reported before', () => {
    const outputs = [display({ 'text/html': '<p>remembered</p>' })];
    const first = area(outputs).querySelector('iframe')!;
    act(() => {
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'quire-frame:height', height: 88 }, source: first.contentWindow }));
    });
    expect(first.style.height).toBe('88px');
    cleanup();
    expect(area(outputs).querySelector('iframe')!.style.height).toBe('88px');
    cleanup();
    expect(area([display({ 'text/html': '<p>other</p>' })]).querySelector('iframe')!.style.height).toBe('24px');
  });

  it('runs application/javascript only in the sandboxed frame', () => {
    const c = area([display({ 'application/javascript': 'element.textContent = "from js"; </script><script>alert(1)' })]);
    expect(c.querySelector('iframe')?.getAttribute('sandbox')).toBe('allow-scripts');
    expect(c.querySelector('script')).toBeNull();
  });

  it('shows PNG/JPEG as data URLs honouring width and height metadata', () => {
    const c = area([display({ 'image/png': `${PNG_1PX.slice(0, 20)}\n${PNG_1PX.slice(20)}`, 'text/plain': '<Figure>' }, { 'image/png': { width: 200, height: 100 } })]);
    const img = c.querySelector('img')!;
    expect(img.getAttribute('src')).toBe(`data:image/png;base64,${PNG_1PX}`);
    expect(img.getAttribute('width')).toBe('200');
    expect(img.getAttribute('height')).toBe('100');
  });

  it('inlines SVG with scripts and handlers removed', () => {
    const c = area([display({ 'image/svg+xml': '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="5" height="5" onclick="alert(3)"/></svg>' })]);
    const svg = c.querySelector('.quire-output-svg')!;
    expect(svg.querySelector('rect')).not.toBeNull();
    expect(svg.innerHTML).not.toMatch(/script|onload|onclick/i);
  });

  it('renders text/markdown with math and text/latex with KaTeX (loaded by the first formula)', async () => {
    const c = area([display({ 'text/markdown': '**bold** and $x^2$' }), display({ 'text/latex': '$$\\frac{a}{b}$$', 'text/plain': 'a/b' })]);
    expect(c.querySelector('.quire-output-markdown strong')?.textContent).toBe('bold');
    await waitFor(() => expect(c.querySelector('.quire-output-markdown .katex')).not.toBeNull());
    await waitFor(() => expect(c.querySelector('.quire-output-latex .katex')).not.toBeNull());
    expect(c.querySelector('.quire-output-latex .katex-display')).not.toBeNull();
    expect(c.querySelector('.quire-output-latex .mfrac')).not.toBeNull();
  });

  it('shows application/json as a collapsible tree', () => {
    area([display({ 'application/json': { name: 'quire', tags: ['a', 'b'], nested: { deep: true } } })]);
    const tree = screen.getByRole('tree');
    expect(tree.textContent).toContain('"quire"');
    // Depth 1 is open; nested containers start closed.
    expect(tree.querySelector('.json-boolean')).toBeNull();
    const nested = [...tree.querySelectorAll('button.json-toggle')].find((b) => b.querySelector('.json-key')?.textContent === 'nested')!;
    fireEvent.click(nested);
    expect(tree.querySelector('.json-boolean')?.textContent).toBe('true');
    expect(nested.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(tree.querySelector('button.json-toggle')!);
    expect(tree.textContent).not.toContain('"quire"');
  });

  it('shows a table-schema output as a table with a toggle into the data explorer', async () => {
    const resource = { schema: { fields: [{ name: 'index', type: 'integer' }, { name: 'city', type: 'string' }], primaryKey: ['index'] }, data: [{ index: 0, city: 'Oslo' }, { index: 1, city: 'Lima' }] };
    const onOutputMetadataChange = vi.fn();
    const c = area([{ output_type: 'stream', name: 'stdout', text: 'x' }, result({ 'application/vnd.dataresource+json': resource, 'text/plain': 'df' })], { onOutputMetadataChange });
    expect([...c.querySelectorAll('tbody td')].map((td) => td.textContent)).toEqual(['0', 'Oslo', '1', 'Lima']);
    fireEvent.click(screen.getByText('Explore data'));
    // The choice is saved in the output's metadata, so the notebook reopens it in the explorer.
    expect(onOutputMetadataChange).toHaveBeenCalledWith(1, { quire: { explorer: expect.objectContaining({ tab: 'grid' }) } });
    const explorer = await screen.findByTestId('data-explorer', {}, { timeout: 10_000 });
    expect(explorer.textContent).not.toContain('Data explorer failed');
    expect(c.querySelector('.quire-output-table')).toBeNull();
    fireEvent.click(screen.getByText('Show table'));
    expect(c.querySelectorAll('.quire-output-table tbody tr')).toHaveLength(2);
    expect(onOutputMetadataChange).toHaveBeenLastCalledWith(1, { quire: { explorer: expect.objectContaining({ tab: 'table' }) } });
  });

  it('reopens the explorer for outputs the user explored before', async () => {
    const resource = { schema: { fields: [{ name: 'v', type: 'integer' }] }, data: [{ v: 1 }] };
    area([result({ 'application/vnd.dataresource+json': resource }, { quire: { explorer: { tab: 'summary' } } })]);
    expect(await screen.findByTestId('data-explorer', {}, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Show table' })).toBeTruthy();
    cleanup();
    area([result({ 'application/vnd.dataresource+json': resource }, { quire: { explorer: { tab: 'table' } } })]);
    expect(screen.getByRole('button', { name: 'Explore data' })).toBeTruthy();
    expect(screen.queryByTestId('data-explorer')).toBeNull();
  });

  it('draws Vega-Lite charts (loaded lazily, interpreted expressions)', async () => {
    const spec = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', data: { values: [{ a: 'x', b: 3 }, { a: 'y', b: 5 }] }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } };
    // Outputs come from a frozen store (immer); vega must not try to tag those objects.
    const deepFreeze = (o: object): object => Object.freeze(Object.assign(o, Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v && typeof v === 'object' ? deepFreeze(v) : v]))));
    const c = area([deepFreeze(display({ 'application/vnd.vegalite.v5+json': spec, 'text/plain': '<VegaLite 5 object>' })) as Output]);
    await waitFor(() => expect(c.querySelector('.quire-output-vega[data-ready="true"] svg')).not.toBeNull(), { timeout: 10_000 });
    expect(c.querySelectorAll('.quire-output-vega svg path.background, .quire-output-vega svg .mark-rect path').length).toBeGreaterThan(0);
  });
});

describe('OutputArea: Vega', () => {
  it('draws plain Vega specs too', async () => {
    const spec = {
      $schema: 'https://vega.github.io/schema/vega/v5.json', width: 100, height: 50,
      data: [{ name: 't', values: [{ x: 1, y: 2 }, { x: 2, y: 4 }] }],
      scales: [{ name: 'x', domain: { data: 't', field: 'x' }, range: 'width' }, { name: 'y', domain: { data: 't', field: 'y' }, range: 'height' }],
      marks: [{ type: 'symbol', from: { data: 't' }, encode: { enter: { x: { scale: 'x', field: 'x' }, y: { scale: 'y', field: 'y' } } } }],
    };
    const c = area([display({ 'application/vnd.vega.v5+json': spec })]);
    await waitFor(() => expect(c.querySelectorAll('.quire-output-vega[data-ready="true"] svg .mark-symbol path')).toHaveLength(2), { timeout: 10_000 });
  });

  it('says why a chart cannot be drawn', async () => {
    const c = area([display({ 'application/vnd.vegalite.v5+json': { mark: 'no-such-mark', data: { values: [] } } })]);
    await waitFor(() => expect(c.querySelector('.quire-output-vega')?.textContent).toMatch(/Could not render chart/), { timeout: 10_000 });
  });
});

describe('OutputArea: recordings and input', () => {
  it('hides scrapbook scraps and renders nothing when only scraps remain', () => {
    const scrap = display({ 'application/scrapbook.scrap.json+json': { name: 'a', data: 1, encoder: 'json', version: 1 } }, { scrapbook: { name: 'a', data: true, display: false } });
    expect(area([scrap]).innerHTML).toBe('');
    cleanup();
    const c = area([scrap, { output_type: 'stream', name: 'stdout', text: 'shown' }]);
    expect(c.querySelectorAll('.quire-output')).toHaveLength(1);
    expect(c.querySelector('.quire-output')?.getAttribute('data-output-index')).toBe('1');
  });

  it('asks for input, masks passwords, and replies on Enter', () => {
    const onInputReply = vi.fn();
    const c = area([{ output_type: 'stream', name: 'stdout', text: 'before\n' }], { pendingInput: { prompt: 'Password:', password: true }, onInputReply });
    const input = screen.getByLabelText('Password:') as HTMLInputElement;
    expect(input.type).toBe('password');
    fireEvent.change(input, { target: { value: 's3cret' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onInputReply).toHaveBeenCalledWith('s3cret');
    expect(c.textContent).not.toContain('s3cret');
  });

  it('disables the input box without a kernel', () => {
    area([], { pendingInput: { prompt: 'Name?', password: false }, kernelAvailable: false });
    const input = screen.getByLabelText('Name?') as HTMLInputElement;
    expect(input.type).toBe('text');
    expect(input.disabled).toBe(true);
  });
});
