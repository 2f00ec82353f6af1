import { describe, expect, it } from 'vitest';
import { createCommandRouter } from './commandRouter';

describe('createCommandRouter', () => {
  it('runs main commands in main and sends the rest to the focused window', async () => {
    const mainRan: unknown[] = [];
    const sent: unknown[] = [];
    let focused: { requestCommand(c: string, a?: unknown): void } | undefined = { requestCommand: (c, a) => sent.push([c, a]) };
    const route = createCommandRouter({
      mainHandlers: { 'notebook.new': () => void mainRan.push('new'), 'notebook.openRecent': (p) => void mainRan.push(p) },
      focusedRenderer: () => focused,
    });
    expect(route('notebook.new')).toBe('main');
    expect(route('notebook.openRecent', '/a.ipynb')).toBe('main');
    expect(route('cell.run')).toBe('renderer');
    expect(route('toString')).toBe('renderer'); // no prototype lookups: not a main handler
    focused = undefined;
    expect(route('cell.run')).toBe('dropped');
    await Promise.resolve();
    expect(mainRan).toEqual(['new', '/a.ipynb']);
    expect(sent).toEqual([['cell.run', undefined], ['toString', undefined]]);
  });

  it('reports a failing main handler instead of throwing into the menu', async () => {
    const errors: unknown[] = [];
    const route = createCommandRouter({
      mainHandlers: { 'notebook.open': async () => { throw new Error('dialog failed'); } },
      focusedRenderer: () => undefined,
      onError: (c, e) => errors.push([c, (e as Error).message]),
    });
    route('notebook.open');
    await new Promise((r) => setImmediate(r));
    expect(errors).toEqual([['notebook.open', 'dialog failed']]);
  });
});
