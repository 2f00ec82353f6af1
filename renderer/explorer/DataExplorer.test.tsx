import { findNonSerializableValue } from '@reduxjs/toolkit';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Provider } from 'react-redux';
import { of } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXPLORER_REPLY_MIME, type ExplorerRequest } from '../../src/explorer/protocol';
import type { BaseMessage, JsonObject, JsonValue } from '../../src/jupyter/messages';
import type { KernelClient } from '../../src/jupyter/kernelClient';
import { KernelRegistry } from '../features/kernels/kernelRegistry';
import { kernelsActions } from '../features/kernels/kernelsSlice';
import DataExplorer from './DataExplorer';
import { createStandaloneExplorerStore } from './standaloneStore';

afterEach(cleanup);

// happy-dom has no layout: give the grid's scroller a size so the virtualizer renders rows.
for (const [prop, size] of [['offsetHeight', 420], ['offsetWidth', 1000], ['clientHeight', 420], ['clientWidth', 1000]] as const) {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop);
  Object.defineProperty(HTMLElement.prototype, prop, {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList?.contains('qx-grid') ? size : (original?.get?.call(this) as number);
    },
  });
}

const resource: JsonValue = {
  schema: { fields: [{ name: 'index', type: 'integer' }, { name: 'fruit', type: 'string' }, { name: 'qty', type: 'number' }], primaryKey: ['index'] },
  data: [
    { index: 0, fruit: 'pear', qty: 3 }, { index: 1, fruit: 'apple', qty: null }, { index: 2, fruit: 'fig', qty: 10 }, { index: 3, fruit: 'Apple pie', qty: 1 },
  ],
};

/** A kernel that answers explorer queries with `answer(request)` as the Python helper would. */
function fakeKernel(answer: (req: ExplorerRequest) => unknown): KernelClient & { requests: ExplorerRequest[] } {
  const requests: ExplorerRequest[] = [];
  const execute = (_code: string, options: { user_expressions?: Record<string, string> } = {}) => {
    const expr = options.user_expressions?.quire_explorer ?? '';
    const literal = expr.slice(expr.indexOf('.query(') + 7, -1);
    const req = JSON.parse(JSON.parse(literal) as string) as ExplorerRequest;
    requests.push(req);
    const reply = { status: 'ok', user_expressions: { quire_explorer: { status: 'ok', data: { [EXPLORER_REPLY_MIME]: JSON.stringify(answer(req)) } } } };
    return of({ channel: 'shell', header: { msg_type: 'execute_reply' }, parent_header: {}, metadata: {}, content: reply } as unknown as BaseMessage);
  };
  return { execute, requests } as unknown as KernelClient & { requests: ExplorerRequest[] };
}

/** The explorer in a store whose current kernel (if any) is `kernel`, as in the app. */
function mount(metadata: JsonObject, kernel: KernelClient | null = null, data: JsonValue = resource) {
  const onChange = vi.fn();
  const store = createStandaloneExplorerStore({ kernels: new KernelRegistry(() => kernel!) });
  if (kernel) store.dispatch(kernelsActions.launchSucceeded({ id: 'k-1', specName: 'python3', displayName: 'Python 3', language: 'python', cwd: '/', status: 'idle', startedAt: '' }));
  const utils = render(
    <Provider store={store}>
      <DataExplorer resource={data} metadata={metadata} onChangeMetadata={onChange} explorerId="cell-a/0" />
    </Provider>,
  );
  return { ...utils, onChange, store };
}

const cellTexts = (container: HTMLElement) => [...container.querySelectorAll('.qx-row')].map((r) => [...r.querySelectorAll('.qx-td')].map((c) => c.textContent));

describe('DataExplorer over the output rows', () => {
  it('shows the grid, sorts on header click, and saves only user changes in metadata', async () => {
    const { container, onChange } = mount({ isolated: true });
    await waitFor(() => expect(cellTexts(container)).toHaveLength(4));
    expect(screen.getByTestId('explorer-count').textContent).toMatch(/4 rows · 3 columns/);
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: /qty/ }));
    await waitFor(() => expect(cellTexts(container).map((r) => r[2])).toEqual(['1', '3', '10', 'null']));
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange.mock.calls[0][0]).toEqual({ isolated: true, quire: { explorer: { tab: 'grid', view: { filters: [], sort: [{ column: 2, descending: false }] } } } });
  });

  it('filters with a debounced text box and counts the matches', async () => {
    const { container, onChange } = mount({});
    fireEvent.change(await screen.findByLabelText('Filter fruit'), { target: { value: 'APPLE' } });
    await waitFor(() => expect(screen.getByTestId('explorer-count').textContent).toMatch(/2 of 4 rows/));
    expect(cellTexts(container).map((r) => r[1])).toEqual(['apple', 'Apple pie']);
    expect(onChange.mock.lastCall![0].quire.explorer.view.filters).toEqual([{ column: 1, op: 'contains', value: 'APPLE' }]);
  });

  it('restores the saved tab and view', async () => {
    mount({ quire: { explorer: { tab: 'summary', view: { filters: [{ column: 2, op: 'range', min: 2 }], sort: [] } } } });
    await waitFor(() => expect(screen.getByTestId('explorer-summary')).toBeTruthy());
    expect(screen.getByTestId('explorer-count').textContent).toMatch(/2 of 4 rows/);
    expect(screen.getByRole('region', { name: 'Summary of qty' }).textContent).toMatch(/count2missing0/);
  });

  it('hands vega copies of the chart data (the store\'s are frozen; vega tags each datum)', async () => {
    mount({ quire: { explorer: { tab: 'chart', view: { filters: [], sort: [] }, chart: { mark: 'bar', x: 1, y: 2, aggregate: 'sum' } } } });
    // happy-dom has no canvas, so vega stops once it reaches drawing: after it has tagged the data.
    const alert = await screen.findByText(/Could not draw the chart/, {}, { timeout: 10_000 });
    expect(alert.textContent).not.toMatch(/not extensible/);
  });

  it('says what is wrong with input that is not a table', async () => {
    mount({}, null, 'nope');
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot be explored: The data resource is text that is not JSON/);
  });
});

describe('DataExplorer over a live kernel frame', () => {
  const md: JsonObject = { 'application/vnd.dataresource+json': { quire: { frame_id: 'k-1', rows: 1_000_000 } } };

  it('pages from the kernel and reports the whole frame', async () => {
    const kernel = fakeKernel((req) => req.op === 'info'
      ? { ok: true, result: { rowCount: 1_000_000, fields: [{ name: 'index', type: 'integer' }, { name: 'fruit', type: 'string' }, { name: 'qty', type: 'number' }], primaryKey: ['index'], sample: [[0], ['x'], [1.5]] } }
      : req.op === 'rows'
        ? { ok: true, result: { rowCount: 1_000_000, offset: req.offset, rows: Array.from({ length: Math.min(req.limit, 100) }, (_, i) => [req.offset + i, `row ${req.offset + i}`, 'NaN']) } }
        : { ok: false, code: 'BAD_REQUEST', message: 'unexpected' });
    const { container } = mount(md, kernel);
    await waitFor(() => expect(screen.getByTestId('explorer-status').textContent).toMatch(/Live/));
    await waitFor(() => expect(screen.getByTestId('explorer-count').textContent).toMatch(/1,000,000 rows/));
    await waitFor(() => expect(cellTexts(container)[0]).toEqual(['0', 'row 0', 'null']));
    expect(kernel.requests.every((r) => r.frame === 'k-1')).toBe(true);
    expect(kernel.requests.find((r) => r.op === 'rows')).toMatchObject({ types: ['quantitative', 'nominal', 'quantitative'], offset: 0, limit: 100 });
  });

  it('a new sort costs one kernel query: the count comes with the first rows', async () => {
    const kernel = fakeKernel((req) => req.op === 'info'
      ? { ok: true, result: { rowCount: 1_000_000, fields: [{ name: 'index', type: 'integer' }, { name: 'fruit', type: 'string' }, { name: 'qty', type: 'number' }], primaryKey: ['index'], sample: [[0], ['x'], [1.5]] } }
      : req.op === 'rows'
        ? { ok: true, result: { rowCount: 1_000_000, offset: req.offset, rows: Array.from({ length: Math.min(req.limit, 100) }, (_, i) => [req.offset + i, `${req.view.sort.length ? 'sorted' : 'row'} ${req.offset + i}`, i]) } }
        : { ok: false, code: 'BAD_REQUEST', message: 'unexpected' });
    const { container } = mount(md, kernel);
    await waitFor(() => expect(cellTexts(container)[0]).toEqual(['0', 'row 0', '0']));
    const before = kernel.requests.length;
    fireEvent.click(screen.getByRole('button', { name: /fruit/ }));
    await waitFor(() => expect(cellTexts(container)[0]).toEqual(['0', 'sorted 0', '0']));
    expect(screen.getByTestId('explorer-count').textContent).toMatch(/1,000,000 rows/);
    expect(kernel.requests.slice(before)).toEqual([expect.objectContaining({ op: 'rows', offset: 0, limit: 100, view: { filters: [], sort: [{ column: 1, descending: false }] } })]);
  });

  it('keeps its state in the store under its id, as plain data, until it unmounts', async () => {
    const kernel = fakeKernel((req) => req.op === 'info'
      ? { ok: true, result: { rowCount: 1_000_000, fields: [{ name: 'index', type: 'integer' }, { name: 'fruit', type: 'string' }, { name: 'qty', type: 'number' }], primaryKey: ['index'], sample: [[0], ['x'], [1.5]] } }
      : { ok: true, result: { rowCount: 1_000_000, offset: 0, rows: [[0, 'a', 1]] } });
    const { store, unmount } = mount(md, kernel);
    await waitFor(() => expect(store.getState().explorer.byId['cell-a/0']?.rows.blocks[0]).toEqual([[0, 'a', 1]]));
    expect(store.getState().explorer.byId['cell-a/0']).toMatchObject({ status: { kind: 'live' }, live: { kind: 'kernel', totalRows: 1_000_000 }, count: { rows: 1_000_000 } });
    expect(findNonSerializableValue(store.getState())).toBe(false);
    unmount();
    expect(store.getState().explorer.byId).toEqual({});
  });

  it('falls back to the output rows and says so when the frame is gone', async () => {
    const kernel = fakeKernel(() => ({ ok: false, code: 'FRAME_GONE', message: 'The dataframe is no longer in the kernel.' }));
    const { container } = mount(md, kernel);
    await waitFor(() => expect(screen.getByTestId('explorer-status').textContent).toBe(
      "Exploring only the 4 rows in the output of the dataframe's 1,000,000: The dataframe is no longer in the kernel."));
    await act(async () => undefined);
    expect(cellTexts(container)).toHaveLength(4);
    expect(screen.getByTestId('data-explorer').dataset.source).toBe('local');
  });
});
