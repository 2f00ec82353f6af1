// Kernel start-to-ready and execute round trip, Quire vs Python jupyter_client in the same run
// (trials interleaved so both see the same machine load). Writes bench-results/kernels.json.
// Targets: start-to-ready <= 0.8x and execute round trip <= 1.0x of jupyter_client's.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { lastValueFrom } from 'rxjs';
import { KernelManager } from '../kernels/kernelManager';
import { findKernelSpec } from '../kernels/kernelspecs';

const PYTHON = '/usr/bin/python3';
const START_TRIALS = Number(process.env.BENCH_START_TRIALS ?? 7);
const EXECUTES = Number(process.env.BENCH_EXECUTES ?? 500);
const BLOCKS = 10;
const WARMUP = 20;

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

/** The Python reference as a line-driven child process. */
function reference() {
  const script = fileURLToPath(new URL('./reference/kernels_jupyter_client.py', import.meta.url));
  const child = spawn(PYTHON, [script, 'python3'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async ask<T>(command: string): Promise<T> {
      child.stdin.write(`${command}\n`);
      const next = await lines.next();
      if (next.done) throw new Error(`jupyter_client reference exited (is python3-jupyter-client installed?) during '${command}'`);
      return JSON.parse(next.value) as T;
    },
    async close() {
      await this.ask('quit');
      child.stdin.end();
    },
  };
}

async function main(): Promise<void> {
  const spec = await findKernelSpec('python3');
  const manager = new KernelManager({ handleSignals: false });
  const ref = reference();
  const quire = { start: [] as number[], rt: [] as number[] };
  const jc = { start: [] as number[], rt: [] as number[] };

  // Start-to-ready: from the call to a kernel whose kernel_info and iopub are live.
  // (1) One kernel boots at a time (as in use); trials alternate the order (Q J, J Q, ...) so load
  //     drift on this shared machine hits both sides alike. Main metric.
  // (2) Both boot AT THE SAME TIME, so they see exactly the same load; the per-pair ratio is far
  //     less noisy, though two boots competing for the CPU dilute Quire's fixed advantage.
  const pairRatios: number[] = [];
  const startQuire = async () => {
    const t0 = performance.now();
    const session = await manager.startKernel({ specName: 'python3' });
    const elapsed = performance.now() - t0;
    await session.shutdown();
    return elapsed;
  };
  const startReference = async () => (await ref.ask<{ startMs: number }>('start')).startMs;
  for (let i = 0; i < START_TRIALS; i++) {
    const [ours, theirs] = i % 2 === 0
      ? [await startQuire(), await startReference()]
      : await startReference().then(async (t) => [await startQuire(), t]);
    quire.start.push(ours);
    jc.start.push(theirs);
  }
  for (let i = 0; i < START_TRIALS; i++) {
    const [ours, theirs] = await Promise.all([startQuire(), startReference()]);
    pairRatios.push(ours / theirs);
  }

  // Execute round trip: `pass` until execute_reply AND iopub idle, in interleaved blocks.
  const session = await manager.startKernel({ specName: 'python3', spec });
  await ref.ask('open');
  const perBlock = Math.ceil(EXECUTES / BLOCKS);
  for (let i = 0; i < WARMUP; i++) await lastValueFrom(session.client.execute('pass'));
  await ref.ask(`exec ${WARMUP}`);
  for (let b = 0; b < BLOCKS; b++) {
    for (let i = 0; i < perBlock; i++) {
      const t0 = performance.now();
      await lastValueFrom(session.client.execute('pass'));
      quire.rt.push(performance.now() - t0);
    }
    jc.rt.push(...(await ref.ask<{ rtMs: number[] }>(`exec ${perBlock}`)).rtMs);
  }
  await session.shutdown();
  await ref.close();
  manager.dispose();

  const rows = [
    { metric: 'start-to-ready median (ms)', quire: median(quire.start), reference: median(jc.start), target: 0.8 },
    { metric: 'execute round trip median (ms)', quire: median(quire.rt), reference: median(jc.rt), target: 1.0 },
    { metric: 'execute round trip p95 (ms)', quire: quantile(quire.rt, 0.95), reference: quantile(jc.rt, 0.95), target: 1.0 },
  ].map((r) => ({ ...r, ratio: r.quire / r.reference, met: r.quire / r.reference <= r.target }));

  console.log(`kernel: ${spec.displayName} (${spec.argv[0]}); ${START_TRIALS} alternating + ${START_TRIALS} simultaneous start trials, ${quire.rt.length} executes each; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(['metric'.padEnd(32), 'Quire'.padStart(9), 'jupyter_client'.padStart(15), 'ratio'.padStart(7), 'target'.padStart(8)].join(' '));
  for (const r of rows) {
    console.log([r.metric.padEnd(32), r.quire.toFixed(2).padStart(9), r.reference.toFixed(2).padStart(15), r.ratio.toFixed(2).padStart(7), `<=${r.target.toFixed(1)} ${r.met ? 'ok' : 'MISSED'}`.padStart(8)].join(' '));
  }
  console.log(`start-to-ready, both booting simultaneously: median per-pair ratio ${median(pairRatios).toFixed(2)} (${pairRatios.map((r) => r.toFixed(2)).join(' ')})`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/kernels.json', `${JSON.stringify({
    date: new Date().toISOString(), kernel: spec.name, startTrials: START_TRIALS, executes: quire.rt.length,
    loadAverage: loadavg(), startPairRatioMedian: median(pairRatios),
    rows, samples: { quire, jupyterClient: jc, startPairRatios: pairRatios },
  }, null, 2)}\n`);
}

await main();
