/**
 * A second process appending to a run index, for the concurrent-writers test:
 *   node --import tsx runIndexAppender.ts JOURNAL PREFIX COUNT
 * Prints `ready` once loaded, waits for a line on stdin (so that every writer starts at once),
 * then appends COUNT runs (`started`, then `ended`, runIds PREFIX-0 …) and prints `done`.
 */
import { createInterface } from 'node:readline';
import { RunIndex } from '../runIndex/runIndex';

const [path, prefix, count] = process.argv.slice(2);
const index = new RunIndex({ path, warn: (m) => process.stderr.write(`${m}\n`) });
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdout.write('ready\n');
await lines.next();
for (let i = 0; i < Number(count); i++) {
  const runId = `${prefix}-${i}`;
  const at = new Date().toISOString();
  index.append({ v: 1, t: 'started', runId, notebook: `/nb/${prefix}.ipynb`, output: `/out/${runId}.ipynb`, parameters: { i, text: 'x'.repeat(i % 300) }, startedAt: at, pid: process.pid, host: 'cli', hostname: 'test-host' });
  index.append({ v: 1, t: 'ended', runId, status: 'completed', endedAt: at, durationMs: i });
}
process.stdout.write('done\n');
process.exit(0);
