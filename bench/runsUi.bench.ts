// The runs UI's window-side costs: folding a flood of live run output into the runs slice (what
// each 50 ms batch of onDidRunOutput events costs the UI thread), and checking the parameter form
// on every keystroke for a large parameters cell. Writes bench-results/runsUi.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { RunOutputEvent } from '../src/host/contract';
import { inferPythonParameters } from '../src/parameterize/inferParameters';
import { evaluateForm, formFields, translatorSupport } from '../renderer/features/runs/parameterForm';
import { initialRunsState, runsActions, runsReducer, type RunsState } from '../renderer/features/runs/runsSlice';

const LINES = Number(process.env.BENCH_RUN_LINES ?? 100_000);
const BATCH = Number(process.env.BENCH_RUN_BATCH ?? 200);
const PARAMS = Number(process.env.BENCH_FORM_PARAMS ?? 200);

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))];
  return { n: s.length, p50: +q(0.5).toFixed(3), p95: +q(0.95).toFixed(3), max: +s[s.length - 1].toFixed(3), total: +s.reduce((a, b) => a + b, 0).toFixed(1) };
}

// 1. A `for i in range(N): print(i, flush=True)` flood, one event per line, folded batch by batch.
let state: RunsState = { ...initialRunsState, runs: {} };
const batchMs: number[] = [];
for (let start = 0; start < LINES; start += BATCH) {
  const events: RunOutputEvent[] = [];
  for (let i = start; i < Math.min(LINES, start + BATCH); i++) events.push({ runId: 'r', cellIndex: 3, output: { output_type: 'stream', name: 'stdout', text: `line ${i} of the flood\n` } });
  const t0 = performance.now();
  state = runsReducer(state, runsActions.runOutputsReceived(events));
  batchMs.push(performance.now() - t0);
}
const live = state.live.r.outputs[0];
const liveChars = live.output_type === 'stream' ? (Array.isArray(live.text) ? live.text.join('') : live.text).length : 0;

// 2. The form re-checked on a keystroke: PARAMS parameters of mixed types.
const source = Array.from({ length: PARAMS }, (_, i) => [`n${i} = ${i}`, `x${i} = ${i}.5`, `s${i} = "v${i}"`, `l${i} = [${i}, ${i + 1}]`][i % 4]).join('\n');
const fields = formFields(inferPythonParameters(source));
const support = translatorSupport('python3', 'python');
const formMs: number[] = [];
for (let k = 0; k < 200; k++) {
  const t0 = performance.now();
  evaluateForm(fields, { n0: String(k) }, support, 'runs/{notebook}-{timestamp}-{run_id}.ipynb');
  formMs.push(performance.now() - t0);
}

const result = {
  outputFlood: { lines: LINES, batch: BATCH, perBatchMs: stats(batchMs), liveChars },
  formCheck: { parameters: fields.length, perKeystrokeMs: stats(formMs) },
};
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/runsUi.json', `${JSON.stringify(result, null, 2)}\n`);
console.table({
  [`fold ${LINES} lines (per ${BATCH}-event batch)`]: { p50: result.outputFlood.perBatchMs.p50, p95: result.outputFlood.perBatchMs.p95, max: result.outputFlood.perBatchMs.max, 'total ms': result.outputFlood.perBatchMs.total },
  [`form check, ${fields.length} parameters (per keystroke)`]: { p50: result.formCheck.perKeystrokeMs.p50, p95: result.formCheck.perKeystrokeMs.p95, max: result.formCheck.perKeystrokeMs.max, 'total ms': result.formCheck.perKeystrokeMs.total },
});
console.log(`live output kept: ${liveChars.toLocaleString('en-US')} characters`);
