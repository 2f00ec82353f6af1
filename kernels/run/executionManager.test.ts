import { describe, expect, it } from 'vitest';
import type { Cell, Notebook } from '../../src/jupyter/nbformat';
import { ExecutionManager, papermillNow } from './executionManager';

const cell = (id: string, type: 'code' | 'markdown' = 'code'): Cell => (type === 'code'
  ? { id, cell_type: 'code', execution_count: 9, outputs: [{ output_type: 'stream', name: 'stdout', text: 'old' }], metadata: {}, source: 'x' }
  : { id, cell_type: 'markdown', metadata: {}, source: 'x' });

function setup(interval = 200) {
  const saves: string[] = [];
  const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell('a', 'markdown'), cell('b'), cell('c'), cell('d')] };
  const manager = new ExecutionManager(nb, { save: async (n) => void saves.push(JSON.stringify(n.cells.map((c) => (c.metadata.papermill as { status: string }).status))), autosaveIntervalMs: interval });
  return { nb, manager, saves };
}
const status = (c: Cell) => (c.metadata.papermill as { status: string }).status;

describe('ExecutionManager', () => {
  it('resets cells at start (pending, no outputs or counts) and saves at once', async () => {
    const { nb, manager, saves } = setup();
    await manager.notebookStart();
    expect(saves).toEqual(['["pending","pending","pending","pending"]']);
    expect(nb.cells[1]).toMatchObject({ execution_count: null, outputs: [] });
    expect(nb.metadata.papermill).toMatchObject({ end_time: null, duration: null, exception: null });
    expect((nb.metadata.papermill as { start_time: string }).start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    manager.dispose();
  });

  it('throttles saves while cells run but always writes the end state', async () => {
    const { nb, manager, saves } = setup(10_000);
    await manager.notebookStart();
    for (const c of nb.cells) {
      manager.cellStart(c);
      manager.cellComplete(c);
    }
    await new Promise((r) => setTimeout(r, 30));
    expect(saves).toHaveLength(1); // nothing more within the interval
    await manager.notebookComplete();
    expect(saves).toHaveLength(2);
    expect(saves[1]).toBe('["completed","completed","completed","completed"]');
    manager.dispose();
  });

  it('saves a pending change after the interval (a crash leaves the running cell on disk)', async () => {
    const { nb, manager, saves } = setup(50);
    await manager.notebookStart();
    manager.cellStart(nb.cells[0]);
    await new Promise((r) => setTimeout(r, 120));
    expect(saves[saves.length - 1]).toBe('["running","pending","pending","pending"]');
    manager.dispose();
  });

  it('marks the failing cell and leaves later cells pending', async () => {
    const { nb, manager } = setup();
    await manager.notebookStart();
    manager.cellStart(nb.cells[1]);
    manager.cellException(nb.cells[1]);
    manager.cellComplete(nb.cells[1]);
    await manager.notebookComplete();
    expect(nb.cells.map(status)).toEqual(['completed', 'failed', 'pending', 'pending']);
    expect((nb.metadata.papermill as { exception: boolean }).exception).toBe(true);
    expect((nb.cells[1].metadata.papermill as { duration: number }).duration).toBeGreaterThanOrEqual(0);
    manager.dispose();
  });

  it('formats timestamps like datetime.utcnow().isoformat()', () => {
    expect(papermillNow(new Date('2024-05-06T07:08:09.123Z'))).toBe('2024-05-06T07:08:09.123000');
  });
});
