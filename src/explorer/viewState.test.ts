import { describe, expect, it } from 'vitest';
import { parseQueryReply, queryExecuteContent, EXPLORER_REPLY_MIME } from './protocol';
import { pythonQueryExpression } from './pythonHelper';
import { frameIdOf, isExplorerOpen, readViewState, setExplorerOpen, writeViewState } from './viewState';

describe('view state in output metadata', () => {
  it('round-trips and keeps other metadata', () => {
    const state = { tab: 'chart' as const, view: { filters: [{ column: 1, op: 'contains' as const, value: 'x' }], sort: [{ column: 0, descending: true }] }, chart: { mark: 'bar' as const, x: 1, y: 2, color: null, size: null, facet: null, aggregate: 'mean' as const } };
    const md = writeViewState({ isolated: true, quire: { frame_id: 'f-1' } }, state);
    expect(md.isolated).toBe(true);
    expect(frameIdOf(md)).toBe('f-1');
    expect(readViewState(md)).toEqual(state);
  });
  it('records the explore toggle without losing the saved view', () => {
    expect(isExplorerOpen({})).toBe(false);
    const open = setExplorerOpen({ other: 1 }, true);
    expect(isExplorerOpen(open)).toBe(true);
    const withChart = writeViewState(open, { tab: 'chart', view: { filters: [], sort: [{ column: 1, descending: false }] } });
    const closed = setExplorerOpen(withChart, false);
    expect(isExplorerOpen(closed)).toBe(false);
    expect(readViewState(closed)?.view.sort).toEqual([{ column: 1, descending: false }]);
    expect(readViewState(setExplorerOpen(closed, true))?.tab).toBe('grid');
    expect(closed.other).toBe(1);
  });

  it('ignores junk instead of failing', () => {
    expect(readViewState({})).toBeUndefined();
    expect(readViewState({ quire: { explorer: { tab: 'nope', view: { filters: [{ column: -1, op: 'contains', value: 1 }, 5], sort: 'x' }, chart: { mark: 'pie' } } } }))
      .toEqual({ tab: 'grid', view: { filters: [], sort: [] } });
  });
  it('finds the frame id under the mime type (where IPython files formatter metadata)', () => {
    expect(frameIdOf({ 'application/vnd.dataresource+json': { quire: { frame_id: 'abc-2' } } })).toBe('abc-2');
    expect(frameIdOf(undefined)).toBeUndefined();
  });
});

describe('protocol messages', () => {
  it('a query is a silent execute with one user expression that is valid Python text', () => {
    const content = queryExecuteContent({ op: 'info', frame: 'a"b\\c\n' });
    expect(content).toMatchObject({ code: '', silent: true, store_history: false });
    const expr = (content.user_expressions as Record<string, string>).quire_explorer;
    expect(expr).toBe(pythonQueryExpression(JSON.stringify({ op: 'info', frame: 'a"b\\c\n' })));
    expect(expr.startsWith("__import__(\"__quire_explorer__\").query(\"")).toBe(true);
  });
  it('parses replies: ok, protocol errors, missing helper, kernel errors', () => {
    const reply = (payload: unknown) => ({ status: 'ok', user_expressions: { quire_explorer: { status: 'ok', data: { [EXPLORER_REPLY_MIME]: JSON.stringify(payload) } } } });
    expect(parseQueryReply(reply({ ok: true, result: { rowCount: 3 } }))).toEqual({ ok: true, result: { rowCount: 3 } });
    expect(parseQueryReply(reply({ ok: false, code: 'FRAME_GONE', message: 'gone' }))).toEqual({ ok: false, code: 'FRAME_GONE', message: 'gone' });
    expect(parseQueryReply({ status: 'ok', user_expressions: { quire_explorer: { status: 'error', ename: 'ModuleNotFoundError', evalue: 'x' } } })).toMatchObject({ code: 'NO_HELPER' });
    expect(parseQueryReply({ status: 'error', evalue: 'boom' })).toMatchObject({ code: 'KERNEL' });
    expect(parseQueryReply(reply({ v: 2, ok: true, result: {} }))).toMatchObject({ ok: false, code: 'NO_HELPER', message: expect.stringMatching(/protocol v2/) });
    expect(parseQueryReply({ status: 'ok', user_expressions: { quire_explorer: { status: 'ok', data: { [EXPLORER_REPLY_MIME]: '{bad' } } } })).toMatchObject({ code: 'ERROR' });
  });
});
