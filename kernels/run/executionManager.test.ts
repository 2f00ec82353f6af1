import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Cell, Notebook } from '../../src/jupyter/nbformat';
import { ExecutionManager, type ExecutionManagerOptions, papermillNow } from './executionManager';

const cell = (id: string, type: 'code' | 'markdown' = 'code'): Cell => (type === 'code'
  ? { id, cell_type: 'code', execution_count: 9, outputs: [{ output_type: 'stream', name: 'stdout', text: 'old' }], metadata: {}, source: 'x' }
  : { id, cell_type: 'markdown', metadata: {}, source: 'x' });

function setup(interval = 200, extra: Partial<ExecutionManagerOptions> = {}) {
  const saves: string[] = [];
  const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell('a', 'markdown'), cell('b'), cell('c'), cell('d')] };
  const manager = new ExecutionManager(nb, {
    save: async (n) => void saves.push(JSON.stringify(n.cells.map((c) => (c.metadata.papermill as { status: string }).status))), autosaveIntervalMs: interval, ...extra,
  });
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

  describe('save policy (fake clock)', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('saveDuringRun false writes nothing until the end (papermill\'s --no-request-save-on-cell-execute)', async () => {
      vi.useFakeTimers();
      const { nb, manager, saves } = setup(10, { saveDuringRun: false, outputSaveIntervalMs: 10 });
      await manager.notebookStart();
      manager.cellStart(nb.cells[1]);
      manager.outputArrived();
      manager.cellComplete(nb.cells[1]);
      await vi.advanceTimersByTimeAsync(1000);
      expect(saves).toEqual([]);
      await manager.notebookComplete();
      expect(saves).toEqual(['["completed","completed","completed","completed"]']);
      manager.dispose();
    });

    it('outputs save at most every outputSaveIntervalMs; a cell end does not wait for that timer; 0 turns output saves off', async () => {
      vi.useFakeTimers();
      const { nb, manager, saves } = setup(100, { outputSaveIntervalMs: 30_000 });
      await manager.notebookStart();
      manager.cellStart(nb.cells[1]);
      await vi.advanceTimersByTimeAsync(200);
      expect(saves).toHaveLength(2); // start, then the cell start
      manager.outputArrived();
      await vi.advanceTimersByTimeAsync(29_000);
      expect(saves).toHaveLength(2); // the output waits for its 30 s
      await vi.advanceTimersByTimeAsync(1_000);
      expect(saves).toHaveLength(3);
      manager.outputArrived(); // due in 30 s...
      manager.cellComplete(nb.cells[1]); // ...but the cell end is written after 100 ms
      await vi.advanceTimersByTimeAsync(100);
      expect(saves).toHaveLength(4);
      expect(saves[3]).toBe('["pending","completed","pending","pending"]');
      manager.dispose();

      const off = setup(100, { outputSaveIntervalMs: 0 });
      await off.manager.notebookStart();
      off.manager.outputArrived();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(off.saves).toHaveLength(1);
      off.manager.dispose();
    });

    it('doubles the output interval when a save takes over a quarter of it (papermill\'s back-off)', async () => {
      vi.useFakeTimers();
      const slow: Array<[number, number]> = [];
      const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell('b')] };
      const manager = new ExecutionManager(nb, {
        save: async () => void vi.setSystemTime(Date.now() + 400), // each write "takes" 400 ms of the clock
        outputSaveIntervalMs: 1000,
        onSlowAutosave: (saveMs, intervalMs) => slow.push([saveMs, intervalMs]),
      });
      await manager.notebookStart();
      manager.outputArrived();
      expect(slow).toEqual([[400, 2000]]);
      expect(manager.outputSaveIntervalMs).toBe(2000);
      manager.outputArrived(); // no new save since: no second doubling
      expect(manager.outputSaveIntervalMs).toBe(2000);
      manager.dispose();
    });
  });

  it('formats timestamps like datetime.utcnow().isoformat()', () => {
    expect(papermillNow(new Date('2024-05-06T07:08:09.123Z'))).toBe('2024-05-06T07:08:09.123000');
  });
});
