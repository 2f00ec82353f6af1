import { findNonSerializableValue, type UnknownAction } from '@reduxjs/toolkit';
import { describe, expect, it } from 'vitest';
import type { ExplorerColumn } from '../../src/explorer/types';
import { chartQueryOf, explorerActions as x, explorerReducer, MAX_ROW_BLOCKS, type ExplorerState, type SourceInfo } from './explorerSlice';

const col = (index: number, type: ExplorerColumn['type'] = 'quantitative'): ExplorerColumn => ({ index, name: `c${index}`, label: `c${index}`, type });
const local: SourceInfo = { kind: 'local', columns: [col(0), col(1, 'nominal')], totalRows: 60 };
const live: SourceInfo = { kind: 'kernel', columns: [col(0), col(1, 'nominal'), col(2)], totalRows: 1_000_000 };
const id = 'cell/0';

const run = (actions: UnknownAction[], state: ExplorerState = explorerReducer(undefined, { type: 'init' })): ExplorerState => actions.reduce(explorerReducer, state);
const opened = (saved?: Parameters<typeof x.opened>[0]['saved']) => x.opened({ id, resource: { data: [] }, frameId: 'f-1', saved });

describe('explorerSlice', () => {
  it('opens with the saved view (the table tab shows the grid) and keeps the user view when reopened', () => {
    let s = run([opened({ tab: 'table', view: { filters: [], sort: [{ column: 1, descending: true }] } })]);
    expect(s.byId[id]).toMatchObject({ tab: 'grid', view: { sort: [{ column: 1, descending: true }] }, chart: null, local: { status: 'loading' }, query: null });
    s = run([x.viewChanged({ id, tab: 'summary' }), opened({ tab: 'chart', view: { filters: [], sort: [] } })], s);
    expect(s.byId[id].tab).toBe('summary');
    expect(run([x.closed({ id })], s).byId).toEqual({});
  });

  it('answers the query of the active source; a late answer for an old view is dropped', () => {
    let s = run([opened(), x.localReady({ id, source: local, warnings: [] })]);
    const first = s.byId[id].query!;
    expect(first).toMatchObject({ kind: 'local', view: { filters: [], sort: [] } });
    s = run([x.viewChanged({ id, view: { filters: [], sort: [{ column: 0, descending: false }] } })], s);
    const second = s.byId[id].query!;
    expect(second.key).not.toBe(first.key);
    s = run([x.countLoaded({ id, key: first.key, rows: 1 }), x.rowBlockLoaded({ id, key: first.key, block: 0, rows: [[1, 'a']] })], s);
    expect(s.byId[id].count).toEqual({ key: second.key });
    expect(s.byId[id].rows.blocks).toEqual({});
    s = run([x.countLoaded({ id, key: second.key, rows: 60 })], s);
    expect(s.byId[id].count).toEqual({ key: second.key, rows: 60 });
  });

  it('switches to the live frame and back: each switch is a new query, and the status says why', () => {
    let s = run([opened(), x.localReady({ id, source: local, warnings: ['w'] }), x.connecting({ id })]);
    expect(s.byId[id].status).toEqual({ kind: 'connecting' });
    const localKey = s.byId[id].query!.key;
    s = run([x.liveReady({ id, source: live })], s);
    expect(s.byId[id]).toMatchObject({ status: { kind: 'live' }, query: { kind: 'kernel' } });
    const liveKey = s.byId[id].query!.key;
    s = run([x.liveLost({ id, message: 'The dataframe is no longer in the kernel.' })], s);
    expect(s.byId[id].status).toEqual({ kind: 'fallback', message: 'The dataframe is no longer in the kernel.' });
    expect(s.byId[id].query!.kind).toBe('local');
    expect(new Set([localKey, liveKey, s.byId[id].query!.key]).size).toBe(3);
  });

  it('drops filters and sort keys past the columns of the source', () => {
    const s = run([opened({ tab: 'grid', view: { filters: [{ column: 2, op: 'range', min: 1 }], sort: [{ column: 2, descending: false }, { column: 1, descending: false }] } }),
      x.localReady({ id, source: local, warnings: [] })]);
    expect(s.byId[id].query!.view).toEqual({ filters: [], sort: [{ column: 1, descending: false }] });
    expect(s.byId[id].view.filters).toHaveLength(1); // the user's view (and the metadata) keep it
  });

  it('keeps at most MAX_ROW_BLOCKS blocks, never one the grid shows', () => {
    let s = run([opened(), x.localReady({ id, source: local, warnings: [] })]);
    const key = s.byId[id].query!.key;
    for (let b = 0; b < MAX_ROW_BLOCKS; b++) s = run([x.rowBlockLoaded({ id, key, block: b, rows: [[b, 'r']] })], s);
    s = run([x.rowsWanted({ id, first: 5_000, last: 5_040 }), x.rowBlockLoaded({ id, key, block: 50, rows: [[50, 'r']] })], s);
    const held = Object.keys(s.byId[id].rows.blocks).map(Number);
    expect(held).toHaveLength(MAX_ROW_BLOCKS);
    expect(held).toContain(50);
    expect(held).not.toContain(0); // the farthest from the window went first
  });

  it('chart data counts only for the chart the state shows', () => {
    let s = run([opened(), x.localReady({ id, source: local, warnings: [] })]);
    expect(chartQueryOf(s.byId[id])).toBeNull(); // not on the chart tab
    s = run([x.viewChanged({ id, tab: 'chart', chart: { mark: 'bar', x: 1, y: 0, aggregate: 'sum' } })], s);
    const q = chartQueryOf(s.byId[id])!;
    s = run([x.chartLoaded({ id, key: 'stale', data: { rows: [], totalRows: 0 } }), x.chartLoaded({ id, key: q.key, data: { rows: [{ x: 'a', y: 1 }], totalRows: 60 } })], s);
    expect(s.byId[id].chartData).toEqual({ key: q.key, data: { rows: [{ x: 'a', y: 1 }], totalRows: 60 } });
  });

  it('holds only plain data', () => {
    const s = run([opened(), x.localReady({ id, source: local, warnings: [] }), x.connecting({ id }), x.liveReady({ id, source: live }),
      x.rowsWanted({ id, first: 0, last: 40 }), x.csvRequested({ id }), x.csvFailed({ id, message: 'no' })]);
    const key = s.byId[id].query!.key;
    const full = run([x.rowBlockLoaded({ id, key, block: 0, rows: [[0, 'a', Number.NaN]] }), x.summaryLoaded({ id, key, columns: [] })], s);
    expect(findNonSerializableValue(full)).toBe(false);
  });
});
