// `npm run bench`: builds (the product and the renderer's test variant, whose window.__quire the
// browser benches read; QUIRE_SKIP_BUILD=1 skips this), then runs every bench/*.bench.ts (or the
// ones named on the command line) one after another with tsx. Each writes
// bench-results/<name>.json and prints its own table of ratios.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';

if (!process.env.QUIRE_SKIP_BUILD) {
  const build = spawnSync('npm', ['run', '--silent', 'build:test'], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('bench: the build failed');
    process.exit(build.status ?? 1);
  }
}
mkdirSync('bench-results', { recursive: true });
const wanted = process.argv.slice(2);
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n### ${file}`);
  const run = spawnSync('npx', ['tsx', `bench/${file}`], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
console.log(`\n${benches.length - failed} benchmarks finished, ${failed} failed; results in bench-results/`);
process.exit(failed ? 1 : 0);
