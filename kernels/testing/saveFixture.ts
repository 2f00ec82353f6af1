/**
 * A second process saving a notebook, for the save race and kill-mid-save tests:
 *   node --import tsx saveFixture.ts PATH MARKER EXPECTED_HASH MODE
 * It reads PATH, sets the first cell's source to MARKER (and, for size, adds a 4 MB output), and
 * saves with `expectedContentHash: EXPECTED_HASH`, reporting each step as a JSON line on stdout:
 *   {"step":"waiting"}            the save lock is busy (another save holds it)
 *   {"step":"locked"}             it holds the lock; MODE `gate` waits for a line on stdin first
 *   {"step":"beforeRename","temp"} the temp file is complete; MODE `hang` never goes on (kill it)
 *   {"ok":true,"contentHash"} or {"ok":false,"code","message"} at the end.
 */
import { createInterface } from 'node:readline';
import { readNotebookFile, writeNotebookFile } from '../files/notebookFiles';
import { isQuireError } from '../../src/errors';

const [path, marker, expectedContentHash, mode] = process.argv.slice(2);
const report = (data: object) => process.stdout.write(`${JSON.stringify(data)}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const nextLine = async () => void (await lines.next());

const { notebook } = await readNotebookFile(path);
notebook.cells[0].source = marker;
if (mode === 'hang') notebook.cells.push({ cell_type: 'raw', id: 'big', metadata: {}, source: 'x'.repeat(4 * 1024 * 1024) });
try {
  const stat = await writeNotebookFile(path, notebook, {
    expectedContentHash,
    hooks: {
      onLockWait: () => report({ step: 'waiting' }),
      afterLock: async () => {
        report({ step: 'locked' });
        if (mode === 'gate') await nextLine();
      },
      beforeRename: async (temp) => {
        report({ step: 'beforeRename', temp });
        if (mode === 'hang') await new Promise(() => setInterval(() => undefined, 60_000));
      },
    },
  });
  report({ ok: true, contentHash: stat.contentHash });
} catch (error) {
  report({ ok: false, code: isQuireError(error) ? error.code : 'UNKNOWN', message: String((error as Error).message) });
}
process.exit(0);
