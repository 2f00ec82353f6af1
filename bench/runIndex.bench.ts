// The run index (kernels/runIndex/): listing 10,000 runs (20,000 journal lines) in-process (the
// issue's budget: < 100 ms; this bench exits 1 when its CPU time is over it, see the end), `quire runs --json` on them end to end
// (a process: Node's start-up included), and one fsynced append. Writes bench-results/runIndex.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunIndex } from '../kernels/runIndex/runIndex';
import { eventLine, headerLine } from '../kernels/runIndex/runIndexJournal';

const RUNS = Number(process.env.BENCH_INDEX_RUNS ?? 10_000);
const TRIALS = 20;
const BUDGET_MS = 100;

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))];
  return { n: s.length, p50: +q(0.5).toFixed(2), p95: +q(0.95).toFixed(2), max: +s[s.length - 1].toFixed(2) };
}

const dir = mkdtempSync(join(tmpdir(), 'quire-bench-run-index-'));
try {
  const path = join(dir, 'run-index', 'runs.jsonl');
  mkdirSync(join(dir, 'run-index'));
  // Realistic lines: absolute paths, a few parameters, one failed run in ten with its error.
  const lines = [headerLine()];
  for (let i = 0; i < RUNS; i++) {
    const runId = `${i.toString(16).padStart(8, '0')}-5d1c-4b8e-9f0a-${i.toString(16).padStart(12, '0')}`;
    const startedAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    lines.push(eventLine({
      v: 1, t: 'started', runId, notebook: `/home/user/projects/analysis/notebook_${i % 20}.ipynb`, output: `/home/user/projects/analysis/runs/notebook_${i % 20}_${runId}.ipynb`,
      parameters: { alpha: i / 100, region: ['eu', 'us', 'apac'][i % 3], start: '2026-01-01', limit: i }, startedAt, pid: 10_000 + i, host: i % 2 ? 'cli' : 'app', hostname: hostname(), kernelName: 'python3',
    }));
    lines.push(eventLine(i % 10 === 0
      ? { v: 1, t: 'ended', runId, status: 'failed', endedAt: startedAt, durationMs: 1234, failedCell: 3, error: 'ValueError: could not convert string to float' }
      : { v: 1, t: 'ended', runId, status: 'completed', endedAt: startedAt, durationMs: 4321 }));
  }
  writeFileSync(path, lines.join(''));
  const bytes = statSync(path).size;

  for (let i = 0; i < 3; i++) new RunIndex({ path }).list(); // warm-up (the code, not a cache)
  const list: number[] = [];
  const listNotebook: number[] = [];
  const listAgain: number[] = [];
  const listCpu: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    // Cold: a new RunIndex reads and folds the whole journal, as `quire runs` does.
    let t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const index = new RunIndex({ path });
    const all = index.list();
    list.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    listCpu.push((cpu.user + cpu.system) / 1000);
    if (all.length !== RUNS) throw new Error(`listed ${all.length} of ${RUNS} runs`);
    t0 = performance.now();
    new RunIndex({ path }).list({ notebook: '/home/user/projects/analysis/notebook_3.ipynb', limit: 50 });
    listNotebook.push(performance.now() - t0);
    // Warm: the app's RunIndex lists again and reads only what was appended since (nothing here).
    t0 = performance.now();
    index.list({ notebook: '/home/user/projects/analysis/notebook_3.ipynb' });
    listAgain.push(performance.now() - t0);
  }

  const cli: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const run = spawnSync(process.execPath, ['bin/quire.js', 'runs', '--json'], { encoding: 'utf8', env: { ...process.env, QUIRE_DATA_DIR: dir }, maxBuffer: 1 << 30 });
    cli.push(performance.now() - t0);
    if (run.status !== 0) throw new Error(`quire runs failed (did you npm run build?): ${run.stderr}`);
  }

  const appendIndex = new RunIndex({ path: join(dir, 'appends', 'runs.jsonl') });
  const appends: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    appendIndex.append({ v: 1, t: 'ended', runId: `r${i}`, status: 'completed', endedAt: new Date().toISOString(), durationMs: i });
    appends.push(performance.now() - t0);
  }

  const result = { runs: RUNS, lines: 2 * RUNS + 1, bytes, loadAverage: loadavg()[0], listMs: stats(list), listCpuMs: stats(listCpu), listNotebookLimit50Ms: stats(listNotebook), listAgainOneNotebookMs: stats(listAgain), quireRunsJsonProcessMs: stats(cli), appendFsyncMs: stats(appends), budgetMs: BUDGET_MS };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/runIndex.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(`Run index: ${RUNS} runs, ${result.lines} lines, ${(bytes / 1e6).toFixed(1)} MB; load average ${result.loadAverage.toFixed(1)} (wall times grow with it, CPU time much less)`);
  console.log('| measure | p50 ms | p95 ms |');
  console.log('| --- | --- | --- |');
  const row = (name: string, s: { p50: number; p95: number }) => console.log(`| ${name} | ${s.p50} | ${s.p95} |`);
  row(`list all ${RUNS} (budget ${BUDGET_MS} ms)`, result.listMs);
  row(`list all ${RUNS}: CPU time (user + system)`, result.listCpuMs);
  row('list one notebook, --limit 50', result.listNotebookLimit50Ms);
  row('list one notebook again (same RunIndex, app)', result.listAgainOneNotebookMs);
  row('`quire runs --json` process', result.quireRunsJsonProcessMs);
  row('one append (write + fsync)', result.appendFsyncMs);
  // Judged on CPU time: on a shared machine (CI, or 2 cores with load 6) the wall time mostly
  // measures the run queue. Both are written; the wall time is the one a user sees when idle.
  if (result.listCpuMs.p50 > BUDGET_MS) {
    console.log(`OVER BUDGET: listing ${RUNS} runs took ${result.listCpuMs.p50} ms of CPU (p50), budget ${BUDGET_MS} ms`);
    process.exitCode = 1;
  } else if (result.listMs.p50 > BUDGET_MS) {
    console.log(`Wall time over ${BUDGET_MS} ms (p50 ${result.listMs.p50} ms) at load average ${result.loadAverage.toFixed(1)}: CPU time is within budget`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
