// Parameterized runs: Quire's engine vs papermill's work done with Python nbclient
// (bench/reference/runs_nbclient.py), in the same run, on the same machine; and a batch of 8
// runs with limit 2 vs the same 8 one after another. Writes bench-results/runs.json.
//
// Measured per notebook (3 and 100 code cells after the parameters cell):
//  - end-to-end process wall time: `node bin/quire.js run` vs `/usr/bin/python3 runs_nbclient.py`
//    (each includes its own interpreter start, kernel start, run, save, kernel shutdown);
//  - engine time: Quire's executeNotebook in-process vs the script's own timer (after imports);
//  - per-cell time: from the first cell's start to the last cell's end, divided by the cells
//    (kernel start/shutdown, which vary a lot on a loaded machine, are left out).
// The nbclient reference saves at every cell start and end like papermill's default
// (request_save_on_cell_execute); a second variant saves once at the end (nbclient alone).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelManager } from '../kernels/kernelManager';
import { LocalKernelProvider } from '../kernels/localKernelProvider';
import { runWithConcurrency } from '../kernels/run/batchRunner';
import { executeNotebook } from '../kernels/run/executeNotebook';
import type { Cell, Notebook } from '../src/jupyter/nbformat';
import { serializeNotebook } from '../src/jupyter/notebookFormat';

const PYTHON = '/usr/bin/python3';
const REFERENCE = 'bench/reference/runs_nbclient.py';

function notebook(cells: number): Notebook {
  const list: Cell[] = [{ cell_type: 'code', id: 'params', execution_count: null, outputs: [], metadata: { tags: ['parameters'] }, source: 'n = 1' }];
  for (let i = 1; i <= cells; i++) {
    const source = i % 10 === 0 || i === cells ? `y${i} = n + ${i}\nprint(y${i})` : `y${i} = n + ${i}`;
    list.push({ cell_type: 'code', id: `c${i}`, execution_count: null, outputs: [], metadata: {}, source });
  }
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, cells: list };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = mkdtempSync(join(tmpdir(), 'quire-runs-bench-'));
let counter = 0;
const out = () => join(dir, `out-${++counter}.ipynb`);

function processWall(command: string, args: string[]): { wall: number; stdout: string } {
  const start = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8' });
  const wall = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${run.status}):\n${run.stderr}`);
  return { wall, stdout: run.stdout };
}

const manager = new KernelManager({ handleSignals: false });
const provider = new LocalKernelProvider(manager);
let lastCellsSeconds = 0;
async function quireEngine(input: string): Promise<number> {
  const start = performance.now();
  let first = 0;
  let last = 0;
  const result = await executeNotebook({
    inputPath: input, outputPath: out(), parameters: { n: 5 }, provider,
    listener: { cellStart: () => (first ||= performance.now()), cellComplete: () => (last = performance.now()) },
  });
  if (result.status !== 'completed') throw new Error(`Quire run failed: ${result.error?.message}`);
  lastCellsSeconds = (last - first) / 1000;
  return (performance.now() - start) / 1000;
}
const quireCli = (input: string) => processWall('node', ['bin/quire.js', 'run', input, out(), '-p', 'n', '5', '--log-level', 'ERROR', '--no-progress-bar']).wall;
function nbclient(input: string, saveEveryCell: boolean): { wall: number; engine: number; cells: number } {
  const { wall, stdout } = processWall(PYTHON, [REFERENCE, input, out(), '-p', 'n', '5', ...(saveEveryCell ? ['--save-every-cell'] : [])]);
  const report = JSON.parse(stdout.trim().split('\n').pop()!) as { seconds: number; cells_seconds: number };
  return { wall, engine: report.seconds, cells: report.cells_seconds };
}

async function main(): Promise<void> {
  const build = spawnSync('node', ['scripts/buildNode.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const sizes = { small: 3, large: 100 } as const;
  const inputs = Object.fromEntries(Object.entries(sizes).map(([name, cells]) => {
    const path = join(dir, `${name}.ipynb`);
    writeFileSync(path, serializeNotebook(notebook(cells)));
    return [name, path];
  })) as Record<keyof typeof sizes, string>;
  const reps = { small: 7, large: 3 };

  await quireEngine(inputs.small); // warm-up (page cache, first kernel start)
  nbclient(inputs.small, true);

  const results: Record<string, Record<string, number>> = {};
  for (const name of ['small', 'large'] as const) {
    const q: number[] = [];
    const qCells: number[] = [];
    const qc: number[] = [];
    const pmLike: Array<{ wall: number; engine: number; cells: number }> = [];
    const plain: Array<{ wall: number; engine: number; cells: number }> = [];
    // Interleave so load from other processes hits both sides alike.
    for (let i = 0; i < reps[name]; i++) {
      q.push(await quireEngine(inputs[name]));
      qCells.push(lastCellsSeconds);
      pmLike.push(nbclient(inputs[name], true));
      qc.push(quireCli(inputs[name]));
      plain.push(nbclient(inputs[name], false));
    }
    results[name] = {
      cells: sizes[name] + 2,
      quire_engine_s: median(q),
      quire_cli_wall_s: median(qc),
      nbclient_papermill_like_engine_s: median(pmLike.map((r) => r.engine)),
      nbclient_papermill_like_wall_s: median(pmLike.map((r) => r.wall)),
      nbclient_save_at_end_engine_s: median(plain.map((r) => r.engine)),
      nbclient_save_at_end_wall_s: median(plain.map((r) => r.wall)),
      quire_ms_per_cell: (median(qCells) / (sizes[name] + 2)) * 1000,
      nbclient_papermill_like_ms_per_cell: (median(pmLike.map((r) => r.cells)) / (sizes[name] + 2)) * 1000,
      nbclient_save_at_end_ms_per_cell: (median(plain.map((r) => r.cells)) / (sizes[name] + 2)) * 1000,
    };
    const r = results[name];
    r.ratio_wall_vs_papermill_like = r.quire_cli_wall_s / r.nbclient_papermill_like_wall_s;
    r.ratio_engine_vs_papermill_like = r.quire_engine_s / r.nbclient_papermill_like_engine_s;
    r.ratio_engine_vs_save_at_end = r.quire_engine_s / r.nbclient_save_at_end_engine_s;
  }
  const perCell = {
    quire_ms: results.large.quire_ms_per_cell,
    nbclient_papermill_like_ms: results.large.nbclient_papermill_like_ms_per_cell,
    nbclient_save_at_end_ms: results.large.nbclient_save_at_end_ms_per_cell,
    ratio_vs_papermill_like: results.large.quire_ms_per_cell / results.large.nbclient_papermill_like_ms_per_cell,
    ratio_vs_save_at_end: results.large.quire_ms_per_cell / results.large.nbclient_save_at_end_ms_per_cell,
  };

  // Batch: 8 runs of the small notebook, limit 2, vs the same 8 sequentially (both Quire, in-process).
  const batchRun = async (limit: number) => {
    const start = performance.now();
    const runs = await runWithConcurrency(Array.from({ length: 8 }, (_, i) => i), limit, async () => quireEngine(inputs.small));
    if (runs.some((r) => !r.ok)) throw new Error('a batch run failed');
    return (performance.now() - start) / 1000;
  };
  const sequential = await batchRun(1);
  const batched = await batchRun(2);
  const batch = { runs: 8, limit: 2, sequential_s: sequential, batch_s: batched, ratio: batched / sequential, target: 0.6 };

  await manager.shutdownAll();
  manager.dispose();
  rmSync(dir, { recursive: true, force: true });

  const report = {
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    notebooks: results,
    per_cell_overhead: perCell,
    batch,
    targets: { run_ratio: 0.7, batch_ratio: 0.6 },
    notes: 'Medians. nbclient reference = papermill-like parameterize + execute + write (papermill is not installable); papermill_like saves at every cell start/end as papermill does by default.',
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/runs.json', `${JSON.stringify(report, null, 2)}\n`);

  const f = (x: number) => x.toFixed(2);
  console.log('notebook  cells  quire cli  nbclient(pm-like)  ratio | quire engine  nbclient engine (pm-like / save-at-end)  ratio');
  for (const name of ['small', 'large'] as const) {
    const r = results[name];
    console.log(`${name.padEnd(8)}  ${String(r.cells).padStart(5)}  ${f(r.quire_cli_wall_s).padStart(7)} s  ${f(r.nbclient_papermill_like_wall_s).padStart(13)} s  ${f(r.ratio_wall_vs_papermill_like).padStart(5)} | ${f(r.quire_engine_s).padStart(10)} s  ${f(r.nbclient_papermill_like_engine_s).padStart(8)} s / ${f(r.nbclient_save_at_end_engine_s)} s  ${f(r.ratio_engine_vs_papermill_like)}`);
  }
  console.log(`per cell (100-cell notebook, first start to last end): quire ${f(perCell.quire_ms)} ms, nbclient ${f(perCell.nbclient_papermill_like_ms)} ms (papermill-like), ${f(perCell.nbclient_save_at_end_ms)} ms (save at end)`);
  console.log(`batch of 8, limit 2: ${f(batched)} s vs sequential ${f(sequential)} s → ratio ${f(batch.ratio)} (target ≤ 0.6)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
